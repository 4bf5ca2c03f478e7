import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import {
  WebhookDeliveryRef,
  WebhookDeliveryStatus,
  WebhookEndpointCreate,
  WebhookEndpointRef,
  type WebhookReplayed,
  type WebhookEndpoint,
  type WebhookEndpointCreated,
  type WebhookEventType,
} from '../../schemas/webhook.ts';
import { insertAudit } from '../db/admin-queries.ts';
import {
  deadLetterState,
  deleteEndpoint,
  deliveryStatus,
  getEndpoint,
  insertEndpoint,
  insertEndpointAudit,
  insertReplayAudit,
  listEndpoints,
  MAX_ENDPOINTS,
  recentDeliveries,
  requestReplay,
  rotateEndpointSecret,
  type EndpointRow,
} from '../db/webhook-queries.ts';
import type { AppEnv } from '../env.ts';
import { adminAuth } from '../auth/admin-auth.ts';
import { readJson } from '../http/body.ts';
import { ApiFailure } from '../http/errors.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { checkEndpointUrl } from '../webhooks/endpoint-url.ts';
import { newEndpointId, newWebhookSecret, sealSecret } from '../webhooks/secret-box.ts';

/** After a rotation the previous secret signs beside the new one for this long. */
export const PREVIOUS_SECRET_SECONDS = 24 * 3600;
const DELIVERIES_LISTED = 100;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The `status` the list is narrowed to (`?status=dead`: every dead delivery, however many newer ones came since). */
function statusOf(c: Context<AppEnv>): WebhookDeliveryStatus | null {
  const q = c.req.query('status');
  if (q === undefined) return null;
  const s = v.safeParse(WebhookDeliveryStatus, q);
  if (!s.success)
    throw new ApiFailure(400, 'invalid_status', '`status` must be retrying, delivered, failed, dead or replaying.');
  return s.output;
}

function endpointOf(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    fhir: row.fhir === 1,
    createdAt: row.createdAt,
    rotatedAt: row.rotatedAt,
  };
}

/** Admin writes are audited like reads: the route and the endpoint id, never a URL or a secret. */
function audit(c: Context<AppEnv>, route: string, id: string) {
  const { platformId, keyId } = c.var.admin;
  return insertAudit(c.env.DB, { platformId, keyId, route, params: { id }, rows: 1, at: nowSeconds() });
}

async function ownEndpoint(c: Context<AppEnv>): Promise<EndpointRow> {
  const { id } = await readJson(c, WebhookEndpointRef);
  const row = await getEndpoint(c.env.DB, c.var.admin.platformId, id);
  if (!row) throw new ApiFailure(404, 'unknown_endpoint', 'This platform has no webhook endpoint with that id.');
  return row;
}

/**
 * A dead delivery of the platform becomes `replaying`; the dead-letter consumer puts its parked message back on the
 * queue (worker/webhooks/dead-letters.ts). 404 for a delivery or endpoint the platform does not have, 410 when the
 * event went with its session (erasure, retention), 409 when the delivery is not dead.
 */
async function replay(c: Context<AppEnv>): Promise<WebhookReplayed> {
  const { eventId, endpointId } = await readJson(c, WebhookDeliveryRef);
  const platformId = c.var.admin.platformId;
  const current = await deliveryStatus(c.env.DB, platformId, eventId, endpointId);
  if (!current) throw new ApiFailure(404, 'unknown_delivery', 'This platform has no delivery with those ids.');
  // The delivery is this platform's, so its endpoint was too: gone means deleted.
  const state = await deadLetterState(c.env.DB, eventId, endpointId);
  if (!state?.endpointKept)
    throw new ApiFailure(404, 'unknown_endpoint', 'This platform has no webhook endpoint with that id.');
  if (!state.eventKept)
    throw new ApiFailure(410, 'event_gone', 'The event went with its session (erased or expired): nothing to replay.');
  const now = nowSeconds();
  const [, replayed] = await c.env.DB.batch([
    insertReplayAudit(c.env.DB, { platformId, keyId: c.var.admin.keyId, eventId, endpointId, at: now }),
    requestReplay(c.env.DB, platformId, eventId, endpointId, now),
  ]);
  if (!replayed?.results.length)
    throw new ApiFailure(409, 'delivery_not_dead', 'Only a dead delivery can be replayed; this one is not dead.');
  return { eventId, endpointId, status: 'replaying' };
}

