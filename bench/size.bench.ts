// Size of every shipped widget file (raw, gzip, brotli) and what a client downloads to rate: the loader, the
// client chunk and the chunks it imports statically. Budget: 10 KB gzip. Also proves no livekit-client code
// reached any file. Exits non-zero on either failure.  `npm run bench -- size`
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildWidget } from '../scripts/build-widget.ts';

const BUDGET_GZIP = 10 * 1024;
const root = join(import.meta.dirname, '..');

const { meta, manifest } = await buildWidget();
const sizes = new Map<string, { raw: number; gzip: number; brotli: number }>();
for (const out of Object.keys(meta.outputs).filter((o) => o.endsWith('.js'))) {
  const buf = readFileSync(join(root, out));
  sizes.set(out, {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}

/** A file plus every chunk it imports statically (what the browser must fetch before it runs). */
function closure(file: string, seen = new Set<string>(), lazyToo = false): Set<string> {
  seen.add(file);
  for (const imp of meta.outputs[file]?.imports ?? []) {
    if ((imp.kind === 'import-statement' || (lazyToo && imp.kind === 'dynamic-import')) && !seen.has(imp.path))
      closure(imp.path, seen, lazyToo);
  }
  return seen;
}
const sum = (files: Iterable<string>, k: 'raw' | 'gzip' | 'brotli') =>
  [...files].reduce((n, f) => n + (sizes.get(f)?.[k] ?? 0), 0);
const kb = (n: number) => (n / 1024).toFixed(2).padStart(6) + ' KB';

console.log('file'.padEnd(34), 'raw'.padStart(9), 'gzip'.padStart(9), 'brotli'.padStart(9));
for (const [f, s] of [...sizes].sort())
  console.log(relative('dist/widget', f).padEnd(34), kb(s.raw), kb(s.gzip), kb(s.brotli));

const dir = 'dist/widget/';
const paths = {
  client: closure(dir + manifest.client, new Set([dir + 'widget.js'])),
  therapist: closure(dir + manifest.therapist, new Set([dir + 'widget.js'])),
  // The caseload page loads its own loader, never widget.js.
  caseload: closure(dir + manifest.caseload, new Set([dir + 'caseload.js'])),
};
let failed = false;
for (const [role, files] of Object.entries(paths)) {
  const names = [...files].map((f) => relative('dist/widget', f)).join(' + ');
  console.log(
    `\n${role} downloads (${names}): ${kb(sum(files, 'raw'))} raw, ${kb(sum(files, 'gzip'))} gzip, ${kb(sum(files, 'brotli'))} brotli`,
  );
}
const worst = closure(dir + manifest.client, new Set([dir + 'widget.js']), true);
console.log(
  `client worst case (every lazy chunk too, e.g. the fallback instrument when /v1/context fails): ${kb(sum(worst, 'gzip'))} gzip`,
);
const clientGzip = sum(paths.client, 'gzip');
if (clientGzip > BUDGET_GZIP) {
  console.error(`FAIL: a client downloads ${clientGzip} B gzip to rate; budget ${BUDGET_GZIP} B`);
  failed = true;
} else {
  console.log(`budget: client ${clientGzip} B gzip of ${BUDGET_GZIP} B (${BUDGET_GZIP - clientGzip} B to spare)`);
}

const livekit = Object.keys(meta.inputs).filter((i) => /(^|\/)node_modules\/(livekit-client|@livekit)\//.test(i));
if (livekit.length) {
  console.error('FAIL: livekit-client code in the widget bundle:', livekit.join(', '));
  failed = true;
} else {
  console.log(`livekit-client: none of ${Object.keys(meta.inputs).length} bundled inputs comes from it`);
}
process.exit(failed ? 1 : 0);
