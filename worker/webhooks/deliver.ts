/**
 * The queue consumer: one message per event and endpoint. Each delivery is a signed POST with a timeout; a 2xx
 * acknowledges the message; any other answer, a network error or a timeout retries it with exponential backoff.
 * After WEBHOOK_MAX_ATTEMPTS the delivery is recorded as failed and the retry moves the message to the dead-letter
 * queue (wrangler.toml), whose consumer records it as dead and keeps it for a replay (dead-letters.ts). Each attempt is recorded in webhook_deliveries (status, attempts, last HTTP status).
 * A message whose event went with its session (the client erased, or retention) is acknowledged unsent, like one
 * whose endpoint was deleted: a retry must not send an erased client's rating after the erasure.
 */
import * as v from 'valibot';
import { WebhookEventType } from '../../schemas/webhook.ts';
import { SIGNATURE_HEADER, signatureHeader } from '../../sdk/webhook-signature.ts';
import { deleteDelivery, deliveryTarget, recordDelivery } from '../db/webhook-queries.ts';
import type { Bindings } from '../env.ts';
import { checkEndpointUrl } from './endpoint-url.ts';
import { openSecret } from './secret-box.ts';

/** A queue message: routing, and the event's body exactly as it is signed and sent. */
export const Message = v.object({
  platformId: v.string(),
  endpointId: v.string(),
  eventId: v.string(),
  type: WebhookEventType,
  body: v.string(),
});
export type WebhookMessage = v.InferOutput<typeof Message>;

/** wrangler.toml `max_retries` (10) + 1: the last attempt records the failure before the message goes to the DLQ. */
export const WEBHOOK_MAX_ATTEMPTS = 11;
/** First retry after this many seconds, doubling each time (30 s … 4.3 h; about 8.5 h in all). */
export const RETRY_BASE_SECONDS = 30;
/** Queues accepts at most 12 h of delay. */
export const MAX_RETRY_DELAY_SECONDS = 12 * 3600;
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Delay before the next attempt after `attempts` failed ones: base·2^(attempts−1), at most 12 h. */
export function backoffSeconds(attempts: number, base = RETRY_BASE_SECONDS): number {
  return Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_SECONDS);
}

function retryBase(env: Bindings): number {
  const raw = env.WEBHOOK_RETRY_BASE_SECONDS;
  const n = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : RETRY_BASE_SECONDS;
}

/** Delivers every message of the batch at once; each is acknowledged or retried on its own. */
export async function deliverBatch(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  await Promise.all(batch.messages.map((m) => deliverOne(m, env)));
}

async function deliverOne(message: Message<unknown>, env: Bindings): Promise<void> {
  const parsed = v.safeParse(Message, message.body);
  if (!parsed.success) {
    console.error('webhooks: dropped a message that is not a webhook delivery');
    message.ack();
    return;
  }
  const m = parsed.output;
  const delaySeconds = backoffSeconds(message.attempts, retryBase(env));
  const now = Math.floor(Date.now() / 1000);
  let lastStatus: number | null = null;
  let delivered = false;
  try {
    const target = await deliveryTarget(env.DB, m.endpointId, m.eventId);
    if (!target) {
      message.ack(); // the endpoint was deleted
      return;
    }
    if (!target.eventKept) {
      // The event went with its session (the client erased, or retention): nothing of it leaves any more, and its
      // delivery row goes as well rather than stay 'retrying' in the admin's list.
      await deleteDelivery(env.DB, m.eventId, m.endpointId).run();
      message.ack();
      return;
    }
    if (target.status === 'delivered') {
      message.ack(); // a second message of the same event (a retried request queued it again)
      return;
    }
    // Checked again at each delivery: a URL stored before the rules tightened (or by hand) is never fetched.
    if (!checkEndpointUrl(target.url, { allowLocalHttp: env.DEV_MODE === '1' }))
      throw Object.assign(new Error('the endpoint URL is not one registration accepts'), {
        name: 'EndpointUrlRefused',
      });
    const secrets = [await openSecret(env.REF_HASH_SECRET, m.endpointId, target.secret)];
    if (target.previousSecret && (target.previousUntil ?? 0) > now)
      secrets.push(await openSecret(env.REF_HASH_SECRET, m.endpointId, target.previousSecret));
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Attune-Webhooks/1',
        [SIGNATURE_HEADER]: await signatureHeader(secrets, now, m.body),
      },
      body: m.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    lastStatus = res.status;
    delivered = res.status >= 200 && res.status < 300;
    await res.body?.cancel();
  } catch (err) {
    // A network error, a timeout, or D1 unavailable: retried like a refusal.
    console.error('webhooks: delivery attempt failed', err instanceof Error ? err.name : 'error');
  }
  const status = delivered ? 'delivered' : message.attempts >= WEBHOOK_MAX_ATTEMPTS ? 'failed' : 'retrying';
  try {
    await recordDelivery(env.DB, {
      eventId: m.eventId,
      endpointId: m.endpointId,
      platformId: m.platformId,
      type: m.type,
      status,
      attempts: message.attempts,
      lastStatus,
      now,
    }).run();
  } catch (err) {
    console.error('webhooks: recording a delivery failed', err instanceof Error ? err.message : String(err));
  }
  if (delivered) message.ack();
  else message.retry({ delaySeconds });
}
