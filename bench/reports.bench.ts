// Published reports at scale: a year of rated sessions (default 100,000: 100 therapists, 5,000 clients, 3 in 10
// clients rated on a 1..7 three-item likert, the rest on the built-in 0..40 scale) written into a SQLite file with
// the migrations applied and the rollup triggers running, then the admin report exactly as the route builds it
// (worker/admin/reports/published-weeks.ts and report.ts) through a D1 stand-in over node:sqlite: the SQLite engine
// alone, no workerd, no network.
//
//   node bench/reports.bench.ts [--sessions 100000] [--reads 200]
//
// Times: the first publication of the last closed week (freezing one week, as the first read after a week closes
// does), of the year's other weeks at once (a first read over a long range), then reads of 13-week ranges whose
// weeks are all frozen (the default report; such a read writes nothing). Goal: a 13-week read p95 <= 100 ms and a
// week's first publication <= 1 s.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { DEFAULT_INSTRUMENT, type Instrument, instrumentMaxTotal } from '../schemas/index.ts';
import { lastPublishableWeek } from '../worker/admin/reports/range.ts';
import { publishedWeeks } from '../worker/admin/reports/published-weeks.ts';
import { buildPublishedReport } from '../worker/admin/reports/report.ts';
import { likertInstrument } from '../test/samples.ts';
import { fmtFine, pct } from './lib/stats.ts';
import { reportVerdict } from './lib/verdict.ts';

const { values: args } = parseArgs({
  options: { sessions: { type: 'string', default: '100000' }, reads: { type: 'string', default: '200' } },
});
const SESSIONS = Number(args.sessions);
const READS = Number(args.reads);
// About 19 sessions a week per therapist: enough for most cells to be published, some not.
const THERAPISTS = Math.max(1, Math.round(SESSIONS / 1000));
const CLIENTS = Math.max(1, Math.round(SESSIONS / 20));
const DAYS = 365;
const PLATFORM = 'plt_reports_bench';
const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
const GOAL_READ_MS = 100;
const GOAL_WEEK_MS = 1000;
const DAY = 86_400;

type Row = Record<string, SQLInputValue>;

