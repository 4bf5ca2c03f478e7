// The queue() handler on hand-made batches (createMessageBatch / getQueueResult from cloudflare:test): the backoff
// of each retry, the last attempt, and the messages it acknowledges without a delivery.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { verifyWebhook } from '../../../sdk/server.ts';
import worker from '../../../worker/index.ts';
import { backoffSeconds, WEBHOOK_MAX_ATTEMPTS, type WebhookMessage } from '../../../worker/webhooks/deliver.ts';
import { adminCall, postJson, seedAdminKey, seedPlatform, sessionPath, storeSession, testHash } from '../helpers.ts';
import { GOOD_RATING } from '../../samples.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { newEventId } from '../../../worker/webhooks/event-payload.ts';
import { outboxMessage } from './outbox-message.ts';
import { deliveryRecords, fakeReceiver, registerEndpoint } from './receiver.ts';

/** The production backoff (the test config sets a base of 0 s for the end-to-end queue tests). */
const productionEnv = { ...env, WEBHOOK_RETRY_BASE_SECONDS: '' };

async function endpointFor(events: string[] = ['rating.created'], script: (number | 'network-error')[] = []) {
  const p = await seedPlatform();
  const admin = await seedAdminKey(p.platformId);
  const receiver = fakeReceiver(script);
  const endpoint = await registerEndpoint(admin.key, { url: receiver.url, events });
  return { p, admin, receiver, endpoint };
}

/**
 * A message of an event in the outbox, as the Worker queues one: the event's row (of a session of its own) exists
 * until erasure or retention takes the session.
 */
async function message(platformId: string, endpointId: string, eventId: string): Promise<WebhookMessage> {
  const sid = `s-${eventId}`;
  await storeSession(platformId, {
    sid,
    tid: 't-1',
    cid: 'c-1',
    at: Math.floor(Date.now() / 1000),
    rating: { total: 30 },
  });
  return outboxMessage(platformId, endpointId, await testHash(sid), eventId);
}

async function run(messages: { body: WebhookMessage; attempts: number }[], e: Cloudflare.Env = productionEnv) {
  const batch = createMessageBatch<WebhookMessage>(
    'attune-webhooks',
    messages.map((m, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: m.attempts, body: m.body })),
  );
  // The plugin's getQueueResult does not report retry() options: the spies keep each message's delaySeconds.
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, e);
  const result = await getQueueResult(batch, ctx);
  return { ...result, delays: retries.map((r) => r.mock.calls[0]?.[0]?.delaySeconds) };
}

const eventId = newEventId;

