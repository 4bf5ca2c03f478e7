// The production Worker builds as `wrangler deploy` would upload it (no account needed: --dry-run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');

describe('wrangler deploy --dry-run', () => {
  it('bundles the Worker with its bindings and the built widget as static assets', () => {
    // The assets directory is the widget build (npm test builds it first).
    expect(existsSync(join(ROOT, 'dist/widget/widget.js')), 'run `npm run build` first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'attune-dry-'));
    try {
      const r = spawnSync(join(BIN, 'wrangler'), ['deploy', '--dry-run', '--outdir', dir], {
        cwd: ROOT,
        env: {
          ...process.env,
          PATH: `${BIN}:${process.env.PATH ?? ''}`,
          WRANGLER_SEND_METRICS: 'false',
          NO_COLOR: '1',
          CI: 'true',
        },
        encoding: 'utf8',
      });
      const out = `${r.stdout}\n${r.stderr}`;
      expect(r.status, out).toBe(0);
      expect(out).toMatch(/--dry-run: exiting now/);
      expect(out).toMatch(/env\.LIVE \(SessionLive\)\s+Durable Object/);
      expect(out).toMatch(/env\.DB \(attune\)\s+D1 Database/);
      expect(out).toMatch(/Read \d+ files from the assets directory/);
      const bundle = readFileSync(join(dir, 'index.js'), 'utf8');
      // The entry's exports: the fetch handler, the cron, and the Durable Object class.
      expect(bundle).toMatch(/export\s*\{[^}]*SessionLive[^}]*\}/);
      expect(bundle).toContain('scheduled');
      // The dev-only token route is gated at runtime by DEV_MODE, never by a production default.
      expect(bundle).not.toMatch(/DEV_MODE\s*[:=]\s*["']1["']/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
