-- The admin reports' mean total compared unlike with unlike: therapist_days (0004) summed the rated totals of every
-- instrument together, and published_cells (0006) froze that sum, so on a platform that runs a 1..7 three-item
-- likert (totals 3..21) beside the built-in 0..40 scale a report's mean total was on neither scale (13 × 38 and
-- 12 × 6 published 22.64). Reports now give the mean total of one instrument (id and version: a new version may
-- change the scale), from the per-instrument rollup therapist_trend_days (0014: the same key, already backfilled from
-- the ratings and kept by its own triggers; a second copy of it would double every rating's rollup write for the
-- same numbers). Session counts, completion, flagged share and talk share stay over every instrument: they are
-- counts and shares, on one scale whatever the instrument.

-- 1. therapist_days loses its mixed sum, so nothing can read it again. Its two rating triggers name the column, so
-- they are dropped first and recreated as in 0004 without it (the other triggers of 0004 never touched it).
DROP TRIGGER ratings_rollup_insert;
DROP TRIGGER ratings_rollup_delete;
ALTER TABLE therapist_days DROP COLUMN total_sum;

CREATE TRIGGER ratings_rollup_insert AFTER INSERT ON ratings BEGIN
  -- A rating or a decline means the client was asked.
  UPDATE sessions SET asked_at = NEW.rated_at WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash AND asked_at IS NULL;
  INSERT INTO therapist_days (platform_id, therapist_hash, day, rated, declined, flagged)
  VALUES (
    NEW.platform_id, NEW.therapist_hash,
    (SELECT created_at / 86400 FROM sessions WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash),
    NEW.status = 'rated', NEW.status = 'declined',
    NEW.status = 'rated' AND json_array_length(NEW.flags) > 0
  )
  ON CONFLICT (platform_id, therapist_hash, day) DO UPDATE SET
    rated = rated + excluded.rated, declined = declined + excluded.declined, flagged = flagged + excluded.flagged;
END;

CREATE TRIGGER ratings_rollup_delete AFTER DELETE ON ratings BEGIN
  UPDATE therapist_days SET
    rated = rated - (OLD.status = 'rated'),
    declined = declined - (OLD.status = 'declined'),
    flagged = flagged - (OLD.status = 'rated' AND json_array_length(OLD.flags) > 0)
  WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
    AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
  DELETE FROM therapist_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
     AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
     AND asked = 0 AND rated = 0 AND declined = 0 AND share_n = 0;
END;

-- 2. Publications freeze per instrument from now on. A week frozen before this migration keeps its rows as they were
-- (history is not rewritten: recomputing them from today's rows would let an erasure or a late rating change a
-- published figure); its published_cells.total_sum is that mixed sum, never read again, so its mean total is not
-- published (the report lists such weeks). Weeks frozen from now on have by_instrument = 1, 0 in
-- published_cells.total_sum, and their totals here.
ALTER TABLE published_weeks ADD COLUMN by_instrument INTEGER NOT NULL DEFAULT 0;

-- One therapist's rated sessions of one week on one instrument, as therapist_trend_days had them when the week was
-- frozen, with their distinct clients.
CREATE TABLE published_instrument_cells (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  week INTEGER NOT NULL,
  therapist_hash TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  rated INTEGER NOT NULL,
  -- Sum of rated totals, in hundredths (worker/db/rollup-units.ts).
  total_sum INTEGER NOT NULL,
  rated_clients INTEGER NOT NULL,
  PRIMARY KEY (platform_id, week, instrument_id, instrument_version, therapist_hash)
) WITHOUT ROWID;

-- The week's distinct clients of rated sessions on one instrument (over every therapist: not a sum of the cells').
CREATE TABLE published_instrument_weeks (
  platform_id TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
  week INTEGER NOT NULL,
  instrument_id TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  rated_clients INTEGER NOT NULL,
  PRIMARY KEY (platform_id, week, instrument_id, instrument_version)
) WITHOUT ROWID;
