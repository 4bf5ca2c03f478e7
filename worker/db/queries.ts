/**
 * Every D1 statement the Worker runs, with `?n` binds. Handlers never write SQL themselves.
 * Write statements are returned unexecuted so that callers can put them in one `db.batch()` (a transaction).
 */
import type { PacingAggregates, SigningAlg } from '../../schemas/index.ts';

// `INDEXED BY sessions_client` / `ratings_client`: without ANALYZE statistics (a new D1, or one never analyzed) SQLite
// answers `platform_id = ? AND client_hash = ?` through the primary key's platform prefix, reading every session of
// the platform on every write. The hint keeps each write O(the client's sessions) whatever the statistics say.

export interface KeyRow {
  kid: string;
  platformId: string;
  alg: SigningAlg;
  publicJwk: string | null;
  secret: string | null;
  platformSettings: string;
}

/** An active key by kid, with its platform's settings (one round trip per verification). */
export function getActiveKey(db: D1Database, kid: string): Promise<KeyRow | null> {
  return db
    .prepare(
      `SELECT k.kid AS kid, k.platform_id AS platformId, k.alg AS alg, k.public_jwk AS publicJwk,
              k.secret AS secret, p.settings AS platformSettings
         FROM platform_keys k JOIN platforms p ON p.id = k.platform_id
        WHERE k.kid = ?1 AND k.revoked_at IS NULL`,
    )
    .bind(kid)
    .first<KeyRow>();
}

/** Which of `kids` are still active (not revoked); one query however many. */
export async function activeKids(db: D1Database, kids: readonly string[]): Promise<Set<string>> {
  const { results } = await db
    .prepare('SELECT kid FROM platform_keys WHERE kid IN (SELECT value FROM json_each(?1)) AND revoked_at IS NULL')
    .bind(JSON.stringify(kids))
    .all<{ kid: string }>();
  return new Set(results.map((r) => r.kid));
}

export async function isOriginRegistered(db: D1Database, origin: string, platformId?: string): Promise<boolean> {
  const row = platformId
    ? await db
        .prepare('SELECT 1 AS ok FROM platform_origins WHERE platform_id = ?1 AND origin = ?2')
        .bind(platformId, origin)
        .first()
    : await db.prepare('SELECT 1 AS ok FROM platform_origins WHERE origin = ?1 LIMIT 1').bind(origin).first();
  return row !== null;
}

/** A platform's settings (JSON text, platforms.settings); null for a platform that does not exist. */
export async function getPlatformSettings(db: D1Database, platformId: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT settings FROM platforms WHERE id = ?1')
    .bind(platformId)
    .first<{ settings: string }>();
  return row?.settings ?? null;
}

// Platforms, keys and origins are registered by the CLI (SQL text: scripts/platform-sql.ts); tests and benches
// seed them with test/worker/seed-queries.ts.

// --- idempotency ---

export interface IdempotencyRow {
  scope: string;
  requestHash: string;
  status: number;
  body: string;
}

/** The record stored under `key` in this session (keys are unique per session, not per platform). */
export function idempotencyStatement(db: D1Database, platformId: string, sidHash: string, key: string) {
  return db
    .prepare(
      'SELECT scope, request_hash AS requestHash, status, body FROM idempotency WHERE platform_id = ?1 AND sid_hash = ?2 AND idem_key = ?3',
    )
    .bind(platformId, sidHash, key);
}

export function getIdempotency(
  db: D1Database,
  platformId: string,
  sidHash: string,
  key: string,
): Promise<IdempotencyRow | null> {
  return idempotencyStatement(db, platformId, sidHash, key).first<IdempotencyRow>();
}

/**
 * With `session`: the record is inserted only when the session row exists with exactly these participants
 * (the same condition insertRating and insertPacing carry), so a refused write leaves no record claiming success.
 */
