// Every local stack starts from the same empty D1 with all migrations applied. `wrangler d1 migrations apply` starts
// a workerd per migration (about 10 s on a loaded 2-core machine), so the browser project applies them once, to a
// template that each stack copies before scripts/seed-demo.ts seeds it (which then finds nothing left to apply and
// seeds as before: its own keys, origin and time). Outside vitest (the benches), stacks apply the migrations
// themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '../../scripts/wrangler-d1.ts';

/** The template's state directory (wrangler's --persist-to), set for the test files by the global setup below. */
export const MIGRATED_D1_ENV = 'ATTUNE_MIGRATED_D1';

/** Vitest global setup of the browser project: the template, removed after the run. */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'attune-migrated-d1-'));
  const state = join(dir, 'state');
  applyMigrations({ persistTo: state });
  process.env[MIGRATED_D1_ENV] = state;
  return () => {
    delete process.env[MIGRATED_D1_ENV];
    rmSync(dir, { recursive: true, force: true });
  };
}
