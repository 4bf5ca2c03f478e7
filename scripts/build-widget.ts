// Builds the widget into dist/widget:
// - the role chunks (ESM with code splitting), every file content-hashed: client-<hash>.js, therapist-<hash>.js,
//   client-<hash>.js for their lazy chunks too; served `immutable`;
// - widget.js, the classic-script loader (IIFE), with the chunk manifest compiled in: a loader only ever names
//   chunks of its own build, so a cached widget.js can never pull a mismatched chunk. The same bytes are also
//   published as widget-<hash>.js (immutable; pin this one with SRI); widget.js is the short-cached alias;
// - integrity.json (sha384 SRI of the loader, its versioned name, the manifest) and _headers (cache and CORS).
// Fails when a role's download exceeds its gzip budget (scripts/widget-budgets.ts). Writes dist/widget-meta.json
// (outside the served directory) for the size bench. `node scripts/build-widget.ts`
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_INSTRUMENT } from '../schemas/instrument.ts';
import { checkBudgets, type BudgetResult } from './widget-budgets.ts';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist/widget');

/** The widget must never pull in livekit-client (it does not tree-shake); only `import type` is allowed. */
const noLivekit: esbuild.Plugin = {
  name: 'no-livekit',
  setup(b) {
    b.onResolve({ filter: /^livekit-client(\/|$)/ }, (args) => ({
      errors: [{ text: `livekit-client imported by ${args.importer}: use \`import type\` and the host's Room` }],
    }));
  },
};

/**
 * Marks the valibot schema constructors in schemas/*.ts as pure, so a chunk that imports one constant (say
 * DEFAULT_INSTRUMENT) does not also carry every schema of that file. esbuild honours valibot's own
 * `@__NO_SIDE_EFFECTS__` only within a file, not across modules. Schema construction has no side effects.
 */
const pureSchemas: esbuild.Plugin = {
  name: 'pure-schemas',
  setup(b) {
    b.onLoad({ filter: /[\\/]schemas[\\/][^\\/]+\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/(?<![\w.$])v\.(\w+)\(/g, '/* @__PURE__ */ v.$1('),
      loader: 'ts',
    }));
  },
};

/**
 * widget/client/default-instrument.ts becomes plain data at build time: its lazy chunk then needs no valibot, so
 * valibot stays inside client.js instead of a chunk of its own (one request and one gzip stream fewer).
 */
const instrumentAsData: esbuild.Plugin = {
  name: 'instrument-as-data',
  setup(b) {
    b.onLoad({ filter: /[\\/]widget[\\/]client[\\/]default-instrument\.ts$/ }, () => ({
      contents: `export const DEFAULT_INSTRUMENT = ${JSON.stringify(DEFAULT_INSTRUMENT)};`,
      loader: 'js',
    }));
  },
};

export const common: esbuild.BuildOptions = {
  bundle: true,
  minify: true,
  target: 'es2020',
  // Class fields as plain assignments in the constructor: below ES2022 each declared field otherwise becomes a
  // defineProperty call (the engine's classes declare dozens). No class here relies on define semantics (no field
  // shadows an accessor of a base class). tsconfigRaw replaces tsconfig.json for the build: the rest it needs is here.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false, verbatimModuleSyntax: true, alwaysStrict: true } },
  platform: 'browser',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [noLivekit, pureSchemas, instrumentAsData],
  absWorkingDir: root,
};

export interface WidgetBuild {
  meta: esbuild.Metafile;
  /** Role -> its entry chunk's file name, as compiled into the loader (caseload: into caseload.js). */
  manifest: Record<'client' | 'therapist' | 'caseload', string>;
  /** The loader's versioned file name (widget-<hash>.js) and its SRI (sha384, the same for widget.js). */
  loader: { versioned: string; integrity: string };
  budgets: BudgetResult[];
}

export class BudgetExceeded extends Error {}

