import { Hono } from 'hono';
import { EraseRequest } from '../../schemas/admin.ts';
import { readJson } from '../http/body.ts';
import { eraseClientStatements, insertErasureAudit, sessionsIn } from '../db/admin-queries.ts';
import type { AppEnv } from '../env.ts';
import { insertTombstone, tombstoneOf } from '../admin/erasure-tombstone.ts';
import { adminAuth } from '../auth/admin-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { hashRef } from '../auth/ref-hash.ts';

/**
 * POST /v1/clients/erase `{ "ref": "<client ref>" }` (admin key): erases the client's sessions, ratings, pacing and
 * idempotency records in one batch with the audit line and the tombstone (writes from tokens issued before the
 * erasure are refused after it); the rollup triggers subtract exactly what they had added. The ref travels in the
 * body, never in the URL (observability records URLs). The audit line names neither the ref nor its hash. Erasing a
 * client with nothing stored is not an error (erasure is idempotent). Published report weeks are frozen aggregates
 * and are not recomputed (sdk/README.md, "Erasure").
 */
export const clientRoutes = new Hono<AppEnv>()
  .use('*', adminAuth())
  .post('/erase', async (c) => {
    const { ref } = await readJson(c, EraseRequest);
    const { platformId, keyId } = c.var.admin;
    const clientHash = await hashRef(c.env.REF_HASH_SECRET, platformId, 'cid', ref);
    const at = Math.floor(Date.now() / 1000);
    const [count, ...deletes] = eraseClientStatements(c.env.DB, platformId, clientHash);
    const audit = insertErasureAudit(c.env.DB, {
      platformId,
      keyId,
      route: '/v1/clients/erase',
      params: { method: 'POST' },
      clientHash,
      at,
    });
    const tombstone = insertTombstone(c.env.DB, platformId, await tombstoneOf(clientHash), at);
    // One batch (one transaction): the audit line, the tombstone and the deletes commit together or not at all.
    const results = await c.env.DB.batch([count!, audit, tombstone, ...deletes]);
    const sessions = sessionsIn(results);
    return c.json({ erased: { sessions } });
  })
  .all('/erase', methodNotAllowed('POST'));
