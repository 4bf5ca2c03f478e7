-- Stored responses for Idempotency-Key retries. `scope` names the route and the hashed session
-- (e.g. 'rating:<sid_hash>'), never the raw path. request_hash is SHA-256 over scope and body.
CREATE TABLE idempotency (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  idem_key TEXT NOT NULL,
  scope TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, idem_key)
) WITHOUT ROWID;
CREATE INDEX idempotency_created ON idempotency (created_at);
