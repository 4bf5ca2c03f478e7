import type { Context } from 'hono';
import { MAX_TOKEN_LIFETIME_SECONDS, OFFLINE_RATING_GRACE_SECONDS } from '../../schemas/index.ts';
import type { ErasureGuard } from '../db/queries.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import { sha256 } from '../auth/ref-hash.ts';
import { DAY_SECONDS } from '../summary/trend.ts';

/**
 * How long a tombstone must last: until no token issued before the erasure can be accepted any more (a token lives
 * at most 24 h; a client's rating is taken up to 7 days past its exp), plus a day of margin: 9 days.
 */
export const TOMBSTONE_DAYS = Math.ceil((MAX_TOKEN_LIFETIME_SECONDS + OFFLINE_RATING_GRACE_SECONDS) / DAY_SECONDS) + 1;

/**
 * What an erasure leaves behind for the client: SHA-256 of its keyed hash. Never the raw ref, and not the hash
 * itself, so no row left in D1 can be joined to the client's erased data; yet a later write for the same client
 * (whose token hashes to the same client hash) finds it.
 */
export function tombstoneOf(clientHash: string): Promise<string> {
  return sha256(`attune/erased/v1\n${clientHash}`);
}

export function erasedAt(db: D1Database, platformId: string, tombstone: string): Promise<number | null> {
  return db
    .prepare('SELECT erased_at AS at FROM erased_clients WHERE platform_id = ?1 AND tombstone = ?2')
    .bind(platformId, tombstone)
    .first<number>('at');
}

/** The erasure's tombstone row (in the erasure's batch); erasing again moves erased_at forward. */
export function insertTombstone(db: D1Database, platformId: string, tombstone: string, at: number) {
  return db
    .prepare(
      'INSERT INTO erased_clients (platform_id, tombstone, erased_at) VALUES (?1, ?2, ?3) ON CONFLICT (platform_id, tombstone) DO UPDATE SET erased_at = max(erased_at, excluded.erased_at)',
    )
    .bind(platformId, tombstone, at);
}

export function deleteTombstonesBefore(db: D1Database, before: number) {
  return db.prepare('DELETE FROM erased_clients WHERE erased_at < ?1').bind(before);
}

/** The verified token's guard for upsertSession: its client's tombstone and its iat (0 without one). */
export async function erasureGuardOf(c: Context<AppEnv>): Promise<ErasureGuard> {
  return { tombstone: await tombstoneOf(c.var.refs.cid), issuedAt: c.var.claims.iat ?? 0 };
}

/**
 * 410 client_erased when the token's client was erased at or after the token was issued (a token without `iat`
 * counts as issued before): a rating still queued in the erased client's browser must not bring the data back.
 * The browser's outbox treats it as final. The write statements carry the same condition (upsertSession's guard),
 * so an erasure that commits between this read and the write still wins.
 */
export async function assertNotErased(c: Context<AppEnv>, guard: ErasureGuard): Promise<void> {
  const at = await erasedAt(c.env.DB, c.var.platform.id, guard.tombstone);
  if (at !== null && guard.issuedAt <= at) {
    throw new ApiFailure(
      410,
      'client_erased',
      'This client’s data was erased; this token was issued before the erasure.',
    );
  }
}
