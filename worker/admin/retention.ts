import {
  deleteIdempotencyBefore,
  expireSessionsStatements,
  platformsWithRetention,
  sessionsIn,
} from '../db/admin-queries.ts';
import { deleteTombstonesBefore, TOMBSTONE_DAYS } from './erasure-tombstone.ts';
import { DAY_SECONDS } from '../summary/trend.ts';

/** Sessions deleted per batch, and batches per platform per run (a run stays well inside the cron CPU limit). */
export const RETENTION_BATCH = 500;
export const RETENTION_MAX_BATCHES = 200;
/** Idempotency records answer retries; after this long nobody retries. */
export const IDEMPOTENCY_TTL_DAYS = 30;

/**
 * Enforces each platform's retention_days: deletes sessions created before the cutoff with their ratings,
 * pacing and idempotency records (the rollup triggers follow), oldest first, in bounded batches.
 * Returns the number of sessions deleted per platform.
 */
export async function enforceRetention(
  db: D1Database,
  nowSeconds: number,
  limits: { batch?: number; maxBatches?: number } = {},
): Promise<Record<string, number>> {
  const batch = limits.batch ?? RETENTION_BATCH;
  const maxBatches = limits.maxBatches ?? RETENTION_MAX_BATCHES;
  const deleted: Record<string, number> = {};
  for (const p of await platformsWithRetention(db)) {
    const cutoff = nowSeconds - p.retentionDays * DAY_SECONDS;
    let n = 0;
    for (let i = 0; i < maxBatches; i++) {
      const results = await db.batch(expireSessionsStatements(db, p.id, cutoff, batch));
      const changes = sessionsIn(results);
      n += changes;
      if (changes < batch) break;
    }
    deleted[p.id] = n;
  }
  await db.batch([
    deleteIdempotencyBefore(db, nowSeconds - IDEMPOTENCY_TTL_DAYS * DAY_SECONDS),
    // A tombstone outlives every token issued before its erasure, then goes.
    deleteTombstonesBefore(db, nowSeconds - TOMBSTONE_DAYS * DAY_SECONDS),
  ]);
  return deleted;
}
