import * as v from 'valibot';
import { FhirQuestionnaireResponse } from './fhir.ts';
import { SessionSummary } from './summary.ts';

/** What a webhook endpoint can be sent. */
export const WEBHOOK_EVENT_TYPES = ['rating.created', 'rating.flagged', 'rating.declined', 'pacing.recorded'] as const;
export const WebhookEventType = v.picklist(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = v.InferOutput<typeof WebhookEventType>;

/** `we_` and 16 hex characters, issued by Attune. */
export const WebhookEndpointId = v.pipe(v.string(), v.regex(/^we_[0-9a-f]{16}$/, 'an endpoint id (we_…)'));

/** An endpoint URL: https (checked further by the Worker: no credentials, no fragment, a public host name). */
export const WebhookUrl = v.pipe(v.string(), v.minLength(9), v.maxLength(2048));

/** `POST /v1/webhooks/endpoints`: register an endpoint. */
export const WebhookEndpointCreate = v.strictObject({
  url: WebhookUrl,
  events: v.pipe(v.array(WebhookEventType), v.minLength(1), v.maxLength(WEBHOOK_EVENT_TYPES.length)),
  /** Ask for a FHIR payload beside the summary (once the FHIR export ships; stored now). */
  fhir: v.optional(v.boolean()),
});
export type WebhookEndpointCreate = v.InferOutput<typeof WebhookEndpointCreate>;

/** An endpoint as listed (never its secret). */
export const WebhookEndpoint = v.object({
  id: WebhookEndpointId,
  url: v.string(),
  events: v.array(WebhookEventType),
  fhir: v.boolean(),
  createdAt: v.number(),
  rotatedAt: v.nullable(v.number()),
});
export type WebhookEndpoint = v.InferOutput<typeof WebhookEndpoint>;

/** The signing secret, shown once: at registration and at each rotation. */
export const WebhookSecret = v.pipe(v.string(), v.regex(/^whsec_[A-Za-z0-9_-]{43}$/));

export const WebhookEndpointCreated = v.object({ ...WebhookEndpoint.entries, secret: WebhookSecret });
export type WebhookEndpointCreated = v.InferOutput<typeof WebhookEndpointCreated>;

export const WebhookEndpointList = v.object({ endpoints: v.array(WebhookEndpoint) });

/** `POST /v1/webhooks/endpoints/rotate` and `/delete`: the endpoint, in the body. */
export const WebhookEndpointRef = v.strictObject({ id: WebhookEndpointId });

/** Answer of a rotation: the new secret, once; the previous one keeps signing until `previousUntil`. */
export const WebhookRotated = v.object({ id: WebhookEndpointId, secret: WebhookSecret, previousUntil: v.number() });

export const WebhookDeleted = v.object({ id: WebhookEndpointId, deleted: v.boolean() });

/** `evt_` and 24 hex characters: the same in every delivery and redelivery of one event. */
export const WebhookEventId = v.pipe(v.string(), v.regex(/^evt_[0-9a-f]{24}$/, 'an event id (evt_…)'));

/**
 * A delivery's state: `retrying`; `delivered`; `failed` (the last attempt failed; the message is on its way to the
 * dead-letter queue); `dead` (in the dead-letter queue, replayable since `deadAt`); `replaying` (a replay was asked:
 * the delivery is queued again within 15 minutes and then `retrying`).
 */
export const WebhookDeliveryStatus = v.picklist(['retrying', 'delivered', 'failed', 'dead', 'replaying']);
export type WebhookDeliveryStatus = v.InferOutput<typeof WebhookDeliveryStatus>;

/** One delivery of one event to one endpoint (`GET /v1/webhooks/deliveries`): no payload, no ref. */
export const WebhookDelivery = v.object({
  eventId: v.string(),
  endpointId: v.string(),
  type: WebhookEventType,
  status: WebhookDeliveryStatus,
  attempts: v.number(),
  lastStatus: v.nullable(v.number()),
  updatedAt: v.number(),
  /** When it was recorded dead; null once delivered, and for a delivery that never died. */
  deadAt: v.nullable(v.number()),
});
export const WebhookDeliveryList = v.object({ deliveries: v.array(WebhookDelivery) });

/** `GET /v1/webhooks/deliveries?status=dead`: only the deliveries in that state (the dead ones, to replay them). */
export const WebhookDeliveryQuery = v.object({ status: v.optional(WebhookDeliveryStatus) });

/** `POST /v1/webhooks/deliveries/replay`: the dead delivery, in the body. */
export const WebhookDeliveryRef = v.strictObject({ eventId: WebhookEventId, endpointId: WebhookEndpointId });
export type WebhookDeliveryRef = v.InferOutput<typeof WebhookDeliveryRef>;

/** Answer of a replay: the delivery is `replaying`. */
export const WebhookReplayed = v.object({
  eventId: WebhookEventId,
  endpointId: WebhookEndpointId,
  status: v.literal('replaying'),
});
export type WebhookReplayed = v.InferOutput<typeof WebhookReplayed>;

/**
 * The body of every delivery. `id` (evt_…) is the same in every redelivery of the event: receivers deduplicate by
 * it. `data.session`, `data.therapist` and `data.client` are the platform's own refs, taken from the token of the
 * request that caused the event (Attune never stores them).
 */
export const WebhookEvent = v.object({
  id: WebhookEventId,
  type: WebhookEventType,
  /** Epoch seconds when the event happened (the write committed). */
  created: v.number(),
  platform: v.string(),
  data: v.object({
    session: v.string(),
    therapist: v.string(),
    client: v.string(),
    summary: SessionSummary,
    /** Rating events to an endpoint registered with `fhir: true`: the rating as a FHIR R4 QuestionnaireResponse. */
    fhir: v.optional(FhirQuestionnaireResponse),
  }),
});
export type WebhookEvent = v.InferOutput<typeof WebhookEvent>;
