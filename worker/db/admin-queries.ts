/** Statements for admin credentials, the audit log, reports (from rollups), erasure and retention. */
import { shareUnitsSql } from './rollup-units.ts';

export interface AdminKeyRow {
  id: string;
  platformId: string;
  platformSettings: string;
}

export function getAdminKey(db: D1Database, keyHash: string): Promise<AdminKeyRow | null> {
  return db
    .prepare(
      `SELECT a.id AS id, a.platform_id AS platformId, p.settings AS platformSettings
         FROM admin_keys a JOIN platforms p ON p.id = a.platform_id
        WHERE a.key_hash = ?1 AND a.revoked_at IS NULL`,
    )
    .bind(keyHash)
    .first<AdminKeyRow>();
}

export function insertAudit(
  db: D1Database,
  a: { platformId: string; keyId: string; route: string; params: object; rows: number; at: number },
) {
  return db
    .prepare(
      'INSERT INTO audit_log (platform_id, key_id, route, params, row_count, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
    )
    .bind(a.platformId, a.keyId, a.route, JSON.stringify(a.params), a.rows, a.at);
}

/**
 * The audit line of an erasure, counting the client's sessions itself: it goes in the erasure's batch, before
 * the deletes, so the line and the deletes commit (or fail) together.
 */
export function insertErasureAudit(
  db: D1Database,
  a: { platformId: string; keyId: string; route: string; params: object; clientHash: string; at: number },
) {
  return db
    .prepare(
      `INSERT INTO audit_log (platform_id, key_id, route, params, row_count, at)
       SELECT ?1, ?2, ?3, ?4, count(*), ?6 FROM sessions INDEXED BY sessions_client WHERE platform_id = ?1 AND client_hash = ?5`,
    )
    .bind(a.platformId, a.keyId, a.route, JSON.stringify(a.params), a.clientHash, a.at);
}

/**
 * Summed rollups of one group (a therapist or a week), over every instrument: counts, and the talk share in
 * millionths. Rated totals are summed per instrument only (InstrumentSums).
 */
export interface RollupSums {
  asked: number;
  rated: number;
  declined: number;
  flagged: number;
  shareSum: number;
  shareN: number;
}

/** A group's rated sessions on one instrument (id and version), their totals (hundredths) and distinct clients. */
export interface InstrumentSums {
  rated: number;
  totalSum: number;
  ratedClients: number;
}

/** Distinct clients behind a group's rated sessions and behind its sessions with a talk share. */
export interface DistinctClients {
  ratedClients: number;
  shareClients: number;
}

/** The session count from the first result of an erase or expire batch. */
export function sessionsIn(results: D1Result[]): number {
  return (results[0]?.results[0] as { n?: number } | undefined)?.n ?? 0;
}

/**
 * Every row of one client, in an order the rollup triggers can follow (facts before their session).
 * Idempotency records (scopes 'rating:<sid>' and 'pacing:<sid>') are found by their generated sid_hash column, through
 * its index (idempotency_session_key). The first result is the session count.
 */
export function eraseClientStatements(db: D1Database, platformId: string, clientHash: string): D1PreparedStatement[] {
  const sids = 'SELECT sid_hash FROM sessions INDEXED BY sessions_client WHERE platform_id = ?1 AND client_hash = ?2';
  return [
    // First: how many sessions go (meta.changes would also count the rollup triggers' writes).
    db.prepare(`SELECT count(*) AS n FROM (${sids})`).bind(platformId, clientHash),
    db.prepare(`DELETE FROM idempotency WHERE platform_id = ?1 AND sid_hash IN (${sids})`).bind(platformId, clientHash),
    db.prepare(`DELETE FROM ratings WHERE platform_id = ?1 AND sid_hash IN (${sids})`).bind(platformId, clientHash),
    db.prepare(`DELETE FROM pacing WHERE platform_id = ?1 AND sid_hash IN (${sids})`).bind(platformId, clientHash),
    db
      .prepare('DELETE FROM sessions INDEXED BY sessions_client WHERE platform_id = ?1 AND client_hash = ?2')
      .bind(platformId, clientHash),
  ];
}