/** Loader alias and integrity.json change with every release: revalidate after 5 minutes. */
const ALIAS_CACHE = 'public, max-age=300';
const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function buildWidget(): Promise<WidgetBuild> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  // One build per role: a page loads one role, so code shared between roles would only add a request and
  // bytes the client does not need. Within a role, lazy imports still split (e.g. the fallback instrument).
  const role = (name: string, file: string) =>
    esbuild.build({
      ...common,
      entryPoints: { [name]: file },
      format: 'esm',
      splitting: true,
      outdir,
      entryNames: '[name]-[hash]',
      chunkNames: `${name}-[hash]`,
      jsx: 'automatic',
      jsxImportSource: 'preact',
    });
  const roles = await Promise.all([
    role('client', 'widget/client/index.ts'),
    role('therapist', 'widget/therapist/index.tsx'),
    role('caseload', 'widget/caseload/index.tsx'),
  ]);
  const entryOf = (r: esbuild.BuildResult, source: string) => {
    const out = Object.entries(r.metafile!.outputs).find(([, o]) => o.entryPoint === source);
    if (!out) throw new Error(`no output for ${source}`);
    return out[0];
  };
  const entries = {
    client: entryOf(roles[0], 'widget/client/index.ts'),
    therapist: entryOf(roles[1], 'widget/therapist/index.tsx'),
    caseload: entryOf(roles[2], 'widget/caseload/index.tsx'),
  };
  const manifest = {
    client: basename(entries.client),
    therapist: basename(entries.therapist),
    caseload: basename(entries.caseload),
  };
  const loaderPath = join(outdir, 'widget.js');
  const loaderBuild = await esbuild.build({
    ...common,
    entryPoints: ['widget/loader.ts'],
    format: 'iife',
    outfile: loaderPath,
    define: { __ATTUNE_CHUNKS__: JSON.stringify({ client: manifest.client, therapist: manifest.therapist }) },
  });
  // The caseload page's own loader: the call page's widget.js does not even name the caseload chunk.
  const caseloadLoaderPath = join(outdir, 'caseload.js');
  const caseloadLoaderBuild = await esbuild.build({
    ...common,
    entryPoints: ['widget/caseload-loader.ts'],
    format: 'iife',
    outfile: caseloadLoaderPath,
    define: { __ATTUNE_CASELOAD_CHUNK__: JSON.stringify(manifest.caseload) },
  });
  const meta: esbuild.Metafile = { inputs: {}, outputs: {} };
  for (const r of [loaderBuild, caseloadLoaderBuild, ...roles]) {
    Object.assign(meta.inputs, r.metafile!.inputs);
    Object.assign(meta.outputs, r.metafile!.outputs);
  }

  const loaderBytes = readFileSync(loaderPath);
  const integrity = 'sha384-' + createHash('sha384').update(loaderBytes).digest('base64');
  const versioned = `widget-${createHash('sha256').update(loaderBytes).digest('hex').slice(0, 12)}.js`;
  writeFileSync(join(outdir, versioned), loaderBytes);
  const caseloadIntegrity = 'sha384-' + createHash('sha384').update(readFileSync(caseloadLoaderPath)).digest('base64');
  writeFileSync(
    join(outdir, 'integrity.json'),
    JSON.stringify(
      {
        'widget.js': integrity,
        [versioned]: integrity,
        'caseload.js': caseloadIntegrity,
        loader: versioned,
        chunks: manifest,
      },
      null,
      2,
    ) + '\n',
  );

  // The loader import()s its chunks from the API origin into a page on another origin: module scripts are fetched
  // with CORS, so the static assets need Access-Control-Allow-Origin (public code, no credentials: `*` is right).
  // Workers Static Assets apply this `_headers` file and do not serve it. Hashed files never change: immutable.
  const hashed = [
    versioned,
    ...Object.keys(meta.outputs)
      .filter((o) => o.endsWith('.js') && o !== 'dist/widget/widget.js' && o !== 'dist/widget/caseload.js')
      .map((o) => basename(o)),
  ];
  const rule = (path: string, ...headers: string[]) => [path, ...headers.map((h) => '  ' + h)];
  writeFileSync(
    join(outdir, '_headers'),
    [
      ...rule(
        '/*',
        'Access-Control-Allow-Origin: *',
        'Cross-Origin-Resource-Policy: cross-origin',
        'X-Content-Type-Options: nosniff',
      ),
      ...rule('/widget.js', `Cache-Control: ${ALIAS_CACHE}`),
      ...rule('/caseload.js', `Cache-Control: ${ALIAS_CACHE}`),
      ...rule('/integrity.json', `Cache-Control: ${ALIAS_CACHE}`),
      ...hashed.sort().flatMap((f) => rule('/' + f, `Cache-Control: ${IMMUTABLE}`)),
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'dist/widget-meta.json'), JSON.stringify(meta));

  const gzipOf = (file: string) => gzipSync(readFileSync(join(root, file)), { level: 9 }).length;
  const budgets = checkBudgets(meta, 'dist/widget/widget.js', entries, gzipOf, undefined, {
    caseload: 'dist/widget/caseload.js',
  });
  const over = budgets.filter((b) => !b.ok);
  if (over.length) {
    throw new BudgetExceeded(
      over.map((b) => `${b.role} path is ${b.gzip} B gzip, budget ${b.budget} B (${b.files.join(' + ')})`).join('; '),
    );
  }
  return { meta, manifest, loader: { versioned, integrity }, budgets };
}

if (import.meta.main) {
  try {
    const { budgets, loader } = await buildWidget();
    for (const b of budgets) console.log(`widget: ${b.role} path ${b.gzip} B gzip of ${b.budget} B`);
    console.log(`widget: ${loader.versioned} ${loader.integrity}`);
  } catch (e) {
    console.error('widget build failed:', e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
