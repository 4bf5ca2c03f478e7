/** Runs `wrangler d1 ...` against the DB binding, locally (default) or remotely, with the repo's own wrangler. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

export interface D1Target {
  remote?: boolean;
  /** Local persistence directory (wrangler's --persist-to); default .wrangler/state. */
  persistTo?: string;
}

function targetArgs(t: D1Target): string[] {
  if (t.remote) return ['--remote'];
  return ['--local', ...(t.persistTo ? ['--persist-to', resolve(t.persistTo)] : [])];
}

function run(args: string[]): string {
  const res = spawnSync(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
  });
  if (res.status !== 0) {
    throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed:\n${res.stderr || res.stdout}`);
  }
  return res.stdout;
}

export function applyMigrations(t: D1Target): void {
  run(['d1', 'migrations', 'apply', 'DB', ...targetArgs(t)]);
}

/** Executes SQL text from a temporary file (it may hold secrets, so it is removed at once). */
export function executeSql(t: D1Target, sql: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'attune-sql-'));
  const file = join(dir, 'statements.sql');
  try {
    writeFileSync(file, sql, { mode: 0o600 });
    run(['d1', 'execute', 'DB', ...targetArgs(t), '--file', file, '--yes']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one query and returns its rows (for tests and checks). */
export function query<T = Record<string, unknown>>(t: D1Target, sql: string): T[] {
  const out = run(['d1', 'execute', 'DB', ...targetArgs(t), '--command', sql, '--json']);
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results: T[] }[];
  return parsed.flatMap((p) => p.results);
}
