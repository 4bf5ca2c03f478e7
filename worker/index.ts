import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { refuseConnect } from './http/connect-refused.ts';
import type { AppEnv } from './env.ts';
import { ApiFailure, errorResponse } from './http/errors.ts';
import { cors } from './http/cors.ts';
import { methodNotAllowed } from './http/method-not-allowed.ts';
import { openApiDocument } from './http/openapi.ts';
import { enforceRetention } from './admin/retention.ts';
import { caseloadRoutes } from './routes/caseload.ts';
import { clientRoutes } from './routes/clients.ts';
import { contextRoutes } from './routes/context.ts';
import { devRoutes } from './routes/dev.ts';
import { fhirRoutes } from './routes/fhir.ts';
import { liveRoutes } from './routes/live.ts';
import { reportRoutes } from './routes/reports.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { trendRoutes } from './routes/trends.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { deleteDeliveriesBefore } from './db/webhook-queries.ts';
import { deliverBatch } from './webhooks/deliver.ts';
import { DEAD_LETTER_QUEUE, deadLetterBatch } from './webhooks/dead-letters.ts';

export { SessionLive } from './live/session-live.ts';

const v1 = new Hono<AppEnv>()
  .use('*', cors())
  .use('*', async function noStore(c, next) {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  })
  .get('/health', (c) => c.json({ ok: true }))
  .all('/health', methodNotAllowed('GET'))
  .route('/context', contextRoutes)
  .route('/session', sessionRoutes)
  .route('/trends', trendRoutes)
  .route('/reports', reportRoutes)
  .route('/clients', clientRoutes)
  .route('/fhir', fhirRoutes)
  .route('/webhooks', webhookRoutes)
  .route('/caseload', caseloadRoutes);

const app = new Hono<AppEnv>()
  // Before /v1: a 101 answer carries a WebSocket and must not pass through the header-setting middlewares.
  .route('/v1/live', liveRoutes)
  .route('/v1', v1)
  .route('/dev', devRoutes)
  .get('/openapi.json', (c) => c.json(openApiDocument()))
  .all('/openapi.json', methodNotAllowed('GET'));

app.notFound((c) => errorResponse(c, 404, 'not_found', 'No such route.'));

app.onError((err, c) => {
  if (err instanceof ApiFailure) return errorResponse(c, err.status, err.code, err.message, err.headers);
  if (err instanceof HTTPException && err.status < 500) {
    return errorResponse(c, err.status as 400, 'bad_request', 'The request could not be processed.');
  }
  console.error('unhandled error', err);
  return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side.');
});

export { app };

/** Delivery records (status and attempts, no payload) are kept this long. */
const DELIVERY_RECORD_DAYS = 30;

export default {
  fetch: app.fetch,
  /** HTTP CONNECT (workerd routes it here, not to fetch): 405 like any other unsupported method. */
  connect: refuseConnect,
  /** Cron Trigger (wrangler.toml [triggers]): retention. */
  async scheduled(controller: ScheduledController, env: AppEnv['Bindings']): Promise<void> {
    const deleted = await enforceRetention(env.DB, Math.floor(controller.scheduledTime / 1000));
    const total = Object.values(deleted).reduce((a, b) => a + b, 0);
    console.log(`retention: ${total} sessions deleted`);
    await deleteDeliveriesBefore(
      env.DB,
      Math.floor(controller.scheduledTime / 1000) - DELIVERY_RECORD_DAYS * 86400,
    ).run();
  },
  /**
   * Queue consumers (wrangler.toml [[queues.consumers]]): webhook deliveries, retried with backoff, then the DLQ,
   * whose dead letters are recorded and kept for a replay.
   */
  async queue(batch: MessageBatch<unknown>, env: AppEnv['Bindings']): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) await deadLetterBatch(batch, env);
    else await deliverBatch(batch, env);
  },
} satisfies ExportedHandler<AppEnv['Bindings']>;