/** The oldest `limit` sessions created before `cutoff`, with everything that hangs on them (first result: their count). */
export function expireSessionsStatements(
  db: D1Database,
  platformId: string,
  cutoff: number,
  limit: number,
): D1PreparedStatement[] {
  const sids =
    'SELECT sid_hash FROM sessions WHERE platform_id = ?1 AND created_at < ?2 ORDER BY created_at, sid_hash LIMIT ?3';
  return [
    db.prepare(`SELECT count(*) AS n FROM (${sids})`).bind(platformId, cutoff, limit),
    db
      .prepare(`DELETE FROM idempotency WHERE platform_id = ?1 AND sid_hash IN (${sids})`)
      .bind(platformId, cutoff, limit),
    db.prepare(`DELETE FROM ratings WHERE platform_id = ?1 AND sid_hash IN (${sids})`).bind(platformId, cutoff, limit),
    db.prepare(`DELETE FROM pacing WHERE platform_id = ?1 AND sid_hash IN (${sids})`).bind(platformId, cutoff, limit),
    db.prepare(`DELETE FROM sessions WHERE platform_id = ?1 AND sid_hash IN (${sids})`).bind(platformId, cutoff, limit),
  ];
}

export async function platformsWithRetention(db: D1Database) {
  const { results } = await db
    .prepare('SELECT id, retention_days AS retentionDays FROM platforms')
    .all<{ id: string; retentionDays: number }>();
  return results;
}

export function deleteIdempotencyBefore(db: D1Database, before: number) {
  return db.prepare('DELETE FROM idempotency WHERE created_at < ?1').bind(before);
}

/**
 * The rollups recomputed from scratch from sessions, ratings and pacing, in the same shape and order as
 * therapist_days (migration 0015: without a sum of totals, which would mix instruments; therapist_trend_days holds
 * them per instrument). The triggers must always agree with it (tests; an operator's consistency check).
 */
export async function rollupsFromScratch(db: D1Database, platformId: string, therapistHash?: string) {
  const { results } = await db
    .prepare(
      `SELECT s.therapist_hash AS therapist_hash, s.created_at / 86400 AS day,
              sum(s.asked_at IS NOT NULL) AS asked,
              sum(coalesce(r.status = 'rated', 0)) AS rated,
              sum(coalesce(r.status = 'declined', 0)) AS declined,
              sum(coalesce(r.status = 'rated' AND json_array_length(r.flags) > 0, 0)) AS flagged,
              sum(CASE WHEN p.therapist_talk_seconds + p.client_talk_seconds > 0
                       THEN ${shareUnitsSql('p.therapist_talk_seconds', 'p.client_talk_seconds')}
                       ELSE 0 END) AS share_sum,
              sum(coalesce(p.therapist_talk_seconds + p.client_talk_seconds > 0, 0)) AS share_n
         FROM sessions s
         LEFT JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
         LEFT JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
        WHERE s.platform_id = ?1 AND (?2 IS NULL OR s.therapist_hash = ?2)
        GROUP BY s.therapist_hash, s.created_at / 86400
       HAVING asked + rated + declined + share_n > 0
        ORDER BY therapist_hash, day`,
    )
    .bind(platformId, therapistHash ?? null)
    .all<Record<string, number | string>>();
  return results;
}

export async function storedRollups(db: D1Database, platformId: string, therapistHash?: string) {
  const { results } = await db
    .prepare(
      `SELECT therapist_hash, day, asked, rated, declined, flagged, share_sum, share_n
         FROM therapist_days WHERE platform_id = ?1 AND (?2 IS NULL OR therapist_hash = ?2) ORDER BY therapist_hash, day`,
    )
    .bind(platformId, therapistHash ?? null)
    .all<Record<string, number | string>>();
  return results;
}
