/**
 * The caseload's two reads, both on rollups (migration 0009): one primary-key lookup per client asked about, and
 * the therapist's pacing rollup rows over the window (at most one per day and 5 % band of talk share).
 */

export interface CaseloadClientRow {
  clientHash: string;
  rated: number;
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
      `SELECT client_hash AS clientHash, rated, recent, last_at AS lastAt
         FROM caseload_clients
        WHERE platform_id = ?1 AND therapist_hash = ?2 AND client_hash IN (SELECT value FROM json_each(?3))`,
    )
    .bind(q.platformId, q.therapistHash, JSON.stringify(q.clientHashes));
}

export interface PaceRow {
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
 * The therapist's pacing rollups over days (fromDay, toDay], summed per week (counted back from toDay) and per side
 * of the talk-share threshold: band >= aboveBand is "more than the threshold".
 */
export function paceWeeks(
  db: D1Database,
  q: { platformId: string; therapistHash: string; fromDay: number; toDay: number; aboveBand: number },
) {
  return db
    .prepare(
      // D1 binds a JS number as REAL: cast, or the division would not be a whole week.
      `SELECT (CAST(?4 AS INTEGER) - day) / 7 AS weeksAgo, band >= CAST(?5 AS INTEGER) AS above, sum(n) AS n, sum(total_sum) AS totalSum,
              sum(total_sq) AS totalSq, sum(share_sum) AS shareSum, sum(turn_sum) AS turnSum,
              sum(overlap_sum) AS overlapSum
         FROM therapist_pace_days
        WHERE platform_id = ?1 AND therapist_hash = ?2 AND day > ?3 AND day <= ?4
        GROUP BY weeksAgo, above`,
    )
    .bind(q.platformId, q.therapistHash, q.fromDay, q.toDay, q.aboveBand);
}
