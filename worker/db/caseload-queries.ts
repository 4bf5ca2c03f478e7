/**
 * The caseload's two reads, both on rollups (migration 0009): one primary-key lookup per client asked about, and
 * the therapist's pacing rollup rows over the window (at most one per day and 5 % band of talk share).
 */
import { SHARE_UNITS, shareUnitsSql, totalUnitsSql } from './rollup-units.ts';

export interface CaseloadClientRow {
  clientHash: string;
  rated: number;
  /** The instrument of the client's most recent rated session (0016): every total in `recent` is on it. */
  instrumentId: string;
  instrumentVersion: number;
  recent: string;
  lastAt: number;
}

/** The rows of these clients (hashes) with this therapist; clients without a rated session have none. */
export function caseloadClients(
  db: D1Database,
  q: { platformId: string; therapistHash: string; clientHashes: readonly string[] },
) {
  // The hashes travel as one JSON array: D1 binds at most 100 parameters, a caseload may be longer.
  return db
    .prepare(
      `SELECT client_hash AS clientHash, rated, instrument_id AS instrumentId, instrument_version AS instrumentVersion,
              recent, last_at AS lastAt
         FROM caseload_clients
        WHERE platform_id = ?1 AND therapist_hash = ?2 AND client_hash IN (SELECT value FROM json_each(?3))`,
    )
    .bind(q.platformId, q.therapistHash, JSON.stringify(q.clientHashes));
}

export interface PaceRow {
  /** The ratings' instrument (0013): rows of different instruments are never summed together. */
  instrumentId: string;
  instrumentVersion: number;
  /** Weeks before the window's last day: 0 holds its last 7 days. */
  weeksAgo: number;
  /** 1 when the therapist's share of talk was above the comparison's threshold. */
  above: number;
  n: number;
  totalSum: number;
  totalSq: number;
  shareSum: number;
  turnSum: number;
  overlapSum: number;
}

/**
 * The therapist's pacing rollups over days (fromDay, toDay], summed per instrument, per week (counted back from
 * toDay) and per side of the talk-share threshold: band >= aboveBand is "more than the threshold". The caller picks
 * one instrument's rows (so it can also tell which instrument has the most sessions, in the same round trip).
 */
export function paceWeeks(
  db: D1Database,
  q: { platformId: string; therapistHash: string; fromDay: number; toDay: number; aboveBand: number },
) {
  return db
    .prepare(
      // D1 binds a JS number as REAL: cast, or the division would not be a whole week.
      `SELECT instrument_id AS instrumentId, instrument_version AS instrumentVersion,
              (CAST(?4 AS INTEGER) - day) / 7 AS weeksAgo, band >= CAST(?5 AS INTEGER) AS above, sum(n) AS n, sum(total_sum) AS totalSum,
              sum(total_sq) AS totalSq, sum(share_sum) AS shareSum, sum(turn_sum) AS turnSum,
              sum(overlap_sum) AS overlapSum
         FROM therapist_pace_days
        WHERE platform_id = ?1 AND therapist_hash = ?2 AND day > ?3 AND day <= ?4
        GROUP BY instrument_id, instrument_version, weeksAgo, above`,
    )
    .bind(q.platformId, q.therapistHash, q.fromDay, q.toDay, q.aboveBand);
}

/**
 * The caseload rollups of one platform (?1) recomputed from the sessions, by the same formulas as the triggers of
 * migrations 0016 (caseload_clients: the totals on the instrument of the client's newest rating) and 0013
 * (therapist_pace_days per instrument): an operator's check, the test that the triggers never drift, and the
 * 1M-session bench's bulk seed.
 * Columns as in the tables, in table order.
 */
export const CASELOAD_CLIENTS_FROM_SCRATCH = `
  SELECT platform_id, therapist_hash, client_hash, count(*) AS rated,
         max(latest_ins) AS instrument_id, max(latest_ver) AS instrument_version,
         json_group_array(json_array(at, seq, total)) FILTER (WHERE ins = latest_ins AND ver = latest_ver AND rn <= 51) AS recent,
         max(at) AS last_at
    FROM (SELECT platform_id, therapist_hash, client_hash, ins, ver, at, seq, total,
                 first_value(ins) OVER newest AS latest_ins, first_value(ver) OVER newest AS latest_ver,
                 row_number() OVER (PARTITION BY platform_id, therapist_hash, client_hash, ins, ver
                                    ORDER BY at DESC, seq DESC, sid_hash DESC) AS rn
            FROM (SELECT r.platform_id, r.therapist_hash, r.client_hash, r.sid_hash, r.instrument_id AS ins,
                         r.instrument_version AS ver, s.created_at AS at, s.client_seq AS seq, r.total
                    FROM ratings r JOIN sessions s ON s.platform_id = r.platform_id AND s.sid_hash = r.sid_hash
                   WHERE r.platform_id = ?1 AND r.status = 'rated')
          WINDOW newest AS (PARTITION BY platform_id, therapist_hash, client_hash ORDER BY at DESC, seq DESC, sid_hash DESC))
   GROUP BY platform_id, therapist_hash, client_hash`;

export const PACE_DAYS_FROM_SCRATCH = `
  SELECT platform_id, therapist_hash, day, instrument_id, instrument_version,
         CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / ${SHARE_UNITS / 20} END AS band,
         count(*) AS n, sum(th) AS total_sum, sum(th * th) AS total_sq, sum(share) AS share_sum,
         sum(turn) AS turn_sum, sum(ov) AS overlap_sum
    FROM (SELECT s.platform_id, s.therapist_hash, s.created_at / 86400 AS day,
                 r.instrument_id, r.instrument_version,
                 ${totalUnitsSql('r.total')} AS th,
                 ${shareUnitsSql('p.therapist_talk_seconds', 'p.client_talk_seconds')} AS share,
                 CAST(round(p.longest_therapist_turn_seconds * 10) AS INTEGER) AS turn, p.overlap_count AS ov
            FROM sessions s
            JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
            JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
           WHERE s.platform_id = ?1 AND r.status = 'rated' AND p.therapist_talk_seconds + p.client_talk_seconds > 0)
   GROUP BY platform_id, therapist_hash, day, instrument_id, instrument_version, band`;