export function insertIdempotency(
  db: D1Database,
  r: { platformId: string; key: string; scope: string; requestHash: string; status: number; body: string; now: number },
  session?: SessionKey,
) {
  if (!session) {
    return db
      .prepare(
        `INSERT INTO idempotency (platform_id, idem_key, scope, request_hash, status, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
      )
      .bind(r.platformId, r.key, r.scope, r.requestHash, r.status, r.body, r.now);
  }
  return db
    .prepare(
      `INSERT INTO idempotency (platform_id, idem_key, scope, request_hash, status, body, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
        WHERE EXISTS (SELECT 1 FROM sessions WHERE platform_id = ?1 AND sid_hash = ?8 AND therapist_hash = ?9 AND client_hash = ?10)`,
    )
    .bind(
      r.platformId,
      r.key,
      r.scope,
      r.requestHash,
      r.status,
      r.body,
      r.now,
      session.sidHash,
      session.therapistHash,
      session.clientHash,
    );
}

/** Replaces the stored body only if it is still `expected` (the first finalizer wins). */
export function updateIdempotencyBody(
  db: D1Database,
  platformId: string,
  sidHash: string,
  key: string,
  expected: string,
  body: string,
) {
  return db
    .prepare(
      'UPDATE idempotency SET body = ?5 WHERE platform_id = ?1 AND sid_hash = ?2 AND idem_key = ?3 AND body = ?4',
    )
    .bind(platformId, sidHash, key, expected, body);
}

// --- sessions, ratings, pacing ---

export interface SessionKey {
  platformId: string;
  sidHash: string;
  therapistHash: string;
  clientHash: string;
}

/** A write's token, against the client's erasure tombstone (see worker/admin/erasure-tombstone.ts). */
export interface ErasureGuard {
  tombstone: string;
  /** The token's `iat` (0 when it has none): a tombstone at or after it refuses the write. */
  issuedAt: number;
}

/**
 * Records the session unless it exists, or (with `guard`) the client was erased at or after the token was issued:
 * then nothing is inserted, and the writes that follow it in the batch (which need the session row) store nothing.
 * Its client_seq numbers it among the client's sessions with this therapist: counted over every therapist, 'nth'
 * feedback fatigue (shown in the therapist's summary) would tell one therapist how many sessions the client had with
 * others in between.
 */
export function upsertSession(
  db: D1Database,
  s: SessionKey & {
    instrumentId: string;
    instrumentVersion: number;
    scheduledStart: number | null;
    scheduledEnd: number | null;
    now: number;
    guard?: ErasureGuard;
  },
) {
  return db
    .prepare(
      `INSERT OR IGNORE INTO sessions
         (platform_id, sid_hash, therapist_hash, client_hash, instrument_id, instrument_version, scheduled_start, scheduled_end, created_at, client_seq)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
              (SELECT coalesce(max(client_seq), 0) + 1 FROM sessions INDEXED BY sessions_client
                WHERE platform_id = ?1 AND client_hash = ?4 AND therapist_hash = ?3)
        WHERE NOT EXISTS (SELECT 1 FROM erased_clients WHERE platform_id = ?1 AND tombstone = ?10 AND erased_at >= ?11)`,
    )
    .bind(
      s.platformId,
      s.sidHash,
      s.therapistHash,
      s.clientHash,
      s.instrumentId,
      s.instrumentVersion,
      s.scheduledStart,
      s.scheduledEnd,
      s.now,
      s.guard?.tombstone ?? null,
      s.guard?.issuedAt ?? 0,
    );
}

/** The hashed therapist and client a session was first recorded with, and its instrument. */
export function getSessionParticipants(db: D1Database, platformId: string, sidHash: string) {
  return sessionParticipantsStatement(db, platformId, sidHash).first<{
    therapistHash: string;
    clientHash: string;
    instrumentId: string;
    instrumentVersion: number;
  }>();
}

export function sessionParticipantsStatement(db: D1Database, platformId: string, sidHash: string) {
  return db
    .prepare(
      `SELECT therapist_hash AS therapistHash, client_hash AS clientHash, instrument_id AS instrumentId,
              instrument_version AS instrumentVersion
         FROM sessions WHERE platform_id = ?1 AND sid_hash = ?2`,
    )
    .bind(platformId, sidHash);
}

export interface RatingRecord {
  status: 'rated' | 'declined';
  instrumentId: string;
  instrumentVersion: number;
  items: string;
  total: number | null;
  maxTotal: number | null;
  flags: string;
  ratedAt: number;
}

/** The end of an INSERT ... SELECT into the session row with exactly the participants bound as ?1..?4. */
const FROM_SESSION = `FROM sessions s
        WHERE s.platform_id = ?1 AND s.sid_hash = ?2 AND s.therapist_hash = ?3 AND s.client_hash = ?4`;
const sessionBinds = (s: SessionKey) => [s.platformId, s.sidHash, s.therapistHash, s.clientHash];

/**
 * Inserts the rating only when the session row exists with exactly these participants (0 rows changed
 * otherwise): the hashes stored are the session row's, so a concurrent first write naming other participants
 * cannot attach its rating to this session.
 */
export function insertRating(db: D1Database, s: SessionKey, r: RatingRecord) {
  return db
    .prepare(
      `INSERT INTO ratings (platform_id, sid_hash, therapist_hash, client_hash, status, instrument_id, instrument_version,
                            items, total, max_total, flags, rated_at)
       SELECT s.platform_id, s.sid_hash, s.therapist_hash, s.client_hash, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12
         ${FROM_SESSION}`,
    )
    .bind(
      ...sessionBinds(s),
      r.status,
      r.instrumentId,
      r.instrumentVersion,
      r.items,
      r.total,
      r.maxTotal,
      r.flags,
      r.ratedAt,
    );
}

/** Like insertRating: only into a session row with exactly these participants (0 rows changed otherwise). */
export function insertPacing(db: D1Database, s: SessionKey, p: PacingAggregates, now: number) {
  return db
    .prepare(
      `INSERT INTO pacing (platform_id, sid_hash, therapist_hash, client_hash, duration_seconds, therapist_talk_seconds,
                           client_talk_seconds, overlap_seconds, overlap_count, silence_seconds, silence_count,
                           longest_silence_seconds, longest_therapist_turn_seconds, therapist_turns, client_turns,
                           cues_shown, recorded_at)
       SELECT s.platform_id, s.sid_hash, s.therapist_hash, s.client_hash, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17
         ${FROM_SESSION}`,
    )
    .bind(
      ...sessionBinds(s),
      p.durationSeconds,
      p.therapistTalkSeconds,
      p.clientTalkSeconds,
      p.overlapSeconds,
      p.overlapCount,
      p.silenceSeconds,
      p.silenceCount,
      p.longestSilenceSeconds,
      p.longestTherapistTurnSeconds,
      p.therapistTurns,
      p.clientTurns,
      p.cuesShown,
      now,
    );
}

/** A row (`ok`) when the session holds a rating or pacing (`table`); no row otherwise. */
export function sessionHasStatement(db: D1Database, table: 'ratings' | 'pacing', platformId: string, sidHash: string) {
  return db.prepare(`SELECT 1 AS ok FROM ${table} WHERE platform_id = ?1 AND sid_hash = ?2`).bind(platformId, sidHash);
}

/** The session with its rating and pacing (every pacing figure null without pacing: durationSeconds tells). */
export interface SummaryRow extends Omit<PacingAggregates, 'durationSeconds'> {
  therapistHash: string;
  clientHash: string;
  askedAt: number | null;
  /** The session's number among the client's sessions with this therapist (feedback fatigue 'nth'). */
  clientSeq: number | null;
  status: 'rated' | 'declined' | null;
  instrumentId: string | null;
  instrumentVersion: number | null;
  items: string | null;
  total: number | null;
  maxTotal: number | null;
  flags: string | null;
  ratedAt: number | null;
  durationSeconds: number | null;
}

export function summaryRowStatement(db: D1Database, platformId: string, sidHash: string) {
  return db
    .prepare(
      `SELECT s.therapist_hash AS therapistHash, s.client_hash AS clientHash, s.asked_at AS askedAt, s.client_seq AS clientSeq, r.status AS status, r.instrument_id AS instrumentId,
              r.instrument_version AS instrumentVersion, r.items AS items, r.total AS total, r.max_total AS maxTotal,
              r.flags AS flags, r.rated_at AS ratedAt,
              p.duration_seconds AS durationSeconds, p.therapist_talk_seconds AS therapistTalkSeconds,
              p.client_talk_seconds AS clientTalkSeconds, p.overlap_seconds AS overlapSeconds,
              p.overlap_count AS overlapCount, p.silence_seconds AS silenceSeconds, p.silence_count AS silenceCount,
              p.longest_silence_seconds AS longestSilenceSeconds,
              p.longest_therapist_turn_seconds AS longestTherapistTurnSeconds, p.therapist_turns AS therapistTurns,
              p.client_turns AS clientTurns, p.cues_shown AS cuesShown
         FROM sessions s
         LEFT JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
         LEFT JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
        WHERE s.platform_id = ?1 AND s.sid_hash = ?2`,
    )
    .bind(platformId, sidHash);
}

export interface ClientHistory {
  /** The total of the session just before this one, if rated. */
  previous: number | null;
  /** The mean total over up to `window` most recent earlier rated sessions (null without any). */
  mean: number | null;
  /** How many sessions the mean covers. */
  sessions: number;
}

/**
 * The same client's earlier rated sessions with the same therapist on the same instrument version (a new version may
 * have another scale), in the session order
 * (client_seq; a session not recorded yet comes after all): the previous total and the running mean of the last
 * `window`, for the relative flags. Rows without client_seq (before migration 0005) count as earlier, by their
 * creation time. One statement; it walks the ratings_client index of one client.
 */
export async function clientHistory(
  db: D1Database,
  q: {
    platformId: string;
    clientHash: string;
    therapistHash: string;
    instrumentId: string;
    instrumentVersion: number;
    sidHash: string;
    window: number;
  },
): Promise<ClientHistory> {
  const row = await db
    .prepare(
      `WITH earlier AS (
         SELECT r.total AS total, coalesce(s.client_seq, 0) AS seq, s.created_at AS createdAt
           FROM ratings r INDEXED BY ratings_client JOIN sessions s ON s.platform_id = r.platform_id AND s.sid_hash = r.sid_hash
          WHERE r.platform_id = ?1 AND r.client_hash = ?2 AND r.therapist_hash = ?3 AND r.instrument_id = ?4
            AND r.instrument_version = ?7 AND r.status = 'rated' AND r.total IS NOT NULL AND r.sid_hash <> ?5
            AND coalesce(s.client_seq, 0) < coalesce((SELECT client_seq FROM sessions WHERE platform_id = ?1 AND sid_hash = ?5), 9e18)
          ORDER BY seq DESC, createdAt DESC LIMIT ?6)
       SELECT (SELECT total FROM earlier ORDER BY seq DESC, createdAt DESC LIMIT 1) AS previous,
              avg(total) AS mean, count(*) AS sessions
         FROM earlier`,
    )
    .bind(q.platformId, q.clientHash, q.therapistHash, q.instrumentId, q.sidHash, q.window, q.instrumentVersion)
    .first<{ previous: number | null; mean: number | null; sessions: number }>();
  const sessions = row?.sessions ?? 0;
  return {
    previous: row?.previous ?? null,
    mean: sessions > 0 && row?.mean != null ? Math.round(row.mean * 100) / 100 : null,
    sessions,
  };
}

// --- feedback fatigue ---

/** Marks the session as one in which the client was asked to rate (once; the rollup trigger counts it). */
export function markAsked(db: D1Database, platformId: string, sidHash: string, now: number) {
  return db
    .prepare('UPDATE sessions SET asked_at = ?3 WHERE platform_id = ?1 AND sid_hash = ?2 AND asked_at IS NULL')
    .bind(platformId, sidHash, now);
}

/**
 * The session's number among the client's sessions with its therapist (1 for the first). upsertSession assigns it
 * when the session is first recorded; a row without one (recorded before migration 0005) is numbered here, once.
 */
export async function clientSessionNumber(
  db: D1Database,
  platformId: string,
  clientHash: string,
  sidHash: string,
): Promise<number | null> {
  const [, row] = await db.batch<{ n: number | null }>([
    db
      .prepare(
        `UPDATE sessions SET client_seq = (SELECT coalesce(max(s.client_seq), 0) + 1 FROM sessions s INDEXED BY sessions_client
                                            WHERE s.platform_id = ?1 AND s.client_hash = ?3 AND s.therapist_hash = sessions.therapist_hash)
          WHERE platform_id = ?1 AND sid_hash = ?2 AND client_hash = ?3 AND client_seq IS NULL`,
      )
      .bind(platformId, sidHash, clientHash),
    db
      .prepare('SELECT client_seq AS n FROM sessions WHERE platform_id = ?1 AND sid_hash = ?2 AND client_hash = ?3')
      .bind(platformId, sidHash, clientHash),
  ]);
  return row?.results[0]?.n ?? null;
}
