/**
 * The consumer of the dead-letter queue attune-webhooks-dlq: deliveries whose retries ran out. Each is recorded as
 * dead in D1 (once; status, time, attempts) so the platform admin sees it in GET /v1/webhooks/deliveries and can
 * replay it. The message itself holds the payload and the raw refs, which D1 never keeps, so it stays in this queue:
 * parked, it comes back every PARK_SECONDS; when the admin asked for a replay it goes back on attune-webhooks, and
 * it is dropped once the delivery succeeded by another message, its session was erased or expired (the event's
 * outbox row is gone), its endpoint was deleted or its record expired (30 days, the daily cron).
 */
import * as v from 'valibot';
import { claimReplay, deadLetterState, markDead, type DeadLetterState } from '../db/webhook-queries.ts';
import type { Bindings } from '../env.ts';
import { Message, WEBHOOK_MAX_ATTEMPTS, type WebhookMessage } from './deliver.ts';

export const DEAD_LETTER_QUEUE = 'attune-webhooks-dlq';
/** How often a parked dead letter looks for a replay request: the most a replay waits before it is queued. */
export const PARK_SECONDS = 15 * 60;

/** A dead letter this consumer parked: the original message and when it was parked. */
const Parked = v.object({ ...Message.entries, parkedAt: v.number() });
export type ParkedMessage = v.InferOutput<typeof Parked>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

function messageOf(p: ParkedMessage): WebhookMessage {
  const { parkedAt: _, ...m } = p;
  return m;
}

async function park(env: Bindings, m: WebhookMessage, now: number): Promise<void> {
  if (!env.WEBHOOKS_DLQ) throw new Error('no WEBHOOKS_DLQ queue binding');
  await env.WEBHOOKS_DLQ.send({ ...m, parkedAt: now }, { contentType: 'json', delaySeconds: PARK_SECONDS });
}

/** Neither the event (erased, expired) nor the endpoint (deleted) is gone. */
function stillWanted(state: DeadLetterState | null): boolean {
  return Boolean(state?.eventKept && state.endpointKept);
}

/** A message fresh from attune-webhooks: record the death once, park it, acknowledge. */
async function arrive(message: Message<unknown>, m: WebhookMessage, env: Bindings, now: number): Promise<void> {
  if (!stillWanted(await deadLetterState(env.DB, m.eventId, m.endpointId))) {
    message.ack();
    return;
  }
  const recorded = await markDead(env.DB, {
    eventId: m.eventId,
    endpointId: m.endpointId,
    platformId: m.platformId,
    type: m.type,
    attempts: WEBHOOK_MAX_ATTEMPTS,
    now,
  }).first();
  // A redelivered dead letter (already recorded) is dropped, unless an earlier try of this very message may have
  // recorded the death and then failed to park it.
  if (recorded || message.attempts > 1) await park(env, m, now);
  message.ack();
}

/** A parked dead letter coming back: queue it again when a replay was asked, park it again while dead, else drop. */
async function comeBack(message: Message<unknown>, p: ParkedMessage, env: Bindings, now: number): Promise<void> {
  const m = messageOf(p);
  const state = await deadLetterState(env.DB, m.eventId, m.endpointId);
  if (!state || !stillWanted(state)) {
    message.ack();
    return;
  }
  if (state.status === 'dead') {
    await park(env, m, p.parkedAt);
  } else if (state.status === 'replaying' && (await claimReplay(env.DB, m.eventId, m.endpointId, now).first())) {
    try {
      if (!env.WEBHOOKS) throw new Error('no WEBHOOKS queue binding');
      await env.WEBHOOKS.send(m, { contentType: 'json' });
    } catch (err) {
      await claimReplay(env.DB, m.eventId, m.endpointId, now, true).run();
      throw err;
    }
  }
  // Anything else (delivered, or a live message of the event is being retried): this copy is no longer needed.
  message.ack();
}

/** Each dead letter on its own: a failure (D1 or the queue unavailable) retries that message alone. */
export async function deadLetterBatch(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const now = nowSeconds();
      try {
        const parked = v.safeParse(Parked, message.body);
        if (parked.success) return await comeBack(message, parked.output, env, now);
        const fresh = v.safeParse(Message, message.body);
        if (fresh.success) return await arrive(message, fresh.output, env, now);
        console.error('webhooks: dropped a dead letter that is not a webhook delivery');
        message.ack();
      } catch (err) {
        console.error('webhooks: handling a dead letter failed', err instanceof Error ? err.message : String(err));
        message.retry();
      }
    }),
  );
}
