import type { InstrumentVersionKey } from '../../schemas/index.ts';
import { totalUnitsSql } from './rollup-units.ts';

/**
 * Trend statements. Both are O(what they return): the client's series walks the sessions_client index of one
 * client, the therapist's rolling mean reads one rollup row per day (therapist_trend_days and therapist_days
 * primary key ranges).
 *
 * Both compare like with like: the totals are those of the summarised session's instrument (id and version), the
 * one the session was recorded with, or the token's while the session is not recorded yet (`instrument`).
 */

/**
 * SQL: the trend's instrument id and version (?1 platform, ?4 session, ?5/?6 the fallback), as uncorrelated scalar
 * subqueries (run once; a join with a one-row CTE made SQLite walk the platform's sessions instead of the
 * sessions_client index).
 */
const INSTRUMENT_ID = 'coalesce((SELECT instrument_id FROM sessions WHERE platform_id = ?1 AND sid_hash = ?4), ?5)';
const INSTRUMENT_VERSION =
  'coalesce((SELECT instrument_version FROM sessions WHERE platform_id = ?1 AND sid_hash = ?4), ?6)';

export interface SeriesRow {
  createdAt: number;
  ratedAt: number | null;
  total: number | null;
  items: string | null;
  therapistTalk: number | null;
  clientTalk: number | null;
}

/**
 * The client's most recent sessions with this therapist rated on the current session's instrument, newest first,
 * plus the current session whatever its state (it is the last point of the series).
 */
export function clientSeries(
  db: D1Database,
  q: {
    platformId: string;
    clientHash: string;
    therapistHash: string;
    currentSid: string;
    limit: number;
    instrument: InstrumentVersionKey;
  },
) {
  return db
    .prepare(
      `SELECT s.created_at AS createdAt, r.rated_at AS ratedAt, r.total AS total, r.items AS items,
              p.therapist_talk_seconds AS therapistTalk, p.client_talk_seconds AS clientTalk
         FROM sessions s
         LEFT JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
         LEFT JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
        WHERE s.platform_id = ?1 AND s.client_hash = ?2 AND s.therapist_hash = ?3
          AND ((r.status = 'rated' AND r.instrument_id = ${INSTRUMENT_ID}
                AND r.instrument_version = ${INSTRUMENT_VERSION})
               OR s.sid_hash = ?4)
        ORDER BY s.created_at DESC, s.client_seq DESC, s.sid_hash DESC
        LIMIT ?7`,
    )
    .bind(q.platformId, q.clientHash, q.therapistHash, q.currentSid, q.instrument.id, q.instrument.version, q.limit);
}

export interface RollingRow {
  rated: number;
  totalSum: number;
  shareSum: number;
  shareN: number;
}

/**
 * Sums of the therapist's rollups over days (fromDay, toDay]: the rated count and total sum on the current
 * session's instrument only (therapist_trend_days), the talk share over all their sessions with pacing (a share is
 * on the same 0..1 scale whatever the instrument; therapist_days).
 */
export function therapistRolling(
  db: D1Database,
  q: {
    platformId: string;
    therapistHash: string;
    currentSid: string;
    fromDay: number;
    toDay: number;
    instrument: InstrumentVersionKey;
  },
) {
  return db
    .prepare(
      `WITH mean AS (
         SELECT coalesce(sum(rated), 0) AS rated, coalesce(sum(total_sum), 0) AS totalSum
           FROM therapist_trend_days
          WHERE platform_id = ?1 AND therapist_hash = ?2 AND instrument_id = ${INSTRUMENT_ID}
            AND instrument_version = ${INSTRUMENT_VERSION} AND day > ?3 AND day <= ?7),
       share AS (
         SELECT coalesce(sum(share_sum), 0) AS shareSum, coalesce(sum(share_n), 0) AS shareN
           FROM therapist_days
          WHERE platform_id = ?1 AND therapist_hash = ?2 AND day > ?3 AND day <= ?7)
       SELECT mean.rated AS rated, mean.totalSum AS totalSum, share.shareSum AS shareSum, share.shareN AS shareN
         FROM mean, share`,
    )
    .bind(q.platformId, q.therapistHash, q.fromDay, q.currentSid, q.instrument.id, q.instrument.version, q.toDay);
}

/**
 * therapist_trend_days (migration 0014) recomputed from the ratings (?1: the platform), in its columns: the
 * triggers must always agree with it (tests, the fuzz; an operator's consistency check).
 */
export const TREND_DAYS_FROM_SCRATCH = `
  SELECT s.platform_id, s.therapist_hash, r.instrument_id, r.instrument_version, s.created_at / 86400 AS day,
         count(*) AS rated, sum(${totalUnitsSql('r.total')}) AS total_sum
    FROM sessions s
    JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
   WHERE s.platform_id = ?1 AND r.status = 'rated'
   GROUP BY s.platform_id, s.therapist_hash, r.instrument_id, r.instrument_version, s.created_at / 86400`;
