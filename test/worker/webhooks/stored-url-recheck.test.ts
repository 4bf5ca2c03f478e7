// An endpoint stored before the URL rules tightened (or written to D1 by hand) is checked again before each delivery:
// a URL the registration would refuse now (a name under .localhost, .internal, ...) is never fetched. The attempt
// counts as failed (retried, then dead-lettered, as for a receiver that cannot be reached).
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { insertEndpoint } from '../../../worker/db/webhook-queries.ts';
import worker from '../../../worker/index.ts';
import type { WebhookMessage } from '../../../worker/webhooks/deliver.ts';
import { newEndpointId, newWebhookSecret, sealSecret } from '../../../worker/webhooks/secret-box.ts';
import { seedPlatform, storeSession, testHash } from '../helpers.ts';
import { outboxMessage } from './outbox-message.ts';
import { deliveryRecords } from './receiver.ts';

describe('a stored endpoint URL the rules now refuse', () => {
  it('is not fetched; the attempt is recorded as failed and retried', async () => {
    const p = await seedPlatform();
    const id = newEndpointId();
    const url = `https://${id}.hooks.localhost/attune`;
    const sealed = await sealSecret(env.REF_HASH_SECRET, id, newWebhookSecret());
    const now = Math.floor(Date.now() / 1000);
    const stored = insertEndpoint(env.DB, {
      id,
      platformId: p.platformId,
      url,
      events: ['rating.created'],
      fhir: false,
      secret: sealed,
      now,
    });
    await stored.run();
    await storeSession(p.platformId, { sid: `s-${id}`, tid: 't-1', cid: 'c-1', at: now, rating: { total: 30 } });
    const m = await outboxMessage(p.platformId, id, await testHash(`s-${id}`));

    const fetched: string[] = [];
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      fetched.push(new Request(input, init).url);
      return new Response('ok');
    });
    try {
      const batch = createMessageBatch<WebhookMessage>('attune-webhooks', [
        { id: 'msg-0', timestamp: new Date(), attempts: 1, body: m },
      ]);
      await worker.queue(batch as MessageBatch<unknown>, env);
      const result = await getQueueResult(batch, createExecutionContext());
      expect(fetched).toEqual([]);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages).toHaveLength(1);
      expect(await deliveryRecords(m.eventId)).toEqual([{ status: 'retrying', attempts: 1, last_status: null }]);
    } finally {
      spy.mockRestore();
    }
  });
});
