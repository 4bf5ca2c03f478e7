import type { SessionSummary } from '../../schemas/summary.ts';
import type { WebhookEvent, WebhookEventType } from '../../schemas/webhook.ts';

/** The platform's own refs, from the verified token of the request that caused the event; never stored. */
export interface EventRefs {
  session: string;
  therapist: string;
  client: string;
}

/** What the endpoint asked for at registration. */
export interface PayloadOptions {
  /** A FHIR payload beside the summary (issue 13, point 3 adds it here: this function is the one place). */
  fhir: boolean;
}

/**
 * The one place an event's body is built: id, type, time, platform, the refs and the session summary. Everything a
 * delivery carries comes from here (the queue message holds this body, serialised once, exactly as it is signed).
 */
export function buildEventPayload(
  event: { id: string; type: WebhookEventType; created: number },
  platformId: string,
  refs: EventRefs,
  summary: SessionSummary,
  _options: PayloadOptions,
): WebhookEvent {
  return {
    id: event.id,
    type: event.type,
    created: event.created,
    platform: platformId,
    data: { session: refs.session, therapist: refs.therapist, client: refs.client, summary },
  };
}

/** `evt_` and 12 random bytes in hex. */
export function newEventId(): string {
  return `evt_${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
