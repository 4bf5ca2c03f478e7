// Trend query at scale: seeds 1,000,000 sessions (200 therapists x 3 years, 50 clients each, ~95% rated, pacing on
// every session) into a local D1 database, then times the summary + trend reads exactly as the Worker runs them
// (worker/summary/load-summary.ts on the D1 binding from wrangler's getPlatformProxy, i.e. inside workerd's D1).
// Goal: the trend query in 10 ms or less.
//
//   node bench/trends.bench.ts [--sessions 1000000] [--queries 500]
//
// Fast path for the seed: `wrangler d1 migrations apply` creates the database file, then Node's built-in
// node:sqlite writes it directly (triggers dropped during the bulk load, rollups computed by one INSERT ... SELECT
// from the same formulas, triggers restored from the migration text), and checks one therapist's rollups against
// a recomputation through the Worker's own query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { rng } from '../scripts/lib-rng.ts';
import { rollupsFromScratch, storedRollups } from '../worker/db/admin-queries.ts';
import { shareUnitsSql } from '../worker/db/rollup-units.ts';
import { clientSeries, TREND_DAYS_FROM_SCRATCH, therapistRolling } from '../worker/db/trend-queries.ts';
import { summaryRowStatement } from '../worker/db/queries.ts';
import { loadSummary, loadTrend, type SummaryTarget } from '../worker/summary/load-summary.ts';
import { dayOf } from '../worker/summary/trend.ts';
import {
  BENCH_PLATFORM as PLATFORM,
  benchCid,
  benchD1,
  benchSid,
  benchTid,
  benchCaseloads,
  openForBulkLoad,
  sessionsInKeyOrder,
} from './lib/seed-d1.ts';
import { fmtFine as fmt, pct } from './lib/stats.ts';
import { reportVerdict } from './lib/verdict.ts';

const shape = benchCaseloads(500);
const GOAL_MS = 10;

