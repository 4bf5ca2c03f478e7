/**
 * D1 statements of the webhooks (migrations 0010, 0011): endpoints, the event outbox and delivery records. No statement
 * here reads or writes a raw ref or a payload.
 */
import type { WebhookDeliveryStatus, WebhookEventType } from '../../schemas/webhook.ts';
import type { SessionKey } from './queries.ts';

export interface EndpointRow {
  id: string;
  url: string;
  events: string;
  fhir: number;
  createdAt: number;
  rotatedAt: number | null;
}

const ENDPOINT_COLUMNS = 'id, url, events, fhir, created_at AS createdAt, rotated_at AS rotatedAt';

/** Endpoints per platform: every write fans out to each, so the queue batch of one write stays small. */
export const MAX_ENDPOINTS = 16;

/**
 * A new endpoint, unless the platform already has MAX_ENDPOINTS (then nothing: `meta.changes` is 0). The count is in
 * the insert itself, so concurrent registrations cannot pass the cap together.
 */
export function insertEndpoint(
  db: D1Database,
  e: {
    id: string;
    platformId: string;
    url: string;
    events: readonly string[];
    fhir: boolean;
    secret: string;
    now: number;
  },
) {
  return db
    .prepare(
      `INSERT INTO webhook_endpoints (id, platform_id, url, events, fhir, secret, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE (SELECT count(*) FROM webhook_endpoints WHERE platform_id = ?2) < ?8`,
    )
    .bind(e.id, e.platformId, e.url, JSON.stringify(e.events), e.fhir ? 1 : 0, e.secret, e.now, MAX_ENDPOINTS);
}

/** The audit line of a registration, written only when the endpoint was (insertEndpoint may find no room). */
export function insertEndpointAudit(db: D1Database, a: { platformId: string; keyId: string; id: string; at: number }) {
  return db
    .prepare(
      `INSERT INTO audit_log (platform_id, key_id, route, params, row_count, at)
       SELECT ?1, ?2, '/v1/webhooks/endpoints', json_object('id', ?3), 1, ?4
        WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE platform_id = ?1 AND id = ?3)`,
    )
    .bind(a.platformId, a.keyId, a.id, a.at);
}

export async function listEndpoints(db: D1Database, platformId: string): Promise<EndpointRow[]> {
  const { results } = await db
    .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE platform_id = ?1 ORDER BY created_at, id`)
    .bind(platformId)
    .all<EndpointRow>();
  return results;
}

export function getEndpoint(db: D1Database, platformId: string, id: string): Promise<EndpointRow | null> {
  return db
    .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE platform_id = ?1 AND id = ?2`)
    .bind(platformId, id)
    .first<EndpointRow>();
}

