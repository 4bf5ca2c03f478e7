import { Hono } from 'hono';
import * as v from 'valibot';
import { Ref } from '../../schemas/index.ts';
import { eraseClientStatements, insertErasureAudit, sessionsIn } from '../db/admin-queries.ts';
import type { AppEnv } from '../env.ts';
import { insertTombstone, tombstoneOf } from '../erasure-tombstone.ts';
import { ApiFailure } from '../errors.ts';
import { adminAuth } from '../middleware/admin-auth.ts';
import { methodNotAllowed } from '../not-allowed.ts';
import { hashRef } from '../refs.ts';

/**
 * DELETE /v1/clients/:ref (admin key): erases the client's sessions, ratings, pacing and idempotency records
 * in one batch with the audit line; the rollup triggers subtract exactly what they had added. The audit line
 * names neither the ref nor its hash. Erasing a client with nothing stored is not an error (erasure is idempotent).
 */
export const clientRoutes = new Hono<AppEnv>()
  .use('*', adminAuth())
  .delete('/:ref', async (c) => {
    const ref = c.req.param('ref');
    if (!v.is(Ref, ref)) throw new ApiFailure(400, 'invalid_ref', 'The client ref is not a valid ref.');
    const { platformId, keyId } = c.var.admin;
    const clientHash = await hashRef(c.env.REF_HASH_SECRET, platformId, 'cid', ref);
    const at = Math.floor(Date.now() / 1000);
    const [count, ...deletes] = eraseClientStatements(c.env.DB, platformId, clientHash);
    const audit = insertErasureAudit(c.env.DB, { platformId, keyId, route: '/v1/clients/:ref', params: { method: 'DELETE' }, clientHash, at });
    const tombstone = insertTombstone(c.env.DB, platformId, await tombstoneOf(clientHash), at);
    // One batch (one transaction): the audit line, the tombstone and the deletes commit together or not at all.
    const results = await c.env.DB.batch([count!, audit, tombstone, ...deletes]);
    const sessions = sessionsIn(results);
    return c.json({ erased: { sessions } });
  })
  .all('/:ref', methodNotAllowed('DELETE'));
