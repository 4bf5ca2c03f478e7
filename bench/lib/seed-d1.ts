// Fast seeding of a local D1 database for the query benches (caseload, trends): `wrangler d1 migrations apply`
// creates the database file, then Node's built-in node:sqlite writes it directly, with the triggers and the
// secondary indexes dropped during the bulk load and restored afterwards.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { getPlatformProxy } from 'wrangler';
import { applyMigrations, ROOT } from '../../scripts/wrangler-d1.ts';

export const BENCH_PLATFORM = 'plt_bench';

/** Stands in for the Worker's ref hash: the same shape of value, without the secret. */
export const benchHash = (s: string) => createHash('sha256').update(s).digest('base64url');
export const benchSid = (i: number) => benchHash(`bench-sid-${i}`);
export const benchTid = (t: number) => benchHash(`bench-tid-${t}`);
export const benchCid = (t: number, c: number) => benchHash(`bench-cid-${t}-${c}`);

// A type literal, not an interface: node:sqlite's rows (Record<string, …>) convert to it.
type SchemaObject = { name: string; sql: string };

export interface BulkLoad {
  db: DatabaseSync;
  /** Now (epoch seconds), and `days` before it: when the bench platform was created and its sessions begin. */
  now: number;
  start: number;
  /** Builds the secondary indexes again (after the load: a sort, much faster than random B-tree inserts). */
  restoreIndexes(): void;
  /** Creates the triggers again, from their migration text (after the rollups are computed from scratch). */
  restoreTriggers(): void;
}

/**
 * Applies the migrations into `persist` (wrangler's --persist-to), opens the D1 file for a bulk load and adds the
 * bench platform, created `days` ago.
 */
export function openForBulkLoad(persist: string, days: number): BulkLoad {
  applyMigrations({ persistTo: persist });
  const dir = join(persist, 'v3/d1/miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (!file) throw new Error('no D1 database file after applying migrations');
  const db = new DatabaseSync(join(dir, file));
  db.exec(
    'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1500000; PRAGMA foreign_keys = OFF;',
  );
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as SchemaObject[];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('sessions', 'ratings', 'pacing')",
    )
    .all() as SchemaObject[];
  for (const x of indexes) db.exec(`DROP INDEX ${x.name}`);
  const now = Math.floor(Date.now() / 1000);
  const start = now - days * 86_400;
  db.exec(
    `INSERT INTO platforms (id, name, settings, retention_days, created_at) VALUES ('${BENCH_PLATFORM}', 'Bench', '{}', 3650, ${start})`,
  );
  return {
    db,
    now,
    start,
    restoreIndexes: () => {
      for (const x of indexes) db.exec(x.sql);
    },
    restoreTriggers: () => {
      for (const t of triggers) db.exec(t.sql);
    },
  };
}

export interface Caseloads {
  sessions: number;
  therapists: number;
  clientsPerTherapist: number;
  days: number;
}

/** The seeded database as the Worker sees it: the D1 binding from wrangler's getPlatformProxy (workerd's D1). */
export function benchD1(persist: string) {
  return getPlatformProxy<{ DB: D1Database }>({
    configPath: join(ROOT, 'wrangler.toml'),
    persist: { path: join(persist, 'v3') },
  });
}

/**
 * What both query benches seed: --sessions (default 1,000,000) over 200 therapists x 3 years, 50 clients each;
 * and --queries, how many reads to time.
 */
export function benchCaseloads(defaultQueries: number): Caseloads & { queries: number } {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '1000000' },
      queries: { type: 'string', default: String(defaultQueries) },
    },
  });
  return {
    sessions: Number(values.sessions),
    queries: Number(values.queries),
    therapists: 200,
    clientsPerTherapist: 50,
    days: 3 * 365,
  };
}

export interface SeedSession {
  /** The session's number: therapist `i % therapists`, whose `k`-th session it is. */
  i: number;
  k: number;
  therapist: number;
  client: number;
  at: number;
  sid: string;
  tid: string;
  cid: string;
}

/**
 * Every session of `shape`, each therapist's evenly over `days` from `start` and round-robin over their clients,
 * in primary-key order (sid hash), so the tables themselves are appended to.
 */
export function* sessionsInKeyOrder(shape: Caseloads, start: number): Generator<SeedSession> {
  const tids = Array.from({ length: shape.therapists }, (_, t) => benchTid(t));
  const perTherapist = Math.ceil(shape.sessions / shape.therapists);
  const sids = Array.from({ length: shape.sessions }, (_, i) => benchSid(i));
  const order = Uint32Array.from({ length: shape.sessions }, (_, i) => i).sort((a, b) =>
    sids[a]! < sids[b]! ? -1 : sids[a]! > sids[b]! ? 1 : 0,
  );
  for (const i of order) {
    const therapist = i % shape.therapists;
    const k = Math.floor(i / shape.therapists);
    const client = k % shape.clientsPerTherapist;
    const at = start + Math.floor((k * shape.days * 86_400) / perTherapist) + (therapist % 600);
    yield { i, k, therapist, client, at, sid: sids[i]!, tid: tids[therapist]!, cid: benchCid(therapist, client) };
  }
}
