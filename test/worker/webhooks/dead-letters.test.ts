// The dead-letter queue's consumer and the admin's replay, on hand-made batches (createMessageBatch): a dead letter is
// recorded once and parked, the admin sees it and replays it, the parked message goes back on attune-webhooks, and a
// later successful delivery clears the dead state. The queues the consumer sends to are recorders, so nothing here
// waits on a queue's clock. The real queue's path to the DLQ is in delivery-queue.test.ts.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../../worker/index.ts';
import { WEBHOOK_MAX_ATTEMPTS, type WebhookMessage } from '../../../worker/webhooks/deliver.ts';
import { PARK_SECONDS, type ParkedMessage } from '../../../worker/webhooks/dead-letters.ts';
import { adminCall, seedAdminKey, seedPlatform, storeSession, testHash } from '../helpers.ts';
import { newEventId } from '../../../worker/webhooks/event-payload.ts';
import { outboxMessage } from './outbox-message.ts';
import { fakeReceiver, registerEndpoint, type Answer } from './receiver.ts';

interface Sent<T> {
  body: T;
  options: QueueSendOptions | undefined;
}

/** A queue binding that keeps what is sent to it. */
function recordingQueue<T>(): { queue: Queue<T>; sent: Sent<T>[] } {
  const sent: Sent<T>[] = [];
  const metrics = { backlogCount: 0, backlogBytes: 0 };
  const queue: Queue<T> = {
    metrics: async () => metrics,
    send: async (body, options) => {
      sent.push({ body, options });
      return { metadata: { metrics } };
    },
    sendBatch: async (messages) => {
      for (const m of messages) sent.push({ body: m.body, options: undefined });
      return { metadata: { metrics } };
    },
  };
  return { queue, sent };
}

function queues() {
  const webhooks = recordingQueue<WebhookMessage>();
  const dlq = recordingQueue<ParkedMessage>();
  const e: Cloudflare.Env = {
    ...env,
    WEBHOOK_RETRY_BASE_SECONDS: '',
    WEBHOOKS: webhooks.queue,
    WEBHOOKS_DLQ: dlq.queue,
  };
  return { e, webhooks: webhooks.sent, parked: dlq.sent };
}

const eventId = newEventId;

/** A platform with an endpoint and one event of a stored session (its outbox row), and the event's queue message. */
async function deadEvent(script: Answer[] = [], then: Answer = 500) {
  const p = await seedPlatform();
  const admin = await seedAdminKey(p.platformId);
  const receiver = fakeReceiver(script, then);
  const endpoint = await registerEndpoint(admin.key, { url: receiver.url, events: ['rating.created'] });
  const sid = `s-${crypto.randomUUID()}`;
  await storeSession(p.platformId, {
    sid,
    tid: 't-1',
    cid: 'c-1',
    at: Math.floor(Date.now() / 1000),
    rating: { total: 30 },
  });
  const m = await outboxMessage(p.platformId, endpoint.id, await testHash(sid));
  return { p, admin, receiver, endpoint, m };
}

async function run(queue: string, bodies: unknown[], e: Cloudflare.Env, attempts = 1) {
  const batch = createMessageBatch<unknown>(
    queue,
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, e);
  return getQueueResult(batch, ctx);
}

const dlq = (bodies: unknown[], e: Cloudflare.Env, attempts = 1) => run('attune-webhooks-dlq', bodies, e, attempts);

interface DeadRecord {
  status: string;
  attempts: number;
  last_status: number | null;
  dead_at: number | null;
}

async function record(m: WebhookMessage): Promise<DeadRecord | null> {
  return env.DB.prepare(
    'SELECT status, attempts, last_status, dead_at FROM webhook_deliveries WHERE event_id = ?1 AND endpoint_id = ?2',
  )
    .bind(m.eventId, m.endpointId)
    .first<DeadRecord>();
}

