import type { FhirSettings } from '../../schemas/fhir.ts';
import type { Instrument } from '../../schemas/instrument.ts';
import type { SessionSummary } from '../../schemas/summary.ts';
import type { WebhookEvent, WebhookEventType } from '../../schemas/webhook.ts';
import { randomId } from '../../sdk/keys.ts';
import type { CanonicalScope } from '../fhir/canonical.ts';
import { identifiersOf, questionnaireResponseOf, storedRatingOf } from '../fhir/questionnaire-response.ts';

/** The platform's own refs, from the verified token of the request that caused the event; never stored. */
export interface EventRefs {
  session: string;
  therapist: string;
  client: string;
}

/** What a FHIR payload needs: the canonical scope, the platform's identifier systems, and the rating's instrument. */
export interface FhirContext {
  scope: CanonicalScope;
  systems: FhirSettings | undefined;
  /** The rating's instrument version, from the platform's settings (null when the platform no longer keeps it). */
  instrument: Instrument | null;
}

/** What the endpoint asked for at registration: a FHIR QuestionnaireResponse beside the summary, or not (null). */
export interface PayloadOptions {
  fhir: FhirContext | null;
}

/** The rating as a QuestionnaireResponse, for rating events of a rated or declined session; otherwise nothing. */
function fhirOf(type: WebhookEventType, refs: EventRefs, summary: SessionSummary, ctx: FhirContext | null) {
  if (!ctx?.instrument || !type.startsWith('rating.')) return undefined;
  const rating = storedRatingOf(summary);
  if (!rating) return undefined;
  return questionnaireResponseOf({
    instrument: ctx.instrument,
    scope: ctx.scope,
    rating,
    ...identifiersOf(refs, ctx.systems),
  });
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
  options: PayloadOptions,
): WebhookEvent {
  const fhir = fhirOf(event.type, refs, summary, options.fhir);
  return {
    id: event.id,
    type: event.type,
    created: event.created,
    platform: platformId,
    data: { session: refs.session, therapist: refs.therapist, client: refs.client, summary, ...(fhir ? { fhir } : {}) },
  };
}

/** `evt_` and 12 random bytes in hex. */
export const newEventId = (): string => randomId('evt_', 12);
