/**
 * From a write to the queue. A rating or pacing write records its events in its own batch (the outbox,
 * webhook_events) and reads back the session's events still unsent; the route then puts one message per event and
 * endpoint on the queue with the refs of the request's token, and marks the events enqueued. When the send fails the
 * answer is 503 (the write stands): the widget retries with the same Idempotency-Key, and the replay finds the events
 * still unsent and sends them, with the refs of the retried request's token. An event is never sent twice by one
 * successful path; two racing retries may both send it, with the same event id (receivers deduplicate by it, and the
 * consumer skips an endpoint that already has it).
 */
import type { Context } from 'hono';
import type { SessionSummary } from '../../schemas/summary.ts';
import type { WebhookEventType } from '../../schemas/webhook.ts';
import { markEnqueued, pendingEventsStatement, type PendingEvent } from '../db/webhook-queries.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import { instrumentVersionFor } from '../admin/platform-settings.ts';
import { canonicalScopeOf } from '../fhir/canonical.ts';
import { buildEventPayload, type EventRefs, type FhirContext } from './event-payload.ts';
import type { WebhookMessage } from './deliver.ts';

export type EventFamily = 'rating.' | 'pacing.';

/** The session's unsent events of one family (put at the end of a write's batch, and in a retry's first batch). */
export function pendingEvents(c: Context<AppEnv>, family: EventFamily) {
  return pendingEventsStatement(c.env.DB, c.var.platform.id, c.var.refs.sid, family);
}

export function pendingFrom(result: D1Result<unknown> | undefined): PendingEvent[] {
  return (result?.results ?? []) as PendingEvent[];
}

interface EndpointChoice {
  id: string;
  fhir: number;
}

/** The raw refs of the request's verified token: only ever in memory and in the queue message. */
function refsOf(c: Context<AppEnv>): EventRefs {
  const { sid, tid, cid } = c.var.claims;
  return { session: sid, therapist: tid, client: cid };
}

/**
 * Sends `pending` (the session's unsent events, from pendingEvents) with the session's current summary (`summaryOf`,
 * called only when something is pending). No I/O when nothing is pending. Throws 503 `events_not_queued` when the
 * queue refuses the messages.
 */
export function sendPendingEvents(
  c: Context<AppEnv>,
  pending: PendingEvent[],
  summaryOf: () => Promise<SessionSummary>,
): Promise<void> {
  const p = send(c, pending, summaryOf);
  // A client that goes away must not cancel the send; the answer still waits for it (503 when it fails).
  try {
    c.executionCtx.waitUntil(p.catch(() => {}));
  } catch {
    // no execution context (a unit test calling app.request without one): the caller's await still runs it
  }
  return p;
}

async function send(
  c: Context<AppEnv>,
  pending: PendingEvent[],
  summaryOf: () => Promise<SessionSummary>,
): Promise<void> {
  if (pending.length === 0) return;
  const summary = await summaryOf();
  const platformId = c.var.platform.id;
  const refs = refsOf(c);
  const settings = c.var.platform.settings;
  const fhir: FhirContext = {
    scope: canonicalScopeOf(c.env, platformId),
    systems: settings.fhir,
    instrument: summary.instrument
      ? instrumentVersionFor(settings, summary.instrument.id, summary.instrument.version)
      : null,
  };
  const messages: MessageSendRequest<WebhookMessage>[] = pending.flatMap((e) =>
    (JSON.parse(e.endpoints) as EndpointChoice[]).map((endpoint) => ({
      contentType: 'json' as const,
      body: {
        platformId,
        endpointId: endpoint.id,
        eventId: e.eventId,
        type: e.type as WebhookEventType,
        body: JSON.stringify(
          buildEventPayload({ id: e.eventId, type: e.type, created: e.createdAt }, platformId, refs, summary, {
            fhir: endpoint.fhir === 1 ? fhir : null,
          }),
        ),
      },
    })),
  );
  try {
    if (!c.env.WEBHOOKS) throw new Error('no WEBHOOKS queue binding');
    if (messages.length > 0) await c.env.WEBHOOKS.sendBatch(messages);
  } catch (err) {
    console.error('webhooks: queue send failed', err instanceof Error ? err.message : String(err));
    throw new ApiFailure(503, 'events_not_queued', 'Stored, but its events could not be queued yet: retry.', {
      'Retry-After': '5',
    });
  }
  try {
    const ids = pending.map((e) => e.eventId);
    await markEnqueued(c.env.DB, platformId, ids, Math.floor(Date.now() / 1000)).run();
  } catch (err) {
    // The messages are on the queue: a retry would send them again with the same ids, which receivers deduplicate.
    console.error('webhooks: marking events enqueued failed', err instanceof Error ? err.message : String(err));
  }
}