function replay(key: string, body: unknown): Promise<Response> {
  return adminCall('/v1/webhooks/deliveries/replay', key, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function listed(key: string) {
  const res = await adminCall('/v1/webhooks/deliveries', key);
  expect(res.status).toBe(200);
  return (await res.json<{ deliveries: { eventId: string; status: string; deadAt: number | null }[] }>()).deliveries;
}

/** Runs the main consumer's last attempt (which records `failed`), then hands the message to the DLQ consumer. */
async function exhaust(m: WebhookMessage, e: Cloudflare.Env) {
  const last = await run('attune-webhooks', [m], e, WEBHOOK_MAX_ATTEMPTS);
  expect(last.retryMessages.map((r) => r.msgId)).toEqual(['msg-0']);
  return dlq([m], e);
}

describe('the dead-letter queue consumer', () => {
  it('a delivery whose retries ran out is recorded dead (time, attempts), parked in the DLQ and acknowledged', async () => {
    const { m } = await deadEvent();
    const { e, parked } = queues();
    const result = await exhaust(m, e);
    expect(result.explicitAcks).toEqual(['msg-0']);
    expect(result.retryMessages).toEqual([]);
    const r = await record(m);
    expect(r).toMatchObject({ status: 'dead', attempts: WEBHOOK_MAX_ATTEMPTS, last_status: 500 });
    expect(r?.dead_at).toBeGreaterThan(0);
    expect(parked).toHaveLength(1);
    expect(parked[0]!.body).toMatchObject(m);
    expect(parked[0]!.options?.delaySeconds).toBe(PARK_SECONDS);
  });

  it('a redelivered dead letter records nothing more and parks no second copy', async () => {
    const { m } = await deadEvent();
    const { e, parked } = queues();
    await exhaust(m, e);
    await env.DB.prepare('UPDATE webhook_deliveries SET dead_at = 1000, updated_at = 1000 WHERE event_id = ?1')
      .bind(m.eventId)
      .run();
    const again = await dlq([m, m], e);
    expect(again.explicitAcks).toEqual(['msg-0', 'msg-1']);
    expect(await record(m)).toMatchObject({ status: 'dead', dead_at: 1000 });
    expect(parked).toHaveLength(1);
  });

  it('a dead letter without a record (the last attempt could not write it) is recorded with the attempts it had', async () => {
    const { m } = await deadEvent();
    const { e, parked } = queues();
    expect((await dlq([m], e)).explicitAcks).toEqual(['msg-0']);
    expect(await record(m)).toMatchObject({ status: 'dead', attempts: WEBHOOK_MAX_ATTEMPTS, last_status: null });
    expect(parked).toHaveLength(1);
  });

  it('a dead letter of an erased event or a deleted endpoint is dropped, parked or not; junk is dropped', async () => {
    const { m, admin } = await deadEvent();
    const { e, parked } = queues();
    await exhaust(m, e);
    expect(parked).toHaveLength(1);
    // Parked and still dead: parked again.
    expect((await dlq([parked[0]!.body], e)).explicitAcks).toEqual(['msg-0']);
    expect(parked).toHaveLength(2);
    // The session was erased (its outbox row went with it): the payload is not kept any longer.
    await env.DB.prepare('DELETE FROM webhook_events WHERE event_id = ?1').bind(m.eventId).run();
    expect((await dlq([parked[1]!.body], e)).explicitAcks).toEqual(['msg-0']);
    expect(parked).toHaveLength(2);
    expect((await replay(admin.key, { eventId: m.eventId, endpointId: m.endpointId })).status).toBe(410);

    const other = await deadEvent();
    const del = await adminCall('/v1/webhooks/endpoints/delete', other.admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: other.endpoint.id }),
    });
    expect(del.status).toBe(200);
    expect((await dlq([other.m], e)).explicitAcks).toEqual(['msg-0']);
    expect(await record(other.m)).toBeNull();
    expect(parked).toHaveLength(2);

    // Dead first, its endpoint deleted after: nothing to replay to.
    const third = await deadEvent();
    await exhaust(third.m, e);
    await adminCall('/v1/webhooks/endpoints/delete', third.admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: third.endpoint.id }),
    });
    const gone = await replay(third.admin.key, { eventId: third.m.eventId, endpointId: third.m.endpointId });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 'unknown_endpoint' } });
    const before = parked.length;
    expect((await dlq([parked.at(-1)!.body], e)).explicitAcks).toEqual(['msg-0']);
    expect(parked).toHaveLength(before);

    expect((await dlq([{ nope: true }], e)).explicitAcks).toEqual(['msg-0']);
  });
});

