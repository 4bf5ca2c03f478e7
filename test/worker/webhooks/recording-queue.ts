// A producer binding that records the webhook messages a write queues, and a rating or pacing write through the
// Worker with it (and, optionally, another D1 binding: a counting one, test/worker/d1-counter.ts).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { WebhookEvent } from '../../../sdk/server.ts';
import worker from '../../../worker/index.ts';
import type { WebhookMessage } from '../../../worker/webhooks/deliver.ts';
import { sessionPath } from '../helpers.ts';

/** A producer binding that records what it is given (or refuses it) instead of queueing it. */
export function recordingQueue(refuse = false) {
  const sent: WebhookMessage[] = [];
  const queue = {
    send: () => Promise.reject(new Error('not used')),
    sendBatch: async (messages: Iterable<MessageSendRequest<WebhookMessage>>) => {
      if (refuse) throw new Error('Queue send failed: internal error');
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue<WebhookMessage>;
  return { queue, sent, events: () => sent.map((m) => JSON.parse(m.body) as WebhookEvent) };
}

export async function write(
  what: 'rating' | 'pacing',
  token: string,
  body: unknown,
  queue: Queue<WebhookMessage>,
  key: string = crypto.randomUUID(),
  db: D1Database = env.DB,
) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.attune.test${sessionPath(what)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
    }),
    { ...env, WEBHOOKS: queue, DB: db },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
