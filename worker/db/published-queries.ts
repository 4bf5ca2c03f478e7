/**
 * Published report weeks: frozen at their first publication (migration 0006; rated totals per instrument since 0015). Reads of a report come only from
 * here, never from the live rollups, so a fact that arrives later in a closed week, or an erasure, never changes a
 * published figure.
 */
import type { InstrumentVersionKey } from '../../schemas/index.ts';
import type { DistinctClients, InstrumentSums, RollupSums } from './admin-queries.ts';

const weekStartSeconds = (w: string) => `((${w}) * 7 - 3) * 86400`;
const weekEndSeconds = (w: string) => `((${w}) * 7 + 4) * 86400`;

/** Distinct clients of rated sessions and of sessions with a talk share, recorded in week `w` (over all therapists). */
function distinctClientsSql(w: string): string {
  const inWeek = `s.platform_id = ?1 AND s.created_at >= ${weekStartSeconds(w)} AND s.created_at < ${weekEndSeconds(w)}`;
  return `(SELECT count(DISTINCT s.client_hash) FROM sessions s JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
            WHERE ${inWeek} AND r.status = 'rated'),
          (SELECT count(DISTINCT s.client_hash) FROM sessions s JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
            WHERE ${inWeek} AND p.therapist_talk_seconds + p.client_talk_seconds > 0)`;
}

/** SQL: the sessions recorded in weeks ?2..?3 (sessions_created), in weeks not frozen yet. */
const UNFROZEN_SESSIONS = `s.platform_id = ?1 AND s.created_at >= ${weekStartSeconds('?2')} AND s.created_at < ${weekEndSeconds('?3')}
              AND NOT EXISTS (SELECT 1 FROM published_weeks pw WHERE pw.platform_id = ?1 AND pw.week = (s.created_at / 86400 + 3) / 7)`;

/** SQL: the ISO week of a session's day (as `(day + 3) / 7` of the rollups). */
const SESSION_WEEK = '(s.created_at / 86400 + 3) / 7';

/** SQL: rollup day `day` is in weeks ?2..?3 and its week is not frozen yet. */
const UNFROZEN_DAY = (day: string) => `${day} >= ?2 * 7 - 3 AND ${day} <= ?3 * 7 + 3
              AND NOT EXISTS (SELECT 1 FROM published_weeks pw WHERE pw.platform_id = ?1 AND pw.week = (${day} + 3) / 7)`;

/**
 * The first and last of weeks fromWeek..toWeek not frozen yet (null when every week is): a read freezes only that
 * span (usually the one week that closed since the last read), and a read with none writes nothing.
 */
export function unfrozenSpan(db: D1Database, platformId: string, fromWeek: number, toWeek: number) {
  return db
    .prepare(
      `WITH RECURSIVE weeks(w) AS (SELECT CAST(?2 AS INTEGER) UNION ALL SELECT w + 1 FROM weeks WHERE w < ?3)
       SELECT min(w) AS first, max(w) AS last FROM weeks
        WHERE NOT EXISTS (SELECT 1 FROM published_weeks WHERE platform_id = ?1 AND week = w)`,
    )
    .bind(platformId, fromWeek, toWeek);
}

/**
 * Freezes weeks fromWeek..toWeek (ISO week indexes, all closed) that are not frozen yet: first every therapist's
 * cell from the rollups (counts and talk share over every instrument from therapist_days; rated totals per instrument
 * from therapist_trend_days, migration 0015), then the week's own rows (also for a week without sessions, so that a
 * late session cannot add a cell to a week already published empty). Run as one batch: a week is frozen whole or not
 * at all, and a concurrent reader's batch finds it frozen and adds nothing.
 */
