// The caseload query at scale: seeds 1,000,000 sessions (200 therapists x 3 years, 50 clients each, ~95% rated,
// pacing on every session) into a local D1 database, then times POST /v1/caseload's two statements exactly as the
// Worker runs them (worker/db/caseload-queries.ts, one batch: the therapist's 50 clients by primary key, and the
// therapist's pacing rollups over 365 days by week) on the D1 binding from wrangler's getPlatformProxy, i.e. inside
// workerd's D1, and on the same file through node:sqlite with a microsecond clock. Goal: 10 ms or less.
//
//   node bench/caseload.bench.ts [--sessions 1000000] [--queries 300]     (npm run bench -- caseload)
//
// Seed as bench/trends.bench.ts: migrations applied by wrangler, rows written by node:sqlite with triggers dropped,
// the caseload rollups computed by the same formulas as migration 0009's triggers (CASELOAD_CLIENTS_FROM_SCRATCH,
// PACE_DAYS_FROM_SCRATCH), triggers restored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rng } from '../scripts/lib-rng.ts';
import {
  CASELOAD_CLIENTS_FROM_SCRATCH,
  caseloadClients,
  PACE_DAYS_FROM_SCRATCH,
  paceWeeks,
} from '../worker/db/caseload-queries.ts';
import { dayOf } from '../worker/summary/trend.ts';
import {
  BENCH_PLATFORM as PLATFORM,
  benchCid,
  benchD1,
  benchTid,
  benchCaseloads,
  openForBulkLoad,
  sessionsInKeyOrder,
} from './lib/seed-d1.ts';
import { fmtFine as fmt, pct } from './lib/stats.ts';
import { reportVerdict } from './lib/verdict.ts';

const shape = benchCaseloads(300);
const WINDOW_DAYS = 365;
const GOAL_MS = 10;

