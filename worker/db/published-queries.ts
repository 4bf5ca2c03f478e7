/**
 * Published report weeks: frozen at their first publication (migration 0006). Reads of a report come only from
 * here, never from the live rollups, so a fact that arrives later in a closed week, or an erasure, never changes a
 * published figure.
 */
import type { DistinctClients, RollupSums } from './admin-queries.ts';

const weekStartSeconds = (w: string) => `((${w}) * 7 - 3) * 86400`;
const weekEndSeconds = (w: string) => `((${w}) * 7 + 4) * 86400`;

/** Distinct clients of rated sessions and of sessions with a talk share, recorded in week `w` (optionally one therapist's). */
function distinctClientsSql(w: string, therapist?: string): string {
  const inWeek = `s.platform_id = ?1 AND s.created_at >= ${weekStartSeconds(w)} AND s.created_at < ${weekEndSeconds(w)}${therapist ? ` AND s.therapist_hash = ${therapist}` : ''}`;
  return `(SELECT count(DISTINCT s.client_hash) FROM sessions s JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
            WHERE ${inWeek} AND r.status = 'rated'),
          (SELECT count(DISTINCT s.client_hash) FROM sessions s JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
            WHERE ${inWeek} AND p.therapist_talk_seconds + p.client_talk_seconds > 0)`;
}

/**
 * Freezes weeks fromWeek..toWeek (ISO week indexes, all closed) that are not frozen yet: first every therapist's
 * cell from the rollups, then the week's own row (also for a week without sessions, so that a late session cannot
 * add a cell to a week already published empty). Run as one batch: a week is frozen whole or not at all, and a
 * concurrent reader's batch finds it frozen and adds nothing.
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
        `WITH cells AS (
           SELECT (day + 3) / 7 AS week, therapist_hash, sum(asked) AS asked, sum(rated) AS rated, sum(declined) AS declined,
                  sum(total_sum) AS total_sum, sum(flagged) AS flagged, sum(share_sum) AS share_sum, sum(share_n) AS share_n
             FROM therapist_days
            WHERE platform_id = ?1 AND day >= ?2 * 7 - 3 AND day <= ?3 * 7 + 3
              AND NOT EXISTS (SELECT 1 FROM published_weeks pw WHERE pw.platform_id = ?1 AND pw.week = (day + 3) / 7)
            GROUP BY (day + 3) / 7, therapist_hash)
         INSERT OR IGNORE INTO published_cells
           (platform_id, week, therapist_hash, asked, rated, declined, total_sum, flagged, share_sum, share_n, rated_clients, share_clients)
         SELECT ?1, c.week, c.therapist_hash, c.asked, c.rated, c.declined, c.total_sum, c.flagged, c.share_sum, c.share_n,
                ${distinctClientsSql('c.week', 'c.therapist_hash')}
           FROM cells c`,
      )
      .bind(platformId, fromWeek, toWeek),
    db
      .prepare(
        `WITH RECURSIVE weeks(w) AS (SELECT ?2 UNION ALL SELECT w + 1 FROM weeks WHERE w < ?3)
         INSERT OR IGNORE INTO published_weeks (platform_id, week, rated_clients, share_clients, published_at)
         SELECT ?1, w, ${distinctClientsSql('w')}, ?4 FROM weeks`,
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
}

/** The frozen cells and weeks of fromWeek..toWeek, in week then therapist order. */
export async function readPublished(
  db: D1Database,
  platformId: string,
  fromWeek: number,
  toWeek: number,
): Promise<{ cells: PublishedCell[]; weeks: PublishedWeek[] }> {
  const [cells, weeks] = await db.batch<Record<string, number | string>>([
    db
      .prepare(
        `SELECT week, therapist_hash, asked, rated, declined, total_sum, flagged, share_sum, share_n, rated_clients, share_clients
           FROM published_cells WHERE platform_id = ?1 AND week >= ?2 AND week <= ?3 ORDER BY week, therapist_hash`,
      )
      .bind(platformId, fromWeek, toWeek),
    db
      .prepare(
        'SELECT week, rated_clients, share_clients FROM published_weeks WHERE platform_id = ?1 AND week >= ?2 AND week <= ?3 ORDER BY week',
      )
      .bind(platformId, fromWeek, toWeek),
  ]);
  const n = (r: Record<string, number | string>, k: string) => Number(r[k]);
  return {
    cells: (cells?.results ?? []).map((r) => ({
      week: n(r, 'week'),
      therapistHash: String(r.therapist_hash),
      sums: {
        asked: n(r, 'asked'),
        rated: n(r, 'rated'),
        declined: n(r, 'declined'),
        totalSum: n(r, 'total_sum'),
        flagged: n(r, 'flagged'),
        shareSum: n(r, 'share_sum'),
        shareN: n(r, 'share_n'),
      },
      clients: { ratedClients: n(r, 'rated_clients'), shareClients: n(r, 'share_clients') },
    })),
    weeks: (weeks?.results ?? []).map((r) => ({
      week: n(r, 'week'),
      clients: { ratedClients: n(r, 'rated_clients'), shareClients: n(r, 'share_clients') },
    })),
  };
}

/**
 * An audit line for a report read that points at the latest earlier read of the same route by the same platform
 * within 7 days whose range starts and ends within a week of this one (near_repeat_of): the trace a differencing
 * attempt leaves. Null when there is none.
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
                 WHERE platform_id = ?1 AND route = ?3 AND at >= ?6 - 7 * 86400
                   AND abs(julianday(json_extract(params, '$.from')) - julianday(?7)) <= 7
                   AND abs(julianday(json_extract(params, '$.to')) - julianday(?8)) <= 7))`,
    )
    .bind(a.platformId, a.keyId, a.route, JSON.stringify(a.params), a.rows, a.at, a.from, a.to);
}
