-- Per-therapist-per-day rollups kept in step by triggers (so every write, erasure and retention
-- delete updates them in the same statement, hence the same D1 batch and transaction: they cannot drift),
-- the "asked" mark for feedback fatigue, admin credentials and the admin audit log.
--
-- A session counts on the UTC day it was first recorded (sessions.created_at / 86400), whichever of its
-- facts (asked, rating, decline, pacing) arrives when. Sums are integers so decrements are exact:
-- totals in hundredths, the therapist's talk share in millionths (worker/db/rollup-units.ts holds these factors and
-- the SQL expressions below; test/worker/db/rollup-units.test.ts checks this file against them).

ALTER TABLE sessions ADD COLUMN asked_at INTEGER;

CREATE TABLE therapist_days (
  platform_id TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  -- Days since 1970-01-01 (UTC).
  day INTEGER NOT NULL,
  -- Sessions in which the client was asked to rate (a rating or a decline implies it).
  asked INTEGER NOT NULL DEFAULT 0,
  rated INTEGER NOT NULL DEFAULT 0,
  declined INTEGER NOT NULL DEFAULT 0,
  -- Sum of rated totals, in hundredths.
  total_sum INTEGER NOT NULL DEFAULT 0,
  -- Rated sessions with at least one flag.
  flagged INTEGER NOT NULL DEFAULT 0,
  -- Sum of the therapist's talk share (millionths) over sessions with pacing that had any talk, and their count.
  share_sum INTEGER NOT NULL DEFAULT 0,
  share_n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (platform_id, therapist_hash, day)
) WITHOUT ROWID;
CREATE INDEX therapist_days_day ON therapist_days (platform_id, day);

-- The session's day, from the session row (which a rating or pacing row always has: foreign key).
-- Used inline below as: (SELECT created_at / 86400 FROM sessions WHERE platform_id = X.platform_id AND sid_hash = X.sid_hash)

CREATE TRIGGER sessions_asked_insert AFTER INSERT ON sessions WHEN NEW.asked_at IS NOT NULL BEGIN
  INSERT INTO therapist_days (platform_id, therapist_hash, day, asked) VALUES (NEW.platform_id, NEW.therapist_hash, NEW.created_at / 86400, 1)
  ON CONFLICT (platform_id, therapist_hash, day) DO UPDATE SET asked = asked + 1;
END;

CREATE TRIGGER sessions_asked_update AFTER UPDATE OF asked_at ON sessions
WHEN OLD.asked_at IS NULL AND NEW.asked_at IS NOT NULL BEGIN
  INSERT INTO therapist_days (platform_id, therapist_hash, day, asked) VALUES (NEW.platform_id, NEW.therapist_hash, NEW.created_at / 86400, 1)
  ON CONFLICT (platform_id, therapist_hash, day) DO UPDATE SET asked = asked + 1;
END;

CREATE TRIGGER sessions_asked_delete AFTER DELETE ON sessions WHEN OLD.asked_at IS NOT NULL BEGIN
  UPDATE therapist_days SET asked = asked - 1
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash AND day = OLD.created_at / 86400;
  DELETE FROM therapist_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash AND day = OLD.created_at / 86400
     AND asked = 0 AND rated = 0 AND declined = 0 AND share_n = 0;
END;

CREATE TRIGGER ratings_rollup_insert AFTER INSERT ON ratings BEGIN
  -- A rating or a decline means the client was asked.
  UPDATE sessions SET asked_at = NEW.rated_at WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash AND asked_at IS NULL;
  INSERT INTO therapist_days (platform_id, therapist_hash, day, rated, declined, total_sum, flagged)
  VALUES (
    NEW.platform_id, NEW.therapist_hash,
    (SELECT created_at / 86400 FROM sessions WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash),
    NEW.status = 'rated', NEW.status = 'declined',
    CASE WHEN NEW.status = 'rated' THEN CAST(round(NEW.total * 100) AS INTEGER) ELSE 0 END,
    NEW.status = 'rated' AND json_array_length(NEW.flags) > 0
  )
  ON CONFLICT (platform_id, therapist_hash, day) DO UPDATE SET
    rated = rated + excluded.rated, declined = declined + excluded.declined,
    total_sum = total_sum + excluded.total_sum, flagged = flagged + excluded.flagged;
END;

CREATE TRIGGER ratings_rollup_delete AFTER DELETE ON ratings BEGIN
  UPDATE therapist_days SET
    rated = rated - (OLD.status = 'rated'),
    declined = declined - (OLD.status = 'declined'),
    total_sum = total_sum - CASE WHEN OLD.status = 'rated' THEN CAST(round(OLD.total * 100) AS INTEGER) ELSE 0 END,
    flagged = flagged - (OLD.status = 'rated' AND json_array_length(OLD.flags) > 0)
  WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
    AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
  DELETE FROM therapist_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
     AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
     AND asked = 0 AND rated = 0 AND declined = 0 AND share_n = 0;
END;

CREATE TRIGGER pacing_rollup_insert AFTER INSERT ON pacing
WHEN NEW.therapist_talk_seconds + NEW.client_talk_seconds > 0 BEGIN
  INSERT INTO therapist_days (platform_id, therapist_hash, day, share_sum, share_n)
  VALUES (
    NEW.platform_id, NEW.therapist_hash,
    (SELECT created_at / 86400 FROM sessions WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash),
    CAST(round(1000000.0 * NEW.therapist_talk_seconds / (NEW.therapist_talk_seconds + NEW.client_talk_seconds)) AS INTEGER), 1
  )
  ON CONFLICT (platform_id, therapist_hash, day) DO UPDATE SET share_sum = share_sum + excluded.share_sum, share_n = share_n + 1;
END;

CREATE TRIGGER pacing_rollup_delete AFTER DELETE ON pacing
WHEN OLD.therapist_talk_seconds + OLD.client_talk_seconds > 0 BEGIN
  UPDATE therapist_days SET
    share_sum = share_sum - CAST(round(1000000.0 * OLD.therapist_talk_seconds / (OLD.therapist_talk_seconds + OLD.client_talk_seconds)) AS INTEGER),
    share_n = share_n - 1
  WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
    AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
  DELETE FROM therapist_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
     AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
     AND asked = 0 AND rated = 0 AND declined = 0 AND share_n = 0;
END;

-- Retention deletes old sessions by platform and age.
CREATE INDEX sessions_created ON sessions (platform_id, created_at);
-- Erasure finds a session's idempotency records by scope ('rating:<sid_hash>', 'pacing:<sid_hash>').
CREATE INDEX idempotency_scope ON idempotency (platform_id, scope);

-- Admin credentials for reports and erasure: separate from session tokens. Only the SHA-256 of the key is
-- stored; the key (`attune_admin_...`, 32 random bytes) is shown once by `npm run platform -- admin-key`.
CREATE TABLE admin_keys (
  id TEXT PRIMARY KEY,
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX admin_keys_platform ON admin_keys (platform_id);

-- Every admin read of aggregates (and every erasure). Never client data: route, query parameters, row count.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  platform_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  route TEXT NOT NULL,
  params TEXT NOT NULL CHECK (json_valid(params)),
  row_count INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX audit_log_platform ON audit_log (platform_id, at);
