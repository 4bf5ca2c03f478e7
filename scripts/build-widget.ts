// Builds the widget into dist/widget: widget.js (classic-script loader, IIFE) and the role chunks it lazy-loads
// (ESM with code splitting: client.js, therapist.js, chunk-<hash>.js). Writes dist/widget-meta.json (outside
// the served directory) for the size bench. `node scripts/build-widget.ts`
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_INSTRUMENT } from '../schemas/instrument.ts';

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

const common: esbuild.BuildOptions = {
  bundle: true,
  minify: true,
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [noLivekit, pureSchemas, instrumentAsData],
  absWorkingDir: root,
};

export async function buildWidget(): Promise<esbuild.Metafile> {
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
      entryNames: '[name]',
      chunkNames: `${name}-[hash]`,
      jsx: 'automatic',
      jsxImportSource: 'preact',
    });
  const results = await Promise.all([
    esbuild.build({ ...common, entryPoints: ['widget/loader.ts'], format: 'iife', outfile: join(outdir, 'widget.js') }),
    role('client', 'widget/client.ts'),
    role('therapist', 'widget/therapist.tsx'),
  ]);
  const meta: esbuild.Metafile = { inputs: {}, outputs: {} };
  for (const r of results) {
    Object.assign(meta.inputs, r.metafile!.inputs);
    Object.assign(meta.outputs, r.metafile!.outputs);
  }
  // The loader import()s its chunks from the API origin into a page on another origin: module scripts are fetched
  // with CORS, so the static assets need Access-Control-Allow-Origin (public code, no credentials: `*` is right).
  // Workers Static Assets apply this `_headers` file and do not serve it.
  writeFileSync(
    join(outdir, '_headers'),
    ['/*', '  Access-Control-Allow-Origin: *', '  Cross-Origin-Resource-Policy: cross-origin', '  X-Content-Type-Options: nosniff', ''].join('\n'),
  );
  writeFileSync(join(root, 'dist/widget-meta.json'), JSON.stringify(meta));
  return meta;
}

if (import.meta.main) {
  await buildWidget();
}