/** The new sealed secret; the current one becomes the previous, signing beside it until `previousUntil`. */
export function rotateEndpointSecret(
  db: D1Database,
  r: { platformId: string; id: string; secret: string; previousUntil: number; now: number },
) {
  return db
    .prepare(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_until = ?4, secret = ?3, rotated_at = ?5
        WHERE platform_id = ?1 AND id = ?2`,
    )
    .bind(r.platformId, r.id, r.secret, r.previousUntil, r.now);
}

export function deleteEndpoint(db: D1Database, platformId: string, id: string) {
  return db.prepare('DELETE FROM webhook_endpoints WHERE platform_id = ?1 AND id = ?2').bind(platformId, id);
}

// --- the outbox ---

export interface NewEvent {
  id: string;
  type: WebhookEventType;
}

/**
 * Records an event in the write's own batch, after the rating or pacing insert: only when that row now exists with
 * the writer's participants (the write took effect) and an endpoint of the platform takes the type. Otherwise it
 * writes nothing, so a platform without webhooks pays no row.
 */
export function insertEventIfSubscribed(
  db: D1Database,
  s: SessionKey,
  fact: 'ratings' | 'pacing',
  event: NewEvent,
  now: number,
) {
  return db
    .prepare(
      `INSERT INTO webhook_events (platform_id, sid_hash, type, event_id, created_at)
       SELECT ?1, ?2, ?5, ?6, ?7
        WHERE EXISTS (SELECT 1 FROM ${fact} f WHERE f.platform_id = ?1 AND f.sid_hash = ?2 AND f.therapist_hash = ?3 AND f.client_hash = ?4)
          AND EXISTS (SELECT 1 FROM webhook_endpoints e, json_each(e.events) t WHERE e.platform_id = ?1 AND t.value = ?5)`,
    )
    .bind(s.platformId, s.sidHash, s.therapistHash, s.clientHash, event.type, event.id, now);
}

export interface PendingEvent {
  eventId: string;
  type: WebhookEventType;
  createdAt: number;
  /** JSON array of `{ id, fhir }`: the endpoints that take this type. */
  endpoints: string;
}

/**
 * The session's events of these types not yet on the queue, each with the endpoints that take it. At the end of a
 * write's batch it sees the events the batch recorded; on a retry it finds what an earlier attempt left unsent.
 */
export function pendingEventsStatement(
  db: D1Database,
  platformId: string,
  sidHash: string,
  prefix: 'rating.' | 'pacing.',
) {
  return db
    .prepare(
      `SELECT w.event_id AS eventId, w.type AS type, w.created_at AS createdAt,
              (SELECT json_group_array(json_object('id', e.id, 'fhir', e.fhir)) FROM webhook_endpoints e, json_each(e.events) t
                WHERE e.platform_id = w.platform_id AND t.value = w.type) AS endpoints
         FROM webhook_events w
        WHERE w.platform_id = ?1 AND w.sid_hash = ?2 AND w.enqueued_at IS NULL AND substr(w.type, 1, ?4) = ?3`,
    )
    .bind(platformId, sidHash, prefix, prefix.length);
}

export function markEnqueued(db: D1Database, platformId: string, eventIds: readonly string[], now: number) {
  return db
    .prepare(
      'UPDATE webhook_events SET enqueued_at = ?2 WHERE platform_id = ?1 AND event_id IN (SELECT value FROM json_each(?3)) AND enqueued_at IS NULL',
    )
    .bind(platformId, now, JSON.stringify(eventIds));
}

// --- deliveries (the queue consumer) ---

export interface DeliveryTarget {
  url: string;
  secret: string;
  previousSecret: string | null;
  previousUntil: number | null;
  /** 'delivered' when an earlier message of the same event already reached this endpoint. */
  status: string | null;
  /** The event's outbox row still exists (it goes with its session: erasure, retention). */
  eventKept: number;
}

/**
 * The endpoint a message is for, with the delivery's status so far and whether its event is still kept; null when
 * the endpoint was deleted.
 */
export function deliveryTarget(db: D1Database, endpointId: string, eventId: string): Promise<DeliveryTarget | null> {
  return db
    .prepare(
      `SELECT e.url AS url, e.secret AS secret, e.previous_secret AS previousSecret, e.previous_until AS previousUntil,
              d.status AS status,
              EXISTS (SELECT 1 FROM webhook_events w WHERE w.event_id = ?2 AND w.platform_id = e.platform_id) AS eventKept
         FROM webhook_endpoints e LEFT JOIN webhook_deliveries d ON d.event_id = ?2 AND d.endpoint_id = e.id
        WHERE e.id = ?1`,
    )
    .bind(endpointId, eventId)
    .first<DeliveryTarget>();
}

/**
 * Records an attempt; a delivery once delivered stays delivered (a late duplicate cannot undo it), and a delivery
 * clears the dead state.
 */
export function recordDelivery(
  db: D1Database,
  d: {
    eventId: string;
    endpointId: string;
    platformId: string;
    type: string;
    status: 'retrying' | 'delivered' | 'failed';
    attempts: number;
    lastStatus: number | null;
    now: number;
  },
) {
  return db
    .prepare(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, platform_id, type, status, attempts, last_status, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (event_id, endpoint_id) DO UPDATE SET
         status = CASE WHEN webhook_deliveries.status = 'delivered' THEN 'delivered' ELSE excluded.status END,
         attempts = max(webhook_deliveries.attempts, excluded.attempts),
         last_status = excluded.last_status,
         updated_at = excluded.updated_at,
         dead_at = CASE WHEN excluded.status = 'delivered' THEN NULL ELSE webhook_deliveries.dead_at END`,
    )
    .bind(d.eventId, d.endpointId, d.platformId, d.type, d.status, d.attempts, d.lastStatus, d.now);
}

export interface DeliveryRow {
  eventId: string;
  endpointId: string;
  type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  updatedAt: number;
  deadAt: number | null;
}

export async function recentDeliveries(
  db: D1Database,
  platformId: string,
  limit: number,
  status: WebhookDeliveryStatus | null = null,
): Promise<DeliveryRow[]> {
  // Two statements rather than `(?3 IS NULL OR status = ?3)`, which no index serves: with a status, the dead ones
  // are read from webhook_deliveries_status (0017) however many newer deliveries there are.
  const where = status === null ? 'platform_id = ?1' : 'platform_id = ?1 AND status = ?3';
  const { results } = await db
    .prepare(
      `SELECT event_id AS eventId, endpoint_id AS endpointId, type, status, attempts, last_status AS lastStatus,
              updated_at AS updatedAt, dead_at AS deadAt
         FROM webhook_deliveries WHERE ${where} ORDER BY updated_at DESC, event_id LIMIT ?2`,
    )
    .bind(...(status === null ? [platformId, limit] : [platformId, limit, status]))
    .all<DeliveryRow>();
  return results;
}

/** A delivery whose event went with its session: its row goes too (it would show as retrying until the cleanup). */
export function deleteDelivery(db: D1Database, eventId: string, endpointId: string) {
  return db
    .prepare('DELETE FROM webhook_deliveries WHERE event_id = ?1 AND endpoint_id = ?2')
    .bind(eventId, endpointId);
}