export function freezeWeeksStatements(
  db: D1Database,
  platformId: string,
  fromWeek: number,
  toWeek: number,
  now: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        // total_sum: 0 since 0015 (a sum over every instrument is on no scale); the totals are frozen per instrument.
        // Distinct clients counted in one pass over the weeks' sessions, grouped (not two subqueries per cell).
        `WITH cells AS (
           SELECT (day + 3) / 7 AS week, therapist_hash, sum(asked) AS asked, sum(rated) AS rated, sum(declined) AS declined,
                  sum(flagged) AS flagged, sum(share_sum) AS share_sum, sum(share_n) AS share_n
             FROM therapist_days
            WHERE platform_id = ?1 AND ${UNFROZEN_DAY('day')}
            GROUP BY (day + 3) / 7, therapist_hash),
         rated_clients AS (
           SELECT ${SESSION_WEEK} AS week, s.therapist_hash, count(DISTINCT s.client_hash) AS n
             FROM sessions s JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
            WHERE ${UNFROZEN_SESSIONS} AND r.status = 'rated'
            GROUP BY ${SESSION_WEEK}, s.therapist_hash),
         share_clients AS (
           SELECT ${SESSION_WEEK} AS week, s.therapist_hash, count(DISTINCT s.client_hash) AS n
             FROM sessions s JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
            WHERE ${UNFROZEN_SESSIONS} AND p.therapist_talk_seconds + p.client_talk_seconds > 0
            GROUP BY ${SESSION_WEEK}, s.therapist_hash)
         INSERT OR IGNORE INTO published_cells
           (platform_id, week, therapist_hash, asked, rated, declined, total_sum, flagged, share_sum, share_n, rated_clients, share_clients)
         SELECT ?1, c.week, c.therapist_hash, c.asked, c.rated, c.declined, 0, c.flagged, c.share_sum, c.share_n,
                coalesce(rc.n, 0), coalesce(sc.n, 0)
           FROM cells c
           LEFT JOIN rated_clients rc ON rc.week = c.week AND rc.therapist_hash = c.therapist_hash
           LEFT JOIN share_clients sc ON sc.week = c.week AND sc.therapist_hash = c.therapist_hash`,
      )
      .bind(platformId, fromWeek, toWeek),
    db
      .prepare(
        // Distinct clients counted in one pass over the weeks' sessions, grouped (not one subquery per cell).
        `WITH cells AS (
           SELECT (day + 3) / 7 AS week, therapist_hash, instrument_id, instrument_version,
                  sum(rated) AS rated, sum(total_sum) AS total_sum
             FROM therapist_trend_days
            WHERE platform_id = ?1 AND ${UNFROZEN_DAY('day')}
            GROUP BY (day + 3) / 7, therapist_hash, instrument_id, instrument_version),
         clients AS (
           SELECT ${SESSION_WEEK} AS week, s.therapist_hash, r.instrument_id, r.instrument_version,
                  count(DISTINCT s.client_hash) AS n
             FROM sessions s JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
            WHERE ${UNFROZEN_SESSIONS} AND r.status = 'rated'
            GROUP BY ${SESSION_WEEK}, s.therapist_hash, r.instrument_id, r.instrument_version)
         INSERT OR IGNORE INTO published_instrument_cells
           (platform_id, week, therapist_hash, instrument_id, instrument_version, rated, total_sum, rated_clients)
         SELECT ?1, c.week, c.therapist_hash, c.instrument_id, c.instrument_version, c.rated, c.total_sum, coalesce(k.n, 0)
           FROM cells c
           LEFT JOIN clients k ON k.week = c.week AND k.therapist_hash = c.therapist_hash
                              AND k.instrument_id = c.instrument_id AND k.instrument_version = c.instrument_version`,
      )
      .bind(platformId, fromWeek, toWeek),
    db
      .prepare(
        `INSERT OR IGNORE INTO published_instrument_weeks (platform_id, week, instrument_id, instrument_version, rated_clients)
         SELECT ?1, ${SESSION_WEEK}, r.instrument_id, r.instrument_version, count(DISTINCT s.client_hash)
           FROM sessions s JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
          WHERE ${UNFROZEN_SESSIONS} AND r.status = 'rated'
          GROUP BY ${SESSION_WEEK}, r.instrument_id, r.instrument_version`,
      )
      .bind(platformId, fromWeek, toWeek),
    db
      .prepare(
        `WITH RECURSIVE weeks(w) AS (SELECT ?2 UNION ALL SELECT w + 1 FROM weeks WHERE w < ?3)
         INSERT OR IGNORE INTO published_weeks (platform_id, week, rated_clients, share_clients, published_at, by_instrument)
         SELECT ?1, w, ${distinctClientsSql('w')}, ?4, 1 FROM weeks`,
      )
      .bind(platformId, fromWeek, toWeek, now),
  ];
}

export interface PublishedCell {
  week: number;
  therapistHash: string;
  sums: RollupSums;
  clients: DistinctClients;
}

export interface PublishedWeek {
  week: number;
  clients: DistinctClients;
  /** False for a week frozen before migration 0015: its rated totals were frozen mixed, so it has no InstrumentCell. */
  byInstrument: boolean;
}

/** One therapist's week on one instrument (frozen since migration 0015). */
export interface InstrumentCell {
  week: number;
  therapistHash: string;
  instrument: InstrumentVersionKey;
  sums: InstrumentSums;
}

/** A week's distinct clients of rated sessions on one instrument. */
export interface InstrumentWeek {
  week: number;
  instrument: InstrumentVersionKey;
  ratedClients: number;
}

