// The production Worker as `wrangler deploy` would upload it: bundle size (raw and gzip, from a --dry-run build)
// and its startup cost (`wrangler check startup`: a local CPU profile of the Worker's top-level evaluation; the
// figure on Cloudflare differs, the trend is what matters). Median of 5 profiles. `npm run bench -- deploy`
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'node_modules/.bin');
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const dir = mkdtempSync(join(tmpdir(), 'attune-deploy-'));
const wrangler = (args: string[]) => {
  const r = spawnSync(join(bin, 'wrangler'), args, { cwd: root, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

try {
  wrangler(['deploy', '--dry-run', '--outdir', join(dir, 'out')]);
  const bundle = readFileSync(join(dir, 'out/index.js'));
  console.log(
    `worker bundle: ${(bundle.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(bundle).length / 1024).toFixed(1)} KiB gzip`,
  );
  const active: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = wrangler(['check', 'startup', '--outfile', join(dir, `startup-${i}.cpuprofile`)]);
    const m = /Active:\s*([\d.]+)\s*ms/.exec(out);
    if (!m) throw new Error(`no "Active" figure in:\n${out}`);
    active.push(Number(m[1]));
  }
  active.sort((a, b) => a - b);
  console.log(
    `startup (local CPU profile, active): median ${active[2]} ms, min ${active[0]} ms, max ${active[4]} ms over 5 runs`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
