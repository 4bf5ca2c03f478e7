-- therapist_days (0004) sums the rated totals of every instrument together: on a platform that runs a 1..7
-- three-item scale beside a 0..40 four-item scale, the therapist's rolling mean in the summary's trend ("your mean
-- over the last N days") was on neither scale. The trend now reads the rated count and total sum from this rollup,
-- kept per instrument (id and version: a new version may change the scale) like therapist_pace_days (0013), and
-- compares like with like: only ratings on the summarised session's instrument.
-- therapist_days is left as it is: the admin reports and the frozen published cells read it (see
-- worker/db/admin-queries.ts, published-queries.ts); their rated totals still mix instruments.
-- Backfilled from the ratings by the same formulas as TREND_DAYS_FROM_SCRATCH (worker/db/trend-queries.ts).

CREATE TABLE therapist_trend_days (
  platform_id TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  -- The rating's instrument: totals of different instruments are never summed together.
  instrument_id TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  -- Days since 1970-01-01 (UTC) of the session's creation, as in therapist_days.
  day INTEGER NOT NULL,
  rated INTEGER NOT NULL DEFAULT 0,
  -- Sum of rated totals, in hundredths (worker/db/rollup-units.ts).
  total_sum INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (platform_id, therapist_hash, instrument_id, instrument_version, day)
) WITHOUT ROWID;

INSERT INTO therapist_trend_days
  SELECT s.platform_id, s.therapist_hash, r.instrument_id, r.instrument_version, s.created_at / 86400,
         count(*), sum(CAST(round(r.total * 100) AS INTEGER))
    FROM sessions s
    JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
   WHERE r.status = 'rated'
   GROUP BY s.platform_id, s.therapist_hash, r.instrument_id, r.instrument_version, s.created_at / 86400;

CREATE TRIGGER trend_days_rating_insert AFTER INSERT ON ratings WHEN NEW.status = 'rated' BEGIN
  INSERT INTO therapist_trend_days (platform_id, therapist_hash, instrument_id, instrument_version, day, rated, total_sum)
  VALUES (
    NEW.platform_id, NEW.therapist_hash, NEW.instrument_id, NEW.instrument_version,
    (SELECT created_at / 86400 FROM sessions WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash),
    1, CAST(round(NEW.total * 100) AS INTEGER)
  )
  ON CONFLICT (platform_id, therapist_hash, instrument_id, instrument_version, day) DO UPDATE SET
    rated = rated + 1, total_sum = total_sum + excluded.total_sum;
END;

CREATE TRIGGER trend_days_rating_delete AFTER DELETE ON ratings WHEN OLD.status = 'rated' BEGIN
  UPDATE therapist_trend_days SET
    rated = rated - 1,
    total_sum = total_sum - CAST(round(OLD.total * 100) AS INTEGER)
  WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
    AND instrument_id = OLD.instrument_id AND instrument_version = OLD.instrument_version
    AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
  DELETE FROM therapist_trend_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
     AND instrument_id = OLD.instrument_id AND instrument_version = OLD.instrument_version AND rated = 0
     AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
END;