const persist = mkdtempSync(join(tmpdir(), 'attune-caseload-'));
const t0 = performance.now();
try {
  const { db, now, start, restoreIndexes, restoreTriggers } = openForBulkLoad(persist, shape.days);
  const insSession = db.prepare(
    `INSERT INTO sessions (platform_id, sid_hash, therapist_hash, client_hash, instrument_id, instrument_version, created_at, asked_at, client_seq)
     VALUES (?, ?, ?, ?, 'attune-session-4', 1, ?, ?, ?)`,
  );
  const insRating = db.prepare(
    `INSERT INTO ratings (platform_id, sid_hash, therapist_hash, client_hash, status, instrument_id, instrument_version, items, total, max_total, flags, rated_at)
     VALUES (?, ?, ?, ?, ?, 'attune-session-4', 1, '[]', ?, ?, '[]', ?)`,
  );
  const insPacing = db.prepare(
    `INSERT INTO pacing (platform_id, sid_hash, therapist_hash, client_hash, duration_seconds, therapist_talk_seconds, client_talk_seconds,
                         overlap_seconds, overlap_count, silence_seconds, silence_count, longest_silence_seconds,
                         longest_therapist_turn_seconds, therapist_turns, client_turns, cues_shown, recorded_at)
     VALUES (?, ?, ?, ?, 3000, ?, ?, 20, ?, 300, 30, 12, ?, 110, 105, 1, ?)`,
  );
  const random = rng(42);
  db.exec('BEGIN');
  for (const { k, at, sid, tid, cid } of sessionsInKeyOrder(shape, start)) {
    insSession.run(PLATFORM, sid, tid, cid, at, at, Math.floor(k / shape.clientsPerTherapist) + 1);
    const share = 0.3 + random() * 0.5;
    if (random() < 0.95) {
      const total = Math.round((36 - 8 * (share - 0.5) + (random() - 0.5) * 8) * 10) / 10;
      insRating.run(PLATFORM, sid, tid, cid, 'rated', total, 40, at + 3000);
    } else insRating.run(PLATFORM, sid, tid, cid, 'declined', null, null, at + 3000);
    insPacing.run(
      PLATFORM,
      sid,
      tid,
      cid,
      Math.round(2400 * share),
      Math.round(2400 * (1 - share)),
      Math.floor(random() * 10),
      Math.round((30 + random() * 120) * 10) / 10,
      at + 3000,
    );
  }
  db.exec('COMMIT');
  restoreIndexes();
  const seededAt = performance.now();
  db.prepare(`INSERT INTO caseload_clients ${CASELOAD_CLIENTS_FROM_SCRATCH}`).run(PLATFORM);
  db.prepare(`INSERT INTO therapist_pace_days ${PACE_DAYS_FROM_SCRATCH}`).run(PLATFORM);
  restoreTriggers();
  db.exec('ANALYZE');
  const counts = db
    .prepare(
      'SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM caseload_clients) AS caseloadClients, (SELECT count(*) FROM therapist_pace_days) AS paceDays',
    )
    .get();
  console.log(
    `seeded ${JSON.stringify(counts)} in ${((seededAt - t0) / 1000).toFixed(1)} s (+ caseload rollups ${((performance.now() - seededAt) / 1000).toFixed(1)} s)`,
  );

  const toDay = dayOf(now);
  const pick = rng(7);
  const targets = Array.from({ length: shape.queries }, () => {
    const t = Math.floor(pick() * shape.therapists);
    return {
      therapistHash: benchTid(t),
      clientHashes: Array.from({ length: shape.clientsPerTherapist }, (_, c) => benchCid(t, c)),
    };
  });
  const statements = (d1: D1Database, target: (typeof targets)[number]) => [
    caseloadClients(d1, { platformId: PLATFORM, ...target }),
    paceWeeks(d1, {
      platformId: PLATFORM,
      therapistHash: target.therapistHash,
      fromDay: toDay - WINDOW_DAYS,
      toDay,
      aboveBand: 12,
    }),
  ];

  // The same statements on the same file in the SQLite engine alone (µs clock; workerd's advances only around I/O).
  const engine: number[] = [];
  const adapter = {
    prepare: (sql: string) => {
      const st = db.prepare(sql);
      return { bind: (...args: unknown[]) => ({ run: () => st.all(...(args as never[])) }) };
    },
  } as unknown as D1Database;
  for (const [i, target] of targets.entries()) {
    const [a, b] = statements(adapter, target) as unknown as { run(): unknown[] }[];
    const t = performance.now();
    const rows = a!.run().length + b!.run().length;
    if (i >= 20) engine.push(performance.now() - t);
    if (rows === 0) throw new Error('the caseload query found nothing');
  }
  db.close();

  const proxy = await benchD1(persist);
  try {
    const D1 = proxy.env.DB;
    const clientsSql: number[] = [];
    const paceSql: number[] = [];
    const wall: number[] = [];
    let weeks = 0;
    let found = 0;
    for (const target of targets.slice(0, 30)) await D1.batch(statements(D1, target)); // warm the page cache
    for (const target of targets) {
      const t = performance.now();
      const [a, b] = await D1.batch(statements(D1, target));
      wall.push(performance.now() - t);
      clientsSql.push(a!.meta.duration);
      paceSql.push(b!.meta.duration);
      found += a!.results.length;
      weeks += b!.results.length;
    }
    const both = clientsSql.map((x, i) => x + paceSql[i]!);
    console.log(`caseload query, SQLite engine only (node:sqlite, µs clock): ${fmt(engine)}`);
    console.log(`caseload SQL inside workerd's D1 (meta.duration, whole ms): ${fmt(both)}`);
    console.log(
      `  ${shape.clientsPerTherapist} clients by primary key (${(found / shape.queries).toFixed(1)} rows avg): ${fmt(clientsSql)}`,
    );
    console.log(
      `  pacing rollups, ${WINDOW_DAYS} days by week (${(weeks / shape.queries).toFixed(1)} rows avg): ${fmt(paceSql)}`,
    );
    console.log(`the batch's wall time from Node through the D1 binding proxy: ${fmt(wall)}`);
    const result = {
      sessions: shape.sessions,
      queries: shape.queries,
      clientsPerRequest: shape.clientsPerTherapist,
      windowDays: WINDOW_DAYS,
      engine: { p50: pct(engine, 50), p95: pct(engine, 95) },
      d1: { p50: pct(both, 50), p95: pct(both, 95) },
      wallFromNode: { p50: pct(wall, 50), p95: pct(wall, 95) },
      goalMs: GOAL_MS,
    };
    reportVerdict('caseload', result, {
      ok: pct(both, 95) <= GOAL_MS && pct(engine, 95) <= GOAL_MS,
      okText: `caseload query p95 <= ${GOAL_MS} ms`,
      failText: `caseload query p95 above ${GOAL_MS} ms`,
      startedAt: t0,
    });
  } finally {
    await proxy.dispose();
  }
} finally {
  rmSync(persist, { recursive: true, force: true });
}