/** The frozen cells and weeks of fromWeek..toWeek, in week then therapist order, per instrument too. */
export async function readPublished(
  db: D1Database,
  platformId: string,
  fromWeek: number,
  toWeek: number,
): Promise<{
  cells: PublishedCell[];
  weeks: PublishedWeek[];
  instrumentCells: InstrumentCell[];
  instrumentWeeks: InstrumentWeek[];
}> {
  const inRange = 'WHERE platform_id = ?1 AND week >= ?2 AND week <= ?3';
  const [cells, weeks, instrumentCells, instrumentWeeks] = await db.batch<Record<string, number | string>>(
    [
      `SELECT week, therapist_hash, asked, rated, declined, flagged, share_sum, share_n, rated_clients, share_clients
         FROM published_cells ${inRange} ORDER BY week, therapist_hash`,
      `SELECT week, rated_clients, share_clients, by_instrument FROM published_weeks ${inRange} ORDER BY week`,
      `SELECT week, therapist_hash, instrument_id, instrument_version, rated, total_sum, rated_clients
         FROM published_instrument_cells ${inRange} ORDER BY week, therapist_hash, instrument_id, instrument_version`,
      `SELECT week, instrument_id, instrument_version, rated_clients FROM published_instrument_weeks ${inRange}`,
    ].map((sql) => db.prepare(sql).bind(platformId, fromWeek, toWeek)),
  );
  const n = (r: Record<string, number | string>, k: string) => Number(r[k]);
  const instrumentOf = (r: Record<string, number | string>) => ({
    id: String(r.instrument_id),
    version: n(r, 'instrument_version'),
  });
  return {
    cells: (cells?.results ?? []).map((r) => ({
      week: n(r, 'week'),
      therapistHash: String(r.therapist_hash),
      sums: {
        asked: n(r, 'asked'),
        rated: n(r, 'rated'),
        declined: n(r, 'declined'),
        flagged: n(r, 'flagged'),
        shareSum: n(r, 'share_sum'),
        shareN: n(r, 'share_n'),
      },
      clients: { ratedClients: n(r, 'rated_clients'), shareClients: n(r, 'share_clients') },
    })),
    weeks: (weeks?.results ?? []).map((r) => ({
      week: n(r, 'week'),
      clients: { ratedClients: n(r, 'rated_clients'), shareClients: n(r, 'share_clients') },
      byInstrument: n(r, 'by_instrument') === 1,
    })),
    instrumentCells: (instrumentCells?.results ?? []).map((r) => ({
      week: n(r, 'week'),
      therapistHash: String(r.therapist_hash),
      instrument: instrumentOf(r),
      sums: { rated: n(r, 'rated'), totalSum: n(r, 'total_sum'), ratedClients: n(r, 'rated_clients') },
    })),
    instrumentWeeks: (instrumentWeeks?.results ?? []).map((r) => ({
      week: n(r, 'week'),
      instrument: instrumentOf(r),
      ratedClients: n(r, 'rated_clients'),
    })),
  };
}

/**
 * Weeks fromWeek..toWeek (all closed) frozen where not frozen yet (one batch over the span of those weeks; a read
 * that finds every week frozen writes nothing), then read back frozen.
 */
export async function freezeThenRead(
  db: D1Database,
  platformId: string,
  fromWeek: number,
  toWeek: number,
  now: number,
) {
  const span = await unfrozenSpan(db, platformId, fromWeek, toWeek).first<{
    first: number | null;
    last: number | null;
  }>();
  if (span?.first != null && span.last != null)
    await db.batch(freezeWeeksStatements(db, platformId, span.first, span.last, now));
  return readPublished(db, platformId, fromWeek, toWeek);
}

/**
 * An audit line for a report read that points at the latest earlier report read (either report, any instrument: the
 * therapists and weeks reports of one range publish the same weeks' figures) by the same platform within 7 days whose
 * range starts and ends within a week of this one (near_repeat_of): the trace a differencing attempt leaves. Null when
 * there is none.
 */
export function insertReportAudit(
  db: D1Database,
  a: {
    platformId: string;
    keyId: string;
    route: string;
    from: string;
    to: string;
    params: object;
    rows: number;
    at: number;
  },
) {
  return db
    .prepare(
      `INSERT INTO audit_log (platform_id, key_id, route, params, row_count, at, near_repeat_of)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6,
               (SELECT max(id) FROM audit_log
                 WHERE platform_id = ?1 AND route IN ('/v1/reports/therapists', '/v1/reports/weeks')
                   AND at >= ?6 - 7 * 86400
                   AND abs(julianday(json_extract(params, '$.from')) - julianday(?7)) <= 7
                   AND abs(julianday(json_extract(params, '$.to')) - julianday(?8)) <= 7))`,
    )
    .bind(a.platformId, a.keyId, a.route, JSON.stringify(a.params), a.rows, a.at, a.from, a.to);
}