/** Just enough of D1Database over node:sqlite for the report's statements: prepare/bind/first/all/run and batch. */
function d1Over(db: DatabaseSync): D1Database {
  const all = (sql: string, values: SQLInputValue[]) => db.prepare(sql).all(...values) as Row[];
  const statement = (sql: string, values: SQLInputValue[]) => ({
    sql,
    values,
    all: async () => ({ results: all(sql, values), success: true, meta: {} }),
    run: async () => ({ results: all(sql, values), success: true, meta: {} }),
    first: async (column?: string) => {
      const row = all(sql, values)[0];
      return row === undefined ? null : column === undefined ? row : row[column];
    },
  });
  const shim = {
    prepare: (sql: string) => ({ bind: (...values: SQLInputValue[]) => statement(sql, values) }),
    batch: async (statements: ReturnType<typeof statement>[]) => {
      db.exec('BEGIN');
      try {
        const out = statements.map((s) => ({ results: all(s.sql, s.values), success: true, meta: {} }));
        db.exec('COMMIT');
        return out;
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
    },
  };
  return shim as unknown as D1Database;
}

const t0 = performance.now();
const file = join(tmpdir(), `attune-reports-bench-${process.pid}.sqlite`);
rmSync(file, { force: true });
const db = new DatabaseSync(file);
try {
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -524288');
  const migrations = join(import.meta.dirname, '../migrations');
  for (const f of readdirSync(migrations)
    .filter((x) => x.endsWith('.sql'))
    .sort())
    db.exec(readFileSync(join(migrations, f), 'utf8'));
  const now = Math.floor(Date.now() / 1000);
  const start = now - DAYS * DAY;
  const settings = { instruments: [LIKERT] };
  db.prepare('INSERT INTO platforms (id, name, settings, created_at) VALUES (?, ?, ?, ?)').run(
    PLATFORM,
    'Reports bench',
    JSON.stringify(settings),
    start,
  );
  const insSession = db.prepare(
    `INSERT INTO sessions (platform_id, sid_hash, therapist_hash, client_hash, instrument_id, instrument_version, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insRating = db.prepare(
    `INSERT INTO ratings (platform_id, sid_hash, therapist_hash, client_hash, status, instrument_id, instrument_version, items, total, max_total, flags, rated_at)
     VALUES (?, ?, ?, ?, 'rated', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insPacing = db.prepare(
    `INSERT INTO pacing (platform_id, sid_hash, therapist_hash, client_hash, duration_seconds, therapist_talk_seconds, client_talk_seconds,
                         overlap_seconds, overlap_count, silence_seconds, silence_count, longest_silence_seconds,
                         longest_therapist_turn_seconds, therapist_turns, client_turns, cues_shown, recorded_at)
     VALUES (?, ?, ?, ?, 3000, ?, ?, 20, 8, 300, 30, 12, 70, 110, 105, 1, ?)`,
  );
  const instrumentOf = (client: number): Instrument => (client % 10 < 3 ? LIKERT : DEFAULT_INSTRUMENT);
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  db.exec('BEGIN');
  for (let i = 0; i < SESSIONS; i++) {
    const client = i % CLIENTS;
    const ins = instrumentOf(client);
    const tid = `t${client % THERAPISTS}`;
    const cid = `c${client}`;
    const sid = `s${i}`;
    const at = start + Math.floor((i / SESSIONS) * DAYS * DAY);
    insSession.run(PLATFORM, sid, tid, cid, ins.id, ins.version, at);
    const items = ins.items.map((it) => ({
      id: it.id,
      value: ins.min + Math.round((random() * (ins.max - ins.min)) / ins.step) * ins.step,
    }));
    const total = Math.round(items.reduce((s, x) => s + x.value, 0) * 100) / 100;
    const max = instrumentMaxTotal(ins);
    const flags = JSON.stringify(total < 0.9 * max ? ['total_low'] : []);
    insRating.run(PLATFORM, sid, tid, cid, ins.id, ins.version, JSON.stringify(items), total, max, flags, at + 3000);
    insPacing.run(PLATFORM, sid, tid, cid, 600 + random() * 1200, 600 + random() * 1200, at + 3000);
    if (i === 2_000) db.exec('ANALYZE');
  }
  db.exec('COMMIT');
  db.exec('ANALYZE');
  const seeded = performance.now();

  const D1 = d1Over(db);
  const last = lastPublishableWeek(now);
  const weekDays = (from: number, to: number) => ({ fromDay: from * 7 - 3, toDay: to * 7 + 3 });
  const report = async (from: number, to: number, instrument?: string) => {
    const { weeks, instrument: chosen } = await publishedWeeks(D1, {
      platformId: PLATFORM,
      settings,
      instrument,
      ...weekDays(from, to),
      now,
    });
    return buildPublishedReport('therapists', { from: '', to: '' }, chosen, weeks);
  };
  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const out = await f();
    return [out, performance.now() - t];
  };
  const firstWeek = Math.floor((start / DAY + 3) / 7) + 1;
  const [, oneWeekMs] = await timed(() => report(last, last));
  const [year, yearMs] = await timed(() => report(firstWeek, last));
  const frozen = db.prepare('SELECT count(*) AS n FROM published_instrument_cells WHERE platform_id = ?').get(PLATFORM);
  // The year's report compares like with like: every mean total on its instrument's scale.
  const likert = await report(firstWeek, last, LIKERT.id);
  for (const [r, max] of [
    [year, 40],
    [likert, 21],
  ] as const) {
    const means = [...r.rows, r.total].map((x) => x.meanTotal).filter((m): m is number => m !== null);
    if (r.total.meanTotal === null || means.some((m) => m < 0 || m > max))
      throw new Error(`${r.instrument.id}: a mean total off its scale, or none published`);
  }
  // What the year's reports publish of the mean totals (suppression's cost): therapist rows with one, and the
  // sessions under the total line's mean of all those rated on the instrument.
  const onInstrument = (id: string) =>
    Number(
      db
        .prepare(
          'SELECT coalesce(sum(rated), 0) AS n FROM published_instrument_cells WHERE platform_id = ? AND instrument_id = ?',
        )
        .get(PLATFORM, id)?.n,
    );
  const meansPublished = [year, likert].map((r) => ({
    instrument: r.instrument.id,
    rowsWithMean: r.rows.filter((x) => x.meanTotal !== null).length,
    rows: r.rows.length,
    totalSessions: r.total.instrumentSessions,
    sessionsOnInstrument: onInstrument(r.instrument.id),
  }));
  const reads: number[] = [];
  for (let i = 0; i < READS; i++) {
    const end = firstWeek + 12 + Math.floor(random() * (last - firstWeek - 12 + 1));
    reads.push((await timed(() => report(end - 12, end)))[1]);
  }
  const result = {
    sessions: SESSIONS,
    therapists: THERAPISTS,
    clients: CLIENTS,
    seedSeconds: (seeded - t0) / 1000,
    firstPublicationOneWeekMs: oneWeekMs,
    firstPublicationOtherWeeksMs: yearMs,
    frozenInstrumentCells: Number(frozen?.n),
    read13Weeks: { p50: pct(reads, 50), p95: pct(reads, 95), max: Math.max(...reads) },
    defaultInstrument: year.instrument,
    meansPublished,
  };
  console.log(
    `seeded ${SESSIONS} rated sessions (${THERAPISTS} therapists, ${CLIENTS} clients, 2 instruments) in ${result.seedSeconds.toFixed(1)} s`,
  );
  console.log(`first publication of one closed week: ${oneWeekMs.toFixed(1)} ms`);
  console.log(
    `first publication of the other ${last - firstWeek} weeks at once (one read over the year): ${yearMs.toFixed(1)} ms; ${result.frozenInstrumentCells} per-instrument cells frozen`,
  );
  for (const m of meansPublished)
    console.log(
      `year's report on ${m.instrument}: a mean total for ${m.rowsWithMean} of ${m.rows} therapists; the total's over ${m.totalSessions} of ${m.sessionsOnInstrument} sessions on it`,
    );
  console.log(`13-week report read, every week frozen (${READS} reads): ${fmtFine(reads)}`);
  reportVerdict('reports', result, {
    ok: pct(reads, 95) <= GOAL_READ_MS && oneWeekMs <= GOAL_WEEK_MS,
    okText: `13-week read p95 <= ${GOAL_READ_MS} ms, a week's first publication <= ${GOAL_WEEK_MS} ms`,
    failText: `13-week read p95 above ${GOAL_READ_MS} ms or a week's first publication above ${GOAL_WEEK_MS} ms`,
    startedAt: t0,
  });
} finally {
  db.close();
  rmSync(file, { force: true });
}
