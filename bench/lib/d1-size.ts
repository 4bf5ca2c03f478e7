// Bytes a session takes in D1: the migrations applied to a SQLite file (D1 is SQLite; its size is the file's),
// then `sessions` sessions written with the Worker's own statements (worker/db/queries.ts, rollup triggers
// included): the session, its rating, its pacing and both idempotency records, as a rated session leaves them.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { DEFAULT_INSTRUMENT } from '../../schemas/index.ts';
import { insertIdempotency, insertPacing, insertRating, upsertSession } from '../../worker/db/queries.ts';
import { insertPlatform } from '../../test/worker/seed-queries.ts';

interface Bound {
  sql: string;
  values: SQLInputValue[];
}

/** Just enough of D1Database for the query module's builders: prepare(sql).bind(...) gives back the SQL and values. */
function recorder(): D1Database {
  const shim = { prepare: (sql: string) => ({ bind: (...values: SQLInputValue[]): Bound => ({ sql, values }) }) };
  return shim as unknown as D1Database;
}

const compiled = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

function run(db: DatabaseSync, statement: unknown): void {
  const { sql, values } = statement as Bound;
  const cache = compiled.get(db) ?? new Map<string, StatementSync>();
  compiled.set(db, cache);
  const stmt = cache.get(sql) ?? db.prepare(sql);
  cache.set(sql, stmt);
  stmt.run(...values);
}

const b64 = (n: number) => {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
};

export interface SizeResult {
  sessions: number;
  fileBytes: number;
  bytesPerSession: number;
  tables: Record<string, number>;
}

/**
 * `sessions` rated sessions over `days` days, spread over `therapists` therapists and `clients` clients
 * (a client keeps one therapist), as the Worker stores them.
 */
export function measureD1Size(opts: {
  sessions: number;
  therapists: number;
  clients: number;
  days: number;
}): SizeResult {
  const file = join(tmpdir(), `attune-d1-size-${process.pid}.sqlite`);
  rmSync(file, { force: true });
  const db = new DatabaseSync(file);
  // Durability settings change how fast the file is written, not what it holds after the VACUUM below.
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -524288');
  const migrations = join(import.meta.dirname, '../../migrations');
  for (const f of readdirSync(migrations)
    .filter((x) => x.endsWith('.sql'))
    .sort())
    db.exec(readFileSync(join(migrations, f), 'utf8'));

  const d1 = recorder();
  const platformId = 'plt_bench001';
  const start = Math.floor(Date.now() / 1000) - opts.days * 86400;
  run(db, insertPlatform(d1, { id: platformId, name: 'Bench platform', now: start }));
  const therapists = Array.from({ length: opts.therapists }, () => b64(32));
  const clients = Array.from({ length: opts.clients }, () => b64(32));

  db.exec('BEGIN');
  for (let i = 0; i < opts.sessions; i++) {
    const c = i % opts.clients;
    const key = {
      platformId,
      sidHash: b64(32),
      therapistHash: therapists[c % opts.therapists]!,
      clientHash: clients[c]!,
    };
    const at = start + Math.floor((i / opts.sessions) * opts.days * 86400);
    const value = () => Math.round(Math.random() * 100) / 10;
    const items = DEFAULT_INSTRUMENT.items.map((it) => ({ id: it.id, value: value() }));
    const total = Math.round(items.reduce((s, x) => s + x.value, 0) * 100) / 100;
    run(
      db,
      upsertSession(d1, {
        ...key,
        instrumentId: DEFAULT_INSTRUMENT.id,
        instrumentVersion: 1,
        scheduledStart: at,
        scheduledEnd: at + 3000,
        now: at,
      }),
    );
    run(
      db,
      insertRating(d1, key, {
        status: 'rated',
        instrumentId: DEFAULT_INSTRUMENT.id,
        instrumentVersion: 1,
        items: JSON.stringify(items),
        total,
        maxTotal: 40,
        flags: JSON.stringify(total < 36 ? ['total_low'] : []),
        ratedAt: at + 3000,
      }),
    );
    run(
      db,
      insertPacing(
        d1,
        key,
        {
          durationSeconds: 3000,
          therapistTalkSeconds: 1200.5,
          clientTalkSeconds: 1500.25,
          overlapSeconds: 30.5,
          overlapCount: 12,
          silenceSeconds: 330.75,
          silenceCount: 40,
          longestSilenceSeconds: 14.5,
          longestTherapistTurnSeconds: 75.25,
          therapistTurns: 120,
          clientTurns: 118,
          cuesShown: 2,
        },
        at + 3000,
      ),
    );
    for (const [scope, body] of [
      ['rating', `{"status":"rated","receivedAt":${at + 3000},"delivered":true}`],
      ['pacing', `{"status":"recorded","receivedAt":${at + 3000}}`],
    ] as const) {
      run(
        db,
        insertIdempotency(
          d1,
          {
            platformId,
            key: crypto.randomUUID(),
            scope: `${scope}:${key.sidHash}`,
            requestHash: b64(32),
            status: 201,
            body,
            now: at + 3000,
          },
          key,
        ),
      );
    }
    if (i % 10_000 === 9_999) {
      db.exec('COMMIT');
      db.exec('BEGIN');
    }
    // Without statistics SQLite answers `platform_id = ? AND client_hash = ?` from the primary key's platform prefix
    // (every session of the platform per insert); with them, from sessions_client. See BENCHMARKS.md.
    if (i === 2_000) db.exec('ANALYZE');
  }
  db.exec('COMMIT');
  db.exec('VACUUM');

  const tables: Record<string, number> = {};
  try {
    // dbstat (per-table bytes) exists when SQLite was built with it; the file size alone is the figure that counts.
    for (const r of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all())
      tables[String(r.name)] = Number(r.bytes);
  } catch {
    // no dbstat
  }
  db.close();
  const fileBytes = statSync(file).size;
  rmSync(file, { force: true });
  return { sessions: opts.sessions, fileBytes, bytesPerSession: fileBytes / opts.sessions, tables };
}