describe('replaying a dead delivery (admin)', () => {
  it('the admin list shows it dead; a replay re-enqueues it once; a successful delivery clears the dead state', async () => {
    // Down for all 11 attempts, then up for the replay.
    const { m, admin, receiver } = await deadEvent([500], 200);
    const { e, webhooks, parked } = queues();
    await exhaust(m, e);
    const dead = (await listed(admin.key)).find((d) => d.eventId === m.eventId);
    expect(dead).toMatchObject({ status: 'dead', deadAt: expect.any(Number) });

    const res = await replay(admin.key, { eventId: m.eventId, endpointId: m.endpointId });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ eventId: m.eventId, endpointId: m.endpointId, status: 'replaying' });
    expect((await listed(admin.key)).find((d) => d.eventId === m.eventId)?.status).toBe('replaying');
    // Asked twice: the second is refused, and nothing more is queued.
    const twice = await replay(admin.key, { eventId: m.eventId, endpointId: m.endpointId });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: { code: 'delivery_not_dead' } });

    // The parked message comes back (two copies, as after a redelivered dead letter): it is queued once.
    const back = await dlq([parked[0]!.body, parked[0]!.body], e);
    expect(back.explicitAcks).toEqual(['msg-0', 'msg-1']);
    expect(webhooks).toEqual([{ body: m, options: { contentType: 'json' } }]);
    expect(parked).toHaveLength(1);
    expect((await record(m))?.status).toBe('retrying');

    // The re-enqueued message, delivered this time.
    const delivered = await run('attune-webhooks', [webhooks[0]!.body], e, 1);
    expect(delivered.explicitAcks).toEqual(['msg-0']);
    expect(receiver.deliveries.at(-1)?.answer).toBe(200);
    expect(await record(m)).toMatchObject({ status: 'delivered', dead_at: null, last_status: 200 });
    expect((await listed(admin.key)).find((d) => d.eventId === m.eventId)).toMatchObject({
      status: 'delivered',
      deadAt: null,
    });
    // Not dead any more: no replay, and a late parked copy is dropped.
    expect((await replay(admin.key, { eventId: m.eventId, endpointId: m.endpointId })).status).toBe(409);
    await dlq([parked[0]!.body], e);
    expect(parked).toHaveLength(1);
    expect(webhooks).toHaveLength(1);
  });

  it('?status=dead lists a dead delivery behind 100 newer ones (the plain list no longer reaches it), only the platform’s own', async () => {
    const { m, admin, p } = await deadEvent();
    const { e } = queues();
    await exhaust(m, e);
    const stranger = await deadEvent();
    await exhaust(stranger.m, e);
    const later = Math.floor(Date.now() / 1000) + 60;
    await env.DB.batch(
      Array.from({ length: 120 }, (_, i) =>
        env.DB.prepare(
          `INSERT INTO webhook_deliveries (event_id, endpoint_id, platform_id, type, status, attempts, last_status, updated_at)
           VALUES (?1, ?2, ?3, 'rating.created', 'delivered', 1, 200, ?4)`,
        ).bind(eventId(), m.endpointId, p.platformId, later + i),
      ),
    );
    expect((await listed(admin.key)).some((d) => d.eventId === m.eventId)).toBe(false);
    const res = await adminCall('/v1/webhooks/deliveries?status=dead', admin.key);
    expect(res.status).toBe(200);
    const { deliveries } = await res.json<{ deliveries: { eventId: string; status: string }[] }>();
    expect(deliveries).toEqual([
      expect.objectContaining({ eventId: m.eventId, endpointId: m.endpointId, status: 'dead' }),
    ]);
    const delivered = await adminCall('/v1/webhooks/deliveries?status=delivered', admin.key);
    expect((await delivered.json<{ deliveries: unknown[] }>()).deliveries).toHaveLength(100);
  });

  it('an unknown ?status is 400 invalid_status, JSON, without echoing it', async () => {
    const { admin } = await deadEvent();
    for (const q of ['deadx', '', 'DEAD', '<script>', 'dead&status=x']) {
      const res = await adminCall(`/v1/webhooks/deliveries?status=${encodeURIComponent(q)}`, admin.key);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('Content-Type')).toMatch(/application\/json/);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_status' } });
      expect(text).not.toContain('<script>');
    }
  });

  it('the queue refusing the replayed message leaves the replay asked, for the next pass', async () => {
    const { m, admin } = await deadEvent();
    const { e, parked } = queues();
    await exhaust(m, e);
    expect((await replay(admin.key, { eventId: m.eventId, endpointId: m.endpointId })).status).toBe(202);
    const refusing = recordingQueue<WebhookMessage>();
    refusing.queue.send = async () => {
      throw new Error('queue unavailable');
    };
    const result = await dlq([parked[0]!.body], { ...e, WEBHOOKS: refusing.queue });
    expect(result.retryMessages.map((r) => r.msgId)).toEqual(['msg-0']);
    expect((await record(m))?.status).toBe('replaying');
  });

  it('bad ids, unknown ids, another platform’s delivery and a delivery not dead: 4xx JSON, nothing changes', async () => {
    const { m, admin } = await deadEvent();
    const { e } = queues();
    await exhaust(m, e);
    const bad: [unknown, number][] = [
      [{}, 422],
      [{ eventId: m.eventId }, 422],
      [{ eventId: 'evt_nope', endpointId: m.endpointId }, 422],
      [{ eventId: m.eventId, endpointId: 'we_<script>' }, 422],
      [{ eventId: m.eventId, endpointId: m.endpointId, extra: 1 }, 422],
      [{ eventId: eventId(), endpointId: m.endpointId }, 404],
    ];
    for (const [body, status] of bad) {
      const res = await replay(admin.key, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get('Content-Type')).toMatch(/application\/json/);
      expect(await res.text()).not.toContain('<script>');
    }
    const notJson = await adminCall('/v1/webhooks/deliveries/replay', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"eventId":',
    });
    expect(notJson.status).toBe(400);
    expect((await adminCall('/v1/webhooks/deliveries/replay', admin.key)).status).toBe(405);
    expect((await replay('attune_admin_nope', { eventId: m.eventId, endpointId: m.endpointId })).status).toBe(401);

    const stranger = await deadEvent();
    const theirs = await replay(admin.key, { eventId: stranger.m.eventId, endpointId: stranger.m.endpointId });
    expect(theirs.status).toBe(404);

    const { m: alive, admin: aliveAdmin } = await deadEvent([], 200);
    expect((await run('attune-webhooks', [alive], e)).explicitAcks).toEqual(['msg-0']);
    const notDead = await replay(aliveAdmin.key, { eventId: alive.eventId, endpointId: alive.endpointId });
    expect(notDead.status).toBe(409);

    expect((await record(m))?.status).toBe('dead');
    const { results } = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE platform_id = ?1 AND route = '/v1/webhooks/deliveries/replay'",
    )
      .bind(m.platformId)
      .all<{ n: number }>();
    expect(results[0]?.n).toBe(0);
  });
});