export function deleteDeliveriesBefore(db: D1Database, before: number) {
  return db.prepare('DELETE FROM webhook_deliveries WHERE updated_at < ?1').bind(before);
}

// --- dead letters (the dead-letter queue's consumer, the admin's replay) ---

/**
 * Records a delivery as dead when its message reaches the dead-letter queue: once (a redelivered dead letter finds
 * it dead, or replaying, and changes nothing), never over a delivery that succeeded meanwhile. Without a record (the
 * last attempt could not write one) it inserts one. Returns a row only when this call recorded the death.
 */
export function markDead(
  db: D1Database,
  d: { eventId: string; endpointId: string; platformId: string; type: string; attempts: number; now: number },
) {
  return db
    .prepare(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, platform_id, type, status, attempts, last_status, updated_at, dead_at)
       VALUES (?1, ?2, ?3, ?4, 'dead', ?5, NULL, ?6, ?6)
       ON CONFLICT (event_id, endpoint_id) DO UPDATE SET
         status = 'dead', attempts = max(webhook_deliveries.attempts, excluded.attempts),
         updated_at = excluded.updated_at, dead_at = excluded.dead_at
       WHERE webhook_deliveries.status NOT IN ('dead', 'replaying', 'delivered')
       RETURNING dead_at AS deadAt`,
    )
    .bind(d.eventId, d.endpointId, d.platformId, d.type, d.attempts, d.now);
}

export interface DeadLetterState {
  status: WebhookDeliveryStatus | null;
  /** The event's outbox row still exists (it goes with its session: erasure, retention). */
  eventKept: number;
  endpointKept: number;
}

/** What a parked dead letter needs to know: is it still dead, replay asked, or gone (erased, expired, deleted)? */
export function deadLetterState(db: D1Database, eventId: string, endpointId: string): Promise<DeadLetterState | null> {
  return db
    .prepare(
      `SELECT d.status AS status,
              EXISTS (SELECT 1 FROM webhook_events w WHERE w.event_id = ?1) AS eventKept,
              EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = ?2) AS endpointKept
         FROM (SELECT 1) LEFT JOIN webhook_deliveries d ON d.event_id = ?1 AND d.endpoint_id = ?2`,
    )
    .bind(eventId, endpointId)
    .first<DeadLetterState>();
}

/** The admin's replay: a dead delivery of the platform becomes 'replaying'. Returns a row only when it was dead. */
export function requestReplay(db: D1Database, platformId: string, eventId: string, endpointId: string, now: number) {
  return db
    .prepare(
      `UPDATE webhook_deliveries SET status = 'replaying', updated_at = ?4
        WHERE platform_id = ?1 AND event_id = ?2 AND endpoint_id = ?3 AND status = 'dead'
       RETURNING status`,
    )
    .bind(platformId, eventId, endpointId, now);
}

/** The audit line of a replay, written only when the delivery is dead (a refused replay changes nothing). */
export function insertReplayAudit(
  db: D1Database,
  a: { platformId: string; keyId: string; eventId: string; endpointId: string; at: number },
) {
  return db
    .prepare(
      `INSERT INTO audit_log (platform_id, key_id, route, params, row_count, at)
       SELECT ?1, ?2, '/v1/webhooks/deliveries/replay', json_object('id', ?3), 1, ?5
        WHERE EXISTS (SELECT 1 FROM webhook_deliveries
                       WHERE platform_id = ?1 AND event_id = ?3 AND endpoint_id = ?4 AND status = 'dead')`,
    )
    .bind(a.platformId, a.keyId, a.eventId, a.endpointId, a.at);
}

export function deliveryStatus(
  db: D1Database,
  platformId: string,
  eventId: string,
  endpointId: string,
): Promise<{ status: WebhookDeliveryStatus } | null> {
  return db
    .prepare('SELECT status FROM webhook_deliveries WHERE platform_id = ?1 AND event_id = ?2 AND endpoint_id = ?3')
    .bind(platformId, eventId, endpointId)
    .first<{ status: WebhookDeliveryStatus }>();
}

/**
 * A parked dead letter takes a requested replay: 'replaying' becomes 'retrying' for exactly one caller (two parked
 * copies of one message cannot both put it back on the queue). `back` undoes it when the queue refused the message.
 */
export function claimReplay(db: D1Database, eventId: string, endpointId: string, now: number, back = false) {
  const [from, to] = back ? ['retrying', 'replaying'] : ['replaying', 'retrying'];
  return db
    .prepare(
      `UPDATE webhook_deliveries SET status = ?4, updated_at = ?3
        WHERE event_id = ?1 AND endpoint_id = ?2 AND status = ?5
       RETURNING status`,
    )
    .bind(eventId, endpointId, now, to, from);
}