/**
 * Webhook endpoints (admin key): register (the signing secret is shown once), list, rotate the secret, delete; and
 * the recent deliveries, and the replay of a dead one. Endpoint ids travel in the body, like every id here (no path parameters).
 */
export const webhookRoutes = new Hono<AppEnv>()
  .use('*', adminAuth())
  .post('/endpoints', async (c) => {
    const body = await readJson(c, WebhookEndpointCreate);
    const url = checkEndpointUrl(body.url, { allowLocalHttp: c.env.DEV_MODE === '1' });
    if (!url)
      throw new ApiFailure(
        422,
        'invalid_url',
        'The url must be https:// with a host name, and no credentials or fragment.',
      );
    const { platformId, keyId } = c.var.admin;
    const id = newEndpointId();
    const secret = newWebhookSecret();
    const events = [...new Set(body.events)];
    const now = nowSeconds();
    const fhir = body.fhir ?? false;
    const sealed = await sealSecret(c.env.REF_HASH_SECRET, id, secret);
    const [inserted] = await c.env.DB.batch([
      insertEndpoint(c.env.DB, { id, platformId, url, events, fhir, secret: sealed, now }),
      insertEndpointAudit(c.env.DB, { platformId, keyId, id, at: now }),
    ]);
    if (!inserted?.meta.changes)
      throw new ApiFailure(409, 'too_many_endpoints', `A platform has at most ${MAX_ENDPOINTS} webhook endpoints.`);
    const created: WebhookEndpointCreated = { id, url, events, fhir, createdAt: now, rotatedAt: null, secret };
    return c.json(created, 201);
  })
  .get('/endpoints', async (c) => {
    const rows = await listEndpoints(c.env.DB, c.var.admin.platformId);
    return c.json({ endpoints: rows.map(endpointOf) });
  })
  .all('/endpoints', methodNotAllowed('GET', 'POST'))
  .post('/endpoints/rotate', async (c) => {
    const row = await ownEndpoint(c);
    const secret = newWebhookSecret();
    const now = nowSeconds();
    const previousUntil = now + PREVIOUS_SECRET_SECONDS;
    const platformId = c.var.admin.platformId;
    await c.env.DB.batch([
      rotateEndpointSecret(c.env.DB, {
        platformId,
        id: row.id,
        secret: await sealSecret(c.env.REF_HASH_SECRET, row.id, secret),
        previousUntil,
        now,
      }),
      audit(c, '/v1/webhooks/endpoints/rotate', row.id),
    ]);
    return c.json({ id: row.id, secret, previousUntil });
  })
  .all('/endpoints/rotate', methodNotAllowed('POST'))
  .post('/endpoints/delete', async (c) => {
    const row = await ownEndpoint(c);
    await c.env.DB.batch([
      deleteEndpoint(c.env.DB, c.var.admin.platformId, row.id),
      audit(c, '/v1/webhooks/endpoints/delete', row.id),
    ]);
    return c.json({ id: row.id, deleted: true });
  })
  .all('/endpoints/delete', methodNotAllowed('POST'))
  .get('/deliveries', async (c) => {
    const rows = await recentDeliveries(c.env.DB, c.var.admin.platformId, DELIVERIES_LISTED, statusOf(c));
    return c.json({ deliveries: rows });
  })
  .all('/deliveries', methodNotAllowed('GET'))
  .post('/deliveries/replay', async (c) => c.json(await replay(c), 202))
  .all('/deliveries/replay', methodNotAllowed('POST'));
