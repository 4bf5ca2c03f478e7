-- Security and privacy: erasure tombstones, idempotency keys per session, reports of frozen closed weeks, and
-- near-repeat report reads.

-- 1. Erasure tombstones: an erasure records (platform, tombstone, erased_at) in its own batch, and writes for that
-- client from tokens issued (iat) at or before erased_at are refused (410 client_erased), so a rating still queued
-- in the client's browser cannot bring the data back. `tombstone` is SHA-256 of the client's keyed hash (never the
-- raw ref, and not the hash itself, so nothing left in D1 joins to the erased rows). Kept only as long as a token
-- issued before the erasure can still be accepted (24 h lifetime + 7 days offline grace; retention deletes older).
CREATE TABLE erased_clients (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  tombstone TEXT NOT NULL,
  erased_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, tombstone)
) WITHOUT ROWID;
CREATE INDEX erased_clients_at ON erased_clients (erased_at);

-- 2. Idempotency keys are unique per session, not per platform: a key reused in another session is another
-- request. sid_hash is the session part of scope ('rating:<sid_hash>', 'pacing:<sid_hash>'). Rebuilt because
-- SQLite cannot change a primary key; every stored record is kept.
CREATE TABLE idempotency_per_session (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  idem_key TEXT NOT NULL,
  scope TEXT NOT NULL,
  sid_hash TEXT NOT NULL GENERATED ALWAYS AS (substr(scope, instr(scope, ':') + 1)) VIRTUAL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO idempotency_per_session (platform_id, idem_key, scope, request_hash, status, body, created_at)
  SELECT platform_id, idem_key, scope, request_hash, status, body, created_at FROM idempotency;
DROP TABLE idempotency;
ALTER TABLE idempotency_per_session RENAME TO idempotency;
CREATE UNIQUE INDEX idempotency_session_key ON idempotency (platform_id, sid_hash, idem_key);
CREATE INDEX idempotency_created ON idempotency (created_at);
CREATE INDEX idempotency_scope ON idempotency (platform_id, scope);

-- 3. Reports publish only closed ISO weeks, frozen at their first publication: a late fact or an erasure in a
-- closed week never changes what was published, so two reads cannot be subtracted to reveal one session.
-- `week` is the ISO week index (day + 3) / 7 (week w starts on day 7w - 3, a Monday).
CREATE TABLE published_weeks (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  week INTEGER NOT NULL,
  -- Distinct clients behind the week's rated sessions and behind its sessions with a talk share.
  rated_clients INTEGER NOT NULL,
  share_clients INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, week)
) WITHOUT ROWID;

-- One therapist's week, as the rollups had it when the week was frozen, with its distinct clients.
CREATE TABLE published_cells (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  week INTEGER NOT NULL,
  therapist_hash TEXT NOT NULL,
  asked INTEGER NOT NULL,
  rated INTEGER NOT NULL,
  declined INTEGER NOT NULL,
  total_sum INTEGER NOT NULL,
  flagged INTEGER NOT NULL,
  share_sum INTEGER NOT NULL,
  share_n INTEGER NOT NULL,
  rated_clients INTEGER NOT NULL,
  share_clients INTEGER NOT NULL,
  PRIMARY KEY (platform_id, week, therapist_hash)
) WITHOUT ROWID;

-- 4. A report read that nearly repeats an earlier one (same route, both ends within a week, within 7 days) points
-- at the latest such read: the pattern a differencing attempt leaves.
ALTER TABLE audit_log ADD COLUMN near_repeat_of INTEGER;
