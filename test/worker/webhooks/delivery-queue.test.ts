// Webhooks end to end through the real queue inside workerd: the rating request puts the event on the queue, the
// Worker's own queue() consumer delivers it, retries (the tests set the backoff base to 0 s; the backoff itself is in
// consumer.test.ts) and records each attempt. Waits are on explicit conditions, never on the clock.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookEvent } from '../../../sdk/server.ts';
import { adminCall, GOOD_RATING, postJson, seedAdminKey, seedPlatform, sessionPath } from '../helpers.ts';
import { deliveryRecords, fakeReceiver, registerEndpoint, SETTLED as settled } from './receiver.ts';

describe('webhook delivery through Cloudflare Queues', () => {
  it('a receiver that is down, then up: retried, then delivered once, signed, with the raw refs and the summary', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    // Down for two attempts (a 503, then a refused connection), then up.
    const receiver = fakeReceiver([503, 'network-error']);
    const { secret } = await registerEndpoint(admin.key, { url: receiver.url, events: ['rating.created'] });

    const res = await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING);
    expect(res.status).toBe(201);

    const deliveries = await receiver.received(3);
    expect(deliveries.map((d) => d.answer)).toEqual([503, 'network-error', 200]);
    const events: WebhookEvent[] = [];
    for (const d of deliveries) events.push(await verifyWebhook(d.body, d.signature, secret));
    // One event: every attempt carries the same id.
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    const event = events[0]!;
    expect(event.type).toBe('rating.created');
    expect(event.platform).toBe(p.platformId);
    expect(event.data).toMatchObject({
      session: p.refs.sid,
      therapist: p.refs.tid,
      client: p.refs.cid,
      summary: { status: 'rated', total: 36.2 },
    });
    await expect
      .poll(() => deliveryRecords(event.id), settled)
      .toEqual([{ status: 'delivered', attempts: 3, last_status: 200 }]);
    expect(receiver.deliveries).toHaveLength(3);
  });

  it('a receiver that never answers 2xx: retried 11 times, then the DLQ consumer records the delivery as dead', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const receiver = fakeReceiver([], 500);
    await registerEndpoint(admin.key, { url: receiver.url, events: ['rating.created'] });
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);

    // max_retries = 10 in wrangler.toml: 11 attempts in all.
    const deliveries = await receiver.received(11);
    const { id } = JSON.parse(deliveries[0]!.body) as WebhookEvent;
    // The last attempt records `failed`; the message then reaches attune-webhooks-dlq, whose consumer records it dead.
    await expect.poll(() => deliveryRecords(id), settled).toEqual([{ status: 'dead', attempts: 11, last_status: 500 }]);
    const listed = await adminCall('/v1/webhooks/deliveries', admin.key);
    expect((await listed.json<{ deliveries: unknown[] }>()).deliveries).toEqual([
      expect.objectContaining({ eventId: id, status: 'dead', deadAt: expect.any(Number) }),
    ]);
    expect(receiver.deliveries).toHaveLength(11);
  });

  it('a redelivery (the receiver processed it but its answer was lost) is deduplicated by the event id', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    // The receiver's documented pattern (sdk/README.md): verify, skip an id already handled, handle, answer 2xx.
    // Its first answer is lost (a 502 from its proxy after it handled the event), so the event comes again.
    const receiver = fakeReceiver([502]);
    const { secret } = await registerEndpoint(admin.key, { url: receiver.url, events: ['rating.created'] });
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);

    const deliveries = await receiver.received(2);
    const handled = new Set<string>();
    let effects = 0;
    for (const d of deliveries) {
      const event = await verifyWebhook(d.body, d.signature, secret);
      if (handled.has(event.id)) continue;
      handled.add(event.id);
      effects++;
    }
    expect(deliveries).toHaveLength(2);
    expect(effects).toBe(1);
  });

  it('the tables behind webhooks hold no raw ref and no payload', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const receiver = fakeReceiver();
    await registerEndpoint(admin.key, {
      url: receiver.url,
      events: ['rating.created', 'rating.flagged', 'pacing.recorded'],
    });
    const raw = { sid: 'RAWSID-visit-0815', tid: 'RAWTID-dr.ada@clinic.example', cid: 'RAWCID-bob@mail.example' };
    const low = { ...GOOD_RATING, items: GOOD_RATING.items.map((i) => ({ ...i, value: 2 })) };
    expect((await postJson(sessionPath('rating'), await p.mint(raw), low)).status).toBe(201);
    const [first, second] = await receiver.received(2);
    expect([first, second].map((d) => (JSON.parse(d!.body) as WebhookEvent).type).sort()).toEqual([
      'rating.created',
      'rating.flagged',
    ]);
    // The refs did reach the receiver …
    expect(first!.body).toContain('RAWCID-bob@mail.example');
    const ids = [first, second].map((d) => (JSON.parse(d!.body) as WebhookEvent).id);
    for (const id of ids)
      await expect.poll(async () => (await deliveryRecords(id))[0]?.status, settled).toBe('delivered');

    // … and none of them, nor any part of the payload, is in any table.
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    expect(tables.results.map((t) => t.name)).toEqual(
      expect.arrayContaining(['webhook_endpoints', 'webhook_events', 'webhook_deliveries']),
    );
    const cells: string[] = [];
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
      for (const row of rows.results) for (const value of Object.values(row)) cells.push(String(value));
    }
    for (const needle of ['RAWSID', 'RAWTID', 'RAWCID', 'visit-0815', 'dr.ada', 'bob@mail', '"summary"', 'whsec_'])
      expect(
        cells.filter((c) => c.includes(needle)),
        needle,
      ).toEqual([]);
  });
});