const persist = mkdtempSync(join(tmpdir(), 'attune-trends-'));
const t0 = performance.now();
try {
  // --- seed with node:sqlite ---
  const { db, now, start, restoreIndexes, restoreTriggers } = openForBulkLoad(persist, shape.days);
  const insSession = db.prepare(
    `INSERT INTO sessions (platform_id, sid_hash, therapist_hash, client_hash, instrument_id, instrument_version, created_at, asked_at)
     VALUES (?, ?, ?, ?, 'attune-session-4', 1, ?, ?)`,
  );
  const insRating = db.prepare(
    `INSERT INTO ratings (platform_id, sid_hash, therapist_hash, client_hash, status, instrument_id, instrument_version, items, total, max_total, flags, rated_at)
     VALUES (?, ?, ?, ?, ?, 'attune-session-4', 1, ?, ?, ?, ?, ?)`,
  );
  const insPacing = db.prepare(
    `INSERT INTO pacing (platform_id, sid_hash, therapist_hash, client_hash, duration_seconds, therapist_talk_seconds, client_talk_seconds,
                         overlap_seconds, overlap_count, silence_seconds, silence_count, longest_silence_seconds,
                         longest_therapist_turn_seconds, therapist_turns, client_turns, cues_shown, recorded_at)
     VALUES (?, ?, ?, ?, 3000, ?, ?, 20, 8, 300, 30, 12, 70, 110, 105, 1, ?)`,
  );
  const random = rng(42);
  const ids = ['bond', 'goals', 'approach', 'overall'];
  db.exec('BEGIN');
  for (const { at, sid, tid, cid } of sessionsInKeyOrder(shape, start)) {
    insSession.run(PLATFORM, sid, tid, cid, at, at);
    if (random() < 0.95) {
      const items = ids.map((id) => ({ id, value: Math.round((6 + random() * 4) * 10) / 10 }));
      const total = Math.round(items.reduce((s, it) => s + it.value, 0) * 100) / 100;
      const flags = [...(total < 36 ? ['total_low'] : []), ...(items.some((it) => it.value < 9) ? ['item_low'] : [])];
      insRating.run(
        PLATFORM,
        sid,
        tid,
        cid,
        'rated',
        JSON.stringify(items),
        total,
        40,
        JSON.stringify(flags),
        at + 3000,
      );
    } else {
      insRating.run(PLATFORM, sid, tid, cid, 'declined', '[]', null, null, '[]', at + 3000);
    }
    insPacing.run(
      PLATFORM,
      sid,
      tid,
      cid,
      600 + Math.floor(random() * 1200),
      600 + Math.floor(random() * 1200),
      at + 3000,
    );
  }
  db.exec('COMMIT');
  restoreIndexes();
  const seededAt = performance.now();
  // Rollups by the same formulas as the triggers (worker/db/admin-queries.ts rollupsFromScratch), for all therapists at once.
  db.exec(`INSERT INTO therapist_days (platform_id, therapist_hash, day, asked, rated, declined, flagged, share_sum, share_n)
    SELECT s.platform_id, s.therapist_hash, s.created_at / 86400,
           sum(s.asked_at IS NOT NULL), sum(coalesce(r.status = 'rated', 0)), sum(coalesce(r.status = 'declined', 0)),
           sum(coalesce(r.status = 'rated' AND json_array_length(r.flags) > 0, 0)),
           sum(CASE WHEN p.therapist_talk_seconds + p.client_talk_seconds > 0
                    THEN ${shareUnitsSql('p.therapist_talk_seconds', 'p.client_talk_seconds')} ELSE 0 END),
           sum(coalesce(p.therapist_talk_seconds + p.client_talk_seconds > 0, 0))
      FROM sessions s
      LEFT JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
      LEFT JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
     GROUP BY s.platform_id, s.therapist_hash, s.created_at / 86400`);
  // The per-instrument rated totals the trend's mean reads (migration 0014), by the Worker's own recomputation.
  db.prepare(`INSERT INTO therapist_trend_days ${TREND_DAYS_FROM_SCRATCH}`).run(PLATFORM);
  restoreTriggers();
  db.exec('ANALYZE');
  const counts = db
    .prepare(
      'SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM ratings) AS ratings, (SELECT count(*) FROM therapist_days) AS rollups, (SELECT count(*) FROM therapist_trend_days) AS trendRollups',
    )
    .get();
  const rolledAt = performance.now();
  console.log(
    `seeded ${JSON.stringify(counts)} in ${((seededAt - t0) / 1000).toFixed(1)} s (+ rollups ${((rolledAt - seededAt) / 1000).toFixed(1)} s)`,
  );
  const engineTimes = await timeInEngine(db, now);
  db.close();

  // --- query inside workerd's D1 ---
  const proxy = await benchD1(persist);
  try {
    const D1 = proxy.env.DB;
    // The seeded rollups agree with the Worker's own from-scratch recomputation (checked for one therapist).
    const one = benchTid(7);
    const stored = await storedRollups(D1, PLATFORM, one);
    if (stored.length === 0 || JSON.stringify(stored) !== JSON.stringify(await rollupsFromScratch(D1, PLATFORM, one))) {
      throw new Error('seeded rollups differ from the recomputation');
    }

    const targets = pickTargets(7);
    const today = dayOf(now);
    const run = async (target: SummaryTarget) => {
      const instrument = { id: target.instrumentId, version: target.instrumentVersion };
      const res = await D1.batch([
        clientSeries(D1, {
          platformId: target.platformId,
          clientHash: target.clientHash,
          therapistHash: target.therapistHash,
          currentSid: target.sidHash,
          limit: target.trendPoints,
          instrument,
        }),
        therapistRolling(D1, {
          platformId: target.platformId,
          therapistHash: target.therapistHash,
          currentSid: target.sidHash,
          fromDay: today - target.trendDays,
          toDay: today,
          instrument,
        }),
        summaryRowStatement(D1, target.platformId, target.sidHash),
      ]);
      return res.map((r) => r.meta.duration);
    };
    for (const target of targets.slice(0, 50)) await run(target); // warm the page cache
    const series: number[] = [];
    const rolling: number[] = [];
    const summaryRow: number[] = [];
    const trendWall: number[] = [];
    const summaryWall: number[] = [];
    let points = 0;
    for (const target of targets) {
      const [a, b, c] = await run(target);
      series.push(a!);
      rolling.push(b!);
      summaryRow.push(c!);
      let t = performance.now();
      const trend = await loadTrend(D1, target, now);
      trendWall.push(performance.now() - t);
      points += trend.client.length;
      t = performance.now();
      await loadSummary(D1, target, now);
      summaryWall.push(performance.now() - t);
    }
    const trendSql = series.map((s, i) => s + rolling[i]!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const result = {
      sessions: shape.sessions,
      queries: shape.queries,
      meanSeriesPoints: points / shape.queries,
      loadTrendInSqliteEngine: engineTimes.trend,
      loadSummaryInSqliteEngine: engineTimes.summary,
      trendSqlInD1: { p50: pct(trendSql, 50), p95: pct(trendSql, 95), mean: mean(trendSql) },
      clientSeriesSql: { p50: pct(series, 50), p95: pct(series, 95) },
      therapistRollingSql: { p50: pct(rolling, 50), p95: pct(rolling, 95) },
      loadTrendWallFromNode: { p50: pct(trendWall, 50), p95: pct(trendWall, 95) },
      loadSummaryWallFromNode: { p50: pct(summaryWall, 50), p95: pct(summaryWall, 95) },
      goalMs: GOAL_MS,
    };
    console.log(
      `loadTrend() on the same database file, SQLite engine only (node:sqlite, µs clock): p50 ${engineTimes.trend.p50.toFixed(3)} ms, p95 ${engineTimes.trend.p95.toFixed(3)} ms`,
    );
    console.log(
      `loadSummary() likewise: p50 ${engineTimes.summary.p50.toFixed(3)} ms, p95 ${engineTimes.summary.p95.toFixed(3)} ms`,
    );
    console.log(
      `trend SQL inside workerd's D1 (meta.duration, whole ms): ${fmt(trendSql)}, mean ${mean(trendSql).toFixed(3)} ms`,
    );
    console.log(`  client series (${(points / shape.queries).toFixed(1)} points avg): ${fmt(series)}`);
    console.log(`  therapist rolling mean (90 daily rollups): ${fmt(rolling)}`);
    console.log(`  summary row: ${fmt(summaryRow)}`);
    console.log(`loadTrend() wall time from Node through the D1 binding proxy: ${fmt(trendWall)}`);
    console.log(`loadSummary() wall time from Node through the D1 binding proxy: ${fmt(summaryWall)}`);
    reportVerdict('trends', result, {
      ok: pct(trendSql, 95) <= GOAL_MS && engineTimes.trend.p95 <= GOAL_MS,
      okText: `trend query p95 <= ${GOAL_MS} ms`,
      failText: `trend query p95 above ${GOAL_MS} ms`,
      startedAt: t0,
    });
  } finally {
    await proxy.dispose();
  }
} finally {
  rmSync(persist, { recursive: true, force: true });
}

/**
 * The Worker's own loadTrend/loadSummary run against the seeded file through a minimal D1 adapter over
 * node:sqlite: the same SQL, binds and query plans as in D1, timed with a microsecond clock (workerd's clock
 * only advances in whole milliseconds around I/O).
 */
/** `--queries` summaries to read, at random (seeded): a therapist, one of their clients, and that client's latest session. */
function pickTargets(seed: number): SummaryTarget[] {
  const perTherapist = Math.ceil(shape.sessions / shape.therapists);
  const pick = rng(seed);
  return Array.from({ length: shape.queries }, () => {
    const t = Math.floor(pick() * shape.therapists);
    const c = Math.floor(pick() * shape.clientsPerTherapist);
    const k = Math.floor((perTherapist - 1 - c) / shape.clientsPerTherapist) * shape.clientsPerTherapist + c;
    return {
      platformId: PLATFORM,
      sidHash: benchSid(k * shape.therapists + t),
      therapistHash: benchTid(t),
      clientHash: benchCid(t, c),
      trendDays: 90,
      trendPoints: 24,
      instrumentId: 'attune-session-4',
      instrumentVersion: 1,
    };
  });
}

async function timeInEngine(db: DatabaseSync, now: number) {
  const cache = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prep = (sql: string) => {
    const st = cache.get(sql) ?? db.prepare(sql);
    cache.set(sql, st);
    return st;
  };
  type Stmt = { sql: string; args: unknown[] };
  const statement = (sql: string, args: unknown[] = []): Stmt & Record<string, unknown> => ({
    sql,
    args,
    bind: (...a: unknown[]) => statement(sql, a),
    all: async () => ({ results: prep(sql).all(...(args as never[])), meta: {} }),
    first: async () => prep(sql).get(...(args as never[])) ?? null,
  });
  const d1 = {
    prepare: (sql: string) => statement(sql),
    batch: async (stmts: Stmt[]) => stmts.map((s) => ({ results: prep(s.sql).all(...(s.args as never[])), meta: {} })),
  } as unknown as D1Database;
  const targets = pickTargets(11);
  const trend: number[] = [];
  const summary: number[] = [];
  // Synchronous underneath: the awaits resolve at once, so the clock measures the engine (and the tiny JS around it).
  for (const target of targets.slice(0, 50)) await loadTrend(d1, target, now);
  for (const target of targets) {
    let t = performance.now();
    await loadTrend(d1, target, now);
    trend.push(performance.now() - t);
    t = performance.now();
    await loadSummary(d1, target, now);
    summary.push(performance.now() - t);
  }
  return {
    trend: { p50: pct(trend, 50), p95: pct(trend, 95) },
    summary: { p50: pct(summary, 50), p95: pct(summary, 95) },
  };
}