describe('queue consumer', () => {
  it('backs off exponentially: 30 s, 60 s, 120 s … at most 12 h', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(n))).toEqual([30, 60, 120, 240, 480]);
    expect(backoffSeconds(20)).toBe(12 * 3600);
  });

  it('a failing receiver: each attempt is retried with the next delay; the 2xx acknowledges', async () => {
    const { p, endpoint, receiver } = await endpointFor(['rating.created'], [500, 503, 'network-error']);
    const m = await message(p.platformId, endpoint.id, eventId());
    const delays: (number | undefined)[] = [];
    for (const attempts of [1, 2, 3]) {
      const result = await run([{ body: m, attempts }]);
      expect(result.explicitAcks).toEqual([]);
      delays.push(result.delays[0]);
      expect(await deliveryRecords(m.eventId)).toEqual([
        { status: 'retrying', attempts, last_status: attempts === 3 ? null : [500, 503][attempts - 1] },
      ]);
    }
    expect(delays).toEqual([30, 60, 120]);
    const result = await run([{ body: m, attempts: 4 }]);
    expect(result.explicitAcks).toEqual(['msg-0']);
    expect(result.retryMessages).toEqual([]);
    expect(await deliveryRecords(m.eventId)).toEqual([{ status: 'delivered', attempts: 4, last_status: 200 }]);
    expect(receiver.deliveries).toHaveLength(4);
  });

  it('the last attempt records the failure and retries, which sends the message to the dead-letter queue', async () => {
    const { p, endpoint } = await endpointFor(['rating.created'], [410]);
    const m = await message(p.platformId, endpoint.id, eventId());
    const result = await run([{ body: m, attempts: WEBHOOK_MAX_ATTEMPTS }]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual(['msg-0']);
    expect(await deliveryRecords(m.eventId)).toEqual([
      { status: 'failed', attempts: WEBHOOK_MAX_ATTEMPTS, last_status: 410 },
    ]);
  });

  it('a message for a deleted endpoint, or for an event the endpoint already has, is acknowledged unsent', async () => {
    const { p, admin, endpoint, receiver } = await endpointFor();
    const m = await message(p.platformId, endpoint.id, eventId());
    expect((await run([{ body: m, attempts: 1 }])).explicitAcks).toEqual(['msg-0']);
    expect(receiver.deliveries).toHaveLength(1);
    // The same event queued a second time (two retried requests raced): not sent again.
    expect((await run([{ body: m, attempts: 1 }])).explicitAcks).toEqual(['msg-0']);
    expect(receiver.deliveries).toHaveLength(1);

    const del = await adminCall('/v1/webhooks/endpoints/delete', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: endpoint.id }),
    });
    expect(del.status).toBe(200);
    const other = await message(p.platformId, endpoint.id, eventId());
    expect((await run([{ body: other, attempts: 1 }])).explicitAcks).toEqual(['msg-0']);
    expect(receiver.deliveries).toHaveLength(1);
    // Not a delivery at all: dropped, never retried.
    const junk = await run([{ body: { nope: true } as unknown as WebhookMessage, attempts: 1 }]);
    expect(junk.explicitAcks).toEqual(['msg-0']);
  });

  it('a retry of an erased client’s event is acknowledged unsent: nothing of the client leaves after the erasure', async () => {
    const { p, admin, endpoint, receiver } = await endpointFor(['rating.declined'], [503]);
    // The client's rating, through the API (its outbox row is recorded only for a type an endpoint takes: none here).
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
    const sidHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', p.refs.sid);
    const m = await outboxMessage(p.platformId, endpoint.id, sidHash);
    expect((await run([{ body: m, attempts: 1 }])).retryMessages.map((r) => r.msgId)).toEqual(['msg-0']);
    expect(receiver.deliveries).toHaveLength(1);
    const deliveryRow = () =>
      env.DB.prepare('SELECT status FROM webhook_deliveries WHERE event_id = ?1 AND endpoint_id = ?2')
        .bind(m.eventId, endpoint.id)
        .first<{ status: string }>();
    expect(await deliveryRow()).toEqual({ status: 'retrying' });

    const erased = await adminCall('/v1/clients/erase', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ref: p.refs.cid }),
    });
    expect(await erased.json()).toEqual({ erased: { sessions: 1 } });
    const after = await run([{ body: m, attempts: 2 }]);
    expect(after.explicitAcks).toEqual(['msg-0']);
    expect(after.retryMessages).toEqual([]);
    expect(receiver.deliveries).toHaveLength(1);
    // Its delivery row goes with it: it no longer shows as retrying in the admin's list.
    expect(await deliveryRow()).toBeNull();
  });

  it('after a rotation, deliveries carry a signature under each secret until the previous one expires', async () => {
    const { p, admin, endpoint, receiver } = await endpointFor();
    const rotated = await adminCall('/v1/webhooks/endpoints/rotate', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: endpoint.id }),
    });
    expect(rotated.status).toBe(200);
    const { secret } = await rotated.json<{ secret: string }>();
    expect(secret).not.toBe(endpoint.secret);
    await run([{ body: await message(p.platformId, endpoint.id, eventId()), attempts: 1 }]);
    const d = receiver.deliveries[0]!;
    expect(d.signature!.match(/v1=/g)).toHaveLength(2);
    await expect(verifyWebhook(d.body, d.signature, secret)).resolves.toMatchObject({ type: 'rating.created' });
    await expect(verifyWebhook(d.body, d.signature, endpoint.secret)).resolves.toBeDefined();

    // Once the previous secret's window is over, only the new one signs.
    await env.DB.prepare('UPDATE webhook_endpoints SET previous_until = 1 WHERE id = ?1').bind(endpoint.id).run();
    await run([{ body: await message(p.platformId, endpoint.id, eventId()), attempts: 1 }]);
    const later = receiver.deliveries[1]!;
    expect(later.signature!.match(/v1=/g)).toHaveLength(1);
    await expect(verifyWebhook(later.body, later.signature, endpoint.secret)).rejects.toThrow(/signature/);
    await expect(verifyWebhook(later.body, later.signature, secret)).resolves.toBeDefined();
  });

  it('the daily cron deletes delivery records older than 30 days', async () => {
    const { p, endpoint } = await endpointFor();
    const now = Math.floor(Date.now() / 1000);
    const old = eventId();
    const recent = eventId();
    for (const [id, at] of [
      [old, now - 31 * 86400],
      [recent, now - 29 * 86400],
    ] as const)
      await env.DB.prepare(
        `INSERT INTO webhook_deliveries (event_id, endpoint_id, platform_id, type, status, attempts, last_status, updated_at)
         VALUES (?1, ?2, ?3, 'rating.created', 'delivered', 1, 200, ?4)`,
      )
        .bind(id, endpoint.id, p.platformId, at)
        .run();
    await worker.scheduled(createScheduledController({ scheduledTime: now * 1000, cron: '17 3 * * *' }), env);
    expect(await deliveryRecords(old)).toEqual([]);
    expect(await deliveryRecords(recent)).toHaveLength(1);
  });
});
