import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { QuestionnaireResponseRequest } from '../../schemas/fhir.ts';
import { Score } from '../../schemas/rating.ts';
import { insertAudit } from '../db/admin-queries.ts';
import { type SummaryRow, summaryRowStatement } from '../db/queries.ts';
import type { AppEnv } from '../env.ts';
import { erasedAt, tombstoneOf } from '../admin/erasure-tombstone.ts';
import { instrumentsOf, instrumentVersionFor } from '../admin/platform-settings.ts';
import { adminAuth } from '../auth/admin-auth.ts';
import { hashRef } from '../auth/ref-hash.ts';
import { canonicalScopeOf } from '../fhir/canonical.ts';
import { questionnaireOf } from '../fhir/questionnaire.ts';
import { identifiersOf, questionnaireResponseOf, storedRatingOf } from '../fhir/questionnaire-response.ts';
import { ApiFailure } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';

/** FHIR's JSON media type (R4). */
export const FHIR_JSON = 'application/fhir+json; fhirVersion=4.0';

const StoredItems = v.array(v.object({ id: v.string(), value: Score }));

function fhirJson(c: Context<AppEnv>, resource: object) {
  return c.body(JSON.stringify(resource), 200, { 'Content-Type': FHIR_JSON });
}

/**
 * FHIR R4 exports for platform admins (admin key), for EHR-connected platforms:
 * - GET /v1/fhir/questionnaires: a Bundle of every instrument the platform's ratings can use, as Questionnaires;
 * - POST /v1/fhir/questionnaire-response `{ "session": "<sid ref>", "client": "<cid ref>" }`: the session's rating
 *   (or decline) as a QuestionnaireResponse. The refs travel in the body, never the URL (logs record URLs); they are
 *   hashed to find the session, echoed as the resource's identifiers, and never stored. The client ref must be the
 *   session's own client, so a mix-up cannot file the answers under another patient. Audited (without refs).
 */
export const fhirRoutes = new Hono<AppEnv>()
  .use('*', adminAuth())
  .get('/questionnaires', (c) => {
    const scope = canonicalScopeOf(c.env, c.var.admin.platformId);
    const entry = instrumentsOf(c.var.platform.settings).map((i) => ({ resource: questionnaireOf(i, scope) }));
    return fhirJson(c, { resourceType: 'Bundle', type: 'collection', entry });
  })
  .all('/questionnaires', methodNotAllowed('GET'))
  .post('/questionnaire-response', async (c) => {
    const refs = await readJson(c, QuestionnaireResponseRequest);
    const { platformId, keyId } = c.var.admin;
    const secret = c.env.REF_HASH_SECRET;
    const [sidHash, clientHash] = await Promise.all([
      hashRef(secret, platformId, 'sid', refs.session),
      hashRef(secret, platformId, 'cid', refs.client),
    ]);
    const row = await summaryRowStatement(c.env.DB, platformId, sidHash).first<SummaryRow>();
    if (!row) {
      // Erasure deleted the session; its tombstone (kept 9 days) tells an erased client from an unknown session.
      if ((await erasedAt(c.env.DB, platformId, await tombstoneOf(clientHash))) !== null)
        throw new ApiFailure(410, 'client_erased', 'This client’s data was erased.');
      throw new ApiFailure(404, 'session_not_found', 'No session with this ref is recorded.');
    }
    if (row.clientHash !== clientHash)
      throw new ApiFailure(409, 'client_mismatch', 'The session was recorded with another client.');
    const rating = storedRatingOf({ ...row, items: v.parse(StoredItems, JSON.parse(row.items ?? '[]')) });
    if (!rating || row.instrumentId === null || row.instrumentVersion === null)
      throw new ApiFailure(404, 'rating_not_found', 'The session has no rating or decline yet.');
    const instrument = instrumentVersionFor(c.var.platform.settings, row.instrumentId, row.instrumentVersion);
    if (!instrument)
      throw new ApiFailure(
        409,
        'instrument_unavailable',
        'The instrument version of this rating is no longer in the platform’s settings.',
      );
    const resource = questionnaireResponseOf({
      instrument,
      scope: canonicalScopeOf(c.env, platformId),
      rating,
      ...identifiersOf(refs, c.var.platform.settings.fhir),
    });
    await insertAudit(c.env.DB, {
      platformId,
      keyId,
      route: '/v1/fhir/questionnaire-response',
      params: { method: 'POST' },
      rows: 1,
      at: Math.floor(Date.now() / 1000),
    }).run();
    return fhirJson(c, resource);
  })
  .all('/questionnaire-response', methodNotAllowed('POST'));
