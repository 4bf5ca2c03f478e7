// Builds what `npm pack` ships (package.json "exports"), into dist/npm:
//   widget/index.js   `attune/widget`: ESM for bundlers; the role UIs are lazy chunks beside it (chunk-<hash>.js)
//   server/index.js   `attune/server`: ESM, platform-neutral (Node 20+, Workers, Deno, Bun); jose and valibot stay
//                     imports (package dependencies)
//   types/…           declarations (tsc), only the files the two entries reach
// `node scripts/build-package.ts` (run by `npm pack` through "prepack").
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { common } from './build-widget.ts';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist/npm');

export const TYPE_ENTRIES = ['widget/index.d.ts', 'sdk/server.d.ts'];

/** Relative specifiers of a declaration file, `.ts` rewritten to `.js` (what a consumer's resolver expects). */
function rewriteSpecifiers(text: string): string {
  return text.replace(/^((?:import|export)\b[^\n]*?from\s+['"])(\.{1,2}\/[^'"]+?)\.tsx?(['"])/gm, '$1$2.js$3');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

/** Keeps the declarations reachable from the entries; rewrites their specifiers. */
function pruneTypes(typesDir: string): string[] {
  const keep = new Set<string>();
  const visit = (file: string) => {
    if (keep.has(file)) return;
    keep.add(file);
    const text = rewriteSpecifiers(readFileSync(file, 'utf8'));
    writeFileSync(file, text);
    for (const [, spec] of text.matchAll(/^(?:import|export)\b[^\n]*?from\s+['"](\.{1,2}\/[^'"]+)\.js['"]/gm))
      visit(resolve(dirname(file), spec + '.d.ts'));
  };
  for (const e of TYPE_ENTRIES) visit(join(typesDir, e));
  for (const f of walk(typesDir)) if (!keep.has(f)) rmSync(f);
  return [...keep].map((f) => relative(typesDir, f)).sort();
}

export async function buildPackage(): Promise<{ types: string[] }> {
  rmSync(out, { recursive: true, force: true });
  await Promise.all([
    esbuild.build({
      ...common,
      minify: false,
      entryPoints: { index: 'widget/index.ts' },
      format: 'esm',
      splitting: true,
      outdir: join(out, 'widget'),
      chunkNames: 'chunk-[hash]',
      jsx: 'automatic',
      jsxImportSource: 'preact',
    }),
    esbuild.build({
      absWorkingDir: root,
      bundle: true,
      entryPoints: ['sdk/server.ts'],
      outfile: join(out, 'server/index.js'),
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      external: ['jose', 'valibot'],
      plugins: common.plugins ?? [],
      logLevel: 'warning',
    }),
  ]);
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.package.json'], { cwd: root, stdio: 'inherit' });
  return { types: pruneTypes(join(out, 'types')) };
}

if (import.meta.main) {
  await buildPackage();
}
