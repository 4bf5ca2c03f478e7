/**
 * Trend statements. Both are O(what they return): the client's series walks the sessions_client index of one
 * client, the therapist's rolling mean reads one rollup row per day (therapist_days primary key range).
 */

export interface SeriesRow {
  createdAt: number;
  ratedAt: number | null;
  total: number | null;
  items: string | null;
  therapistTalk: number | null;
  clientTalk: number | null;
}

/**
 * The client's most recent rated sessions with this therapist, newest first, plus the current session
 * whatever its state (it is the last point of the series).
 */
export function clientSeries(
  db: D1Database,
  q: { platformId: string; clientHash: string; therapistHash: string; currentSid: string; limit: number },
) {
  return db
    .prepare(
      `SELECT s.created_at AS createdAt, r.rated_at AS ratedAt, r.total AS total, r.items AS items,
              p.therapist_talk_seconds AS therapistTalk, p.client_talk_seconds AS clientTalk
         FROM sessions s
         LEFT JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
         LEFT JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
        WHERE s.platform_id = ?1 AND s.client_hash = ?2 AND s.therapist_hash = ?3
          AND (r.status = 'rated' OR s.sid_hash = ?4)
        ORDER BY s.created_at DESC, s.client_seq DESC, s.sid_hash DESC
        LIMIT ?5`,
    )
    .bind(q.platformId, q.clientHash, q.therapistHash, q.currentSid, q.limit);
}

export interface RollingRow {
  rated: number;
  totalSum: number;
  shareSum: number;
  shareN: number;
}

/** Sums of the therapist's rollups over days (fromDay, toDay]. */
export function therapistRolling(
  db: D1Database,
  q: { platformId: string; therapistHash: string; fromDay: number; toDay: number },
) {
  return db
    .prepare(
      `SELECT coalesce(sum(rated), 0) AS rated, coalesce(sum(total_sum), 0) AS totalSum,
              coalesce(sum(share_sum), 0) AS shareSum, coalesce(sum(share_n), 0) AS shareN
         FROM therapist_days
        WHERE platform_id = ?1 AND therapist_hash = ?2 AND day > ?3 AND day <= ?4`,
    )
    .bind(q.platformId, q.therapistHash, q.fromDay, q.toDay);
}
