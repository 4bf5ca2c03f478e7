-- Issue 13, point 2: webhooks through Cloudflare Queues. No table here holds a raw ref or an event's payload: the
-- refs an event carries come from the verified token of the request that caused it, straight into the queue message.

-- A platform's HTTPS endpoints. `secret` is the signing secret (whsec_…) sealed with AES-256-GCM under a key derived
-- (HKDF) from the Worker secret REF_HASH_SECRET, the endpoint id as associated data (worker/webhooks/secret-box.ts):
-- HMAC signing needs the secret itself, so it cannot be stored as a hash like an admin key; sealed, a copy of the
-- database alone cannot sign. After a rotation the previous secret keeps signing beside the new one until
-- `previous_until` (24 h), so a receiver can roll over without dropping deliveries.
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  -- JSON array of the event types sent here, e.g. ["rating.created","rating.flagged"].
  events TEXT NOT NULL CHECK (json_valid(events) AND json_array_length(events) > 0),
  -- The endpoint asked for a FHIR payload beside the summary (built by the FHIR work of issue 13, point 3).
  fhir INTEGER NOT NULL DEFAULT 0 CHECK (fhir IN (0, 1)),
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_until INTEGER,
  created_at INTEGER NOT NULL,
  rotated_at INTEGER
);
CREATE INDEX webhook_endpoints_platform ON webhook_endpoints (platform_id);

-- The outbox: one row per event a write caused, inserted in the write's own batch (so an event exists exactly when
-- its rating or pacing does, at most one per session and type), only when an endpoint of the platform takes that
-- type. `enqueued_at` is set once the event's messages are on the queue; a retried request finds a row still NULL
-- and sends it then (the retry carries the token, so the refs are at hand again). The id is the event's id in every
-- delivery and redelivery. Goes with its session (erasure, retention).
CREATE TABLE webhook_events (
  platform_id TEXT NOT NULL,
  sid_hash TEXT NOT NULL,
  type TEXT NOT NULL,
  event_id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  enqueued_at INTEGER,
  PRIMARY KEY (platform_id, sid_hash, type),
  FOREIGN KEY (platform_id, sid_hash) REFERENCES sessions(platform_id, sid_hash) ON DELETE CASCADE
) WITHOUT ROWID;

-- One row per event and endpoint, written by the queue consumer at each attempt: status, attempts, the receiver's
-- last HTTP status (NULL for a network error or a timeout). No payload, no ref, no session hash.
CREATE TABLE webhook_deliveries (
  event_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  platform_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('retrying', 'delivered', 'failed')),
  attempts INTEGER NOT NULL,
  last_status INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (event_id, endpoint_id)
) WITHOUT ROWID;
CREATE INDEX webhook_deliveries_platform ON webhook_deliveries (platform_id, updated_at);
