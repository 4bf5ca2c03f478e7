-- Dead webhook deliveries (worker/webhooks/dead-letters.ts). A delivery whose retries ran out reaches the
-- dead-letter queue attune-webhooks-dlq; its consumer records it here as 'dead' (once, with the time: `dead_at`) and
-- keeps the message itself parked in that queue, since D1 never holds a payload or a ref. A platform admin's replay
-- (POST /v1/webhooks/deliveries/replay) sets 'replaying'; the parked message is then put back on attune-webhooks and
-- the status returns to 'retrying'. A later successful delivery clears `dead_at`.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same columns plus `dead_at`.
CREATE TABLE webhook_deliveries_new (
  event_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  platform_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('retrying', 'delivered', 'failed', 'dead', 'replaying')),
  attempts INTEGER NOT NULL,
  last_status INTEGER,
  updated_at INTEGER NOT NULL,
  dead_at INTEGER,
  PRIMARY KEY (event_id, endpoint_id)
) WITHOUT ROWID;
INSERT INTO webhook_deliveries_new (event_id, endpoint_id, platform_id, type, status, attempts, last_status, updated_at)
  SELECT event_id, endpoint_id, platform_id, type, status, attempts, last_status, updated_at FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_new RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_platform ON webhook_deliveries (platform_id, updated_at);
