// An event in the webhook outbox and its queue message, as the Worker queues one (for the consumer tests, which run
// the message by hand). The event's row belongs to a session and goes with it (erasure, retention).
import { env } from 'cloudflare:workers';
import type { WebhookMessage } from '../../../worker/webhooks/deliver.ts';
import { newEventId } from '../../../worker/webhooks/event-payload.ts';

/** Records a rating.created event of the session `sidHash` in the outbox and returns its message for `endpointId`. */
export async function outboxMessage(
  platformId: string,
  endpointId: string,
  sidHash: string,
  eventId = newEventId(),
): Promise<WebhookMessage> {
  const now = Math.floor(Date.now() / 1000);
  await env.DB.prepare(
    `INSERT INTO webhook_events (platform_id, sid_hash, type, event_id, created_at, enqueued_at)
     VALUES (?1, ?2, 'rating.created', ?3, ?4, ?4)`,
  )
    .bind(platformId, sidHash, eventId, now)
    .run();
  const body = JSON.stringify({ id: eventId, type: 'rating.created', created: now, platform: platformId, data: {} });
  return { platformId, endpointId, eventId, type: 'rating.created', body };
}
