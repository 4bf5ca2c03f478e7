-- therapist_pace_days (0009) summed the rated totals of every instrument together: on a platform that runs a 1..7
-- three-item scale beside a 0..40 four-item scale, a mean of those sums is on neither scale, and the caseload's
-- "rated total when the therapist talks more than X %" comparison averaged them. The rollup is now kept per
-- instrument (id and version: a new version may change the scale), so a reader compares like with like.
-- Rebuilt, backfilled from the ratings by the same formulas as PACE_DAYS_FROM_SCRATCH
-- (worker/db/caseload-queries.ts), and its triggers recreated with the instrument of the rating.

DROP TRIGGER pace_days_rating_insert;
DROP TRIGGER pace_days_pacing_insert;
DROP TRIGGER pace_days_rating_delete;
DROP TRIGGER pace_days_pacing_delete;
DROP TABLE therapist_pace_days;

CREATE TABLE therapist_pace_days (
  platform_id TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  day INTEGER NOT NULL,
  -- The rating's instrument: totals of different instruments are never summed together.
  instrument_id TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  band INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  total_sum INTEGER NOT NULL DEFAULT 0,
  total_sq INTEGER NOT NULL DEFAULT 0,
  share_sum INTEGER NOT NULL DEFAULT 0,
  turn_sum INTEGER NOT NULL DEFAULT 0,
  overlap_sum INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (platform_id, therapist_hash, day, instrument_id, instrument_version, band)
) WITHOUT ROWID;

INSERT INTO therapist_pace_days
  SELECT platform_id, therapist_hash, day, instrument_id, instrument_version,
         CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END AS band,
         count(*), sum(th), sum(th * th), sum(share), sum(turn), sum(ov)
    FROM (SELECT s.platform_id, s.therapist_hash, s.created_at / 86400 AS day,
                 r.instrument_id, r.instrument_version,
                 CAST(round(r.total * 100) AS INTEGER) AS th,
                 CAST(round(1000000.0 * p.therapist_talk_seconds / (p.therapist_talk_seconds + p.client_talk_seconds)) AS INTEGER) AS share,
                 CAST(round(p.longest_therapist_turn_seconds * 10) AS INTEGER) AS turn, p.overlap_count AS ov
            FROM sessions s
            JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
            JOIN pacing p ON p.platform_id = s.platform_id AND p.sid_hash = s.sid_hash
           WHERE r.status = 'rated' AND p.therapist_talk_seconds + p.client_talk_seconds > 0)
   GROUP BY platform_id, therapist_hash, day, instrument_id, instrument_version, band;

-- As in 0009: a rated session enters the rollup when its second half arrives (rating after pacing, or pacing after
-- rating), and leaves it when the first of the two is deleted: exactly once each way.
CREATE TRIGGER pace_days_rating_insert AFTER INSERT ON ratings WHEN NEW.status = 'rated' BEGIN
  INSERT INTO therapist_pace_days (platform_id, therapist_hash, day, instrument_id, instrument_version, band, n, total_sum, total_sq, share_sum, turn_sum, overlap_sum)
  SELECT NEW.platform_id, NEW.therapist_hash, s.created_at / 86400, NEW.instrument_id, NEW.instrument_version, b.band, 1,
         CAST(round(NEW.total * 100) AS INTEGER), CAST(round(NEW.total * 100) AS INTEGER) * CAST(round(NEW.total * 100) AS INTEGER),
         b.share, CAST(round(p.longest_therapist_turn_seconds * 10) AS INTEGER), p.overlap_count
    FROM pacing p
    JOIN sessions s ON s.platform_id = p.platform_id AND s.sid_hash = p.sid_hash
    JOIN (SELECT share, CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END AS band
            FROM (SELECT CAST(round(1000000.0 * therapist_talk_seconds / (therapist_talk_seconds + client_talk_seconds)) AS INTEGER) AS share
                    FROM pacing WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash
                     AND therapist_talk_seconds + client_talk_seconds > 0)) b
   WHERE p.platform_id = NEW.platform_id AND p.sid_hash = NEW.sid_hash
  ON CONFLICT (platform_id, therapist_hash, day, instrument_id, instrument_version, band) DO UPDATE SET
    n = n + 1, total_sum = total_sum + excluded.total_sum, total_sq = total_sq + excluded.total_sq,
    share_sum = share_sum + excluded.share_sum, turn_sum = turn_sum + excluded.turn_sum,
    overlap_sum = overlap_sum + excluded.overlap_sum;
END;

CREATE TRIGGER pace_days_pacing_insert AFTER INSERT ON pacing
WHEN NEW.therapist_talk_seconds + NEW.client_talk_seconds > 0 BEGIN
  INSERT INTO therapist_pace_days (platform_id, therapist_hash, day, instrument_id, instrument_version, band, n, total_sum, total_sq, share_sum, turn_sum, overlap_sum)
  SELECT NEW.platform_id, NEW.therapist_hash, s.created_at / 86400, r.instrument_id, r.instrument_version, b.band, 1,
         CAST(round(r.total * 100) AS INTEGER), CAST(round(r.total * 100) AS INTEGER) * CAST(round(r.total * 100) AS INTEGER),
         b.share, CAST(round(NEW.longest_therapist_turn_seconds * 10) AS INTEGER), NEW.overlap_count
    FROM ratings r
    JOIN sessions s ON s.platform_id = r.platform_id AND s.sid_hash = r.sid_hash
    JOIN (SELECT share, CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END AS band
            FROM (SELECT CAST(round(1000000.0 * NEW.therapist_talk_seconds / (NEW.therapist_talk_seconds + NEW.client_talk_seconds)) AS INTEGER) AS share)) b
   WHERE r.platform_id = NEW.platform_id AND r.sid_hash = NEW.sid_hash AND r.status = 'rated'
  ON CONFLICT (platform_id, therapist_hash, day, instrument_id, instrument_version, band) DO UPDATE SET
    n = n + 1, total_sum = total_sum + excluded.total_sum, total_sq = total_sq + excluded.total_sq,
    share_sum = share_sum + excluded.share_sum, turn_sum = turn_sum + excluded.turn_sum,
    overlap_sum = overlap_sum + excluded.overlap_sum;
END;

CREATE TRIGGER pace_days_rating_delete AFTER DELETE ON ratings WHEN OLD.status = 'rated' BEGIN
  UPDATE therapist_pace_days SET
    n = n - 1,
    total_sum = total_sum - CAST(round(OLD.total * 100) AS INTEGER),
    total_sq = total_sq - CAST(round(OLD.total * 100) AS INTEGER) * CAST(round(OLD.total * 100) AS INTEGER),
    share_sum = share_sum - (SELECT share FROM (SELECT CAST(round(1000000.0 * therapist_talk_seconds / (therapist_talk_seconds + client_talk_seconds)) AS INTEGER) AS share
                               FROM pacing WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)),
    turn_sum = turn_sum - (SELECT CAST(round(longest_therapist_turn_seconds * 10) AS INTEGER) FROM pacing WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash),
    overlap_sum = overlap_sum - (SELECT overlap_count FROM pacing WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
  WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
    AND instrument_id = OLD.instrument_id AND instrument_version = OLD.instrument_version
    AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
    AND band = (SELECT CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END
                  FROM (SELECT CAST(round(1000000.0 * therapist_talk_seconds / (therapist_talk_seconds + client_talk_seconds)) AS INTEGER) AS share
                          FROM pacing WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash
                           AND therapist_talk_seconds + client_talk_seconds > 0));
  DELETE FROM therapist_pace_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash AND n = 0
     AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
END;

CREATE TRIGGER pace_days_pacing_delete AFTER DELETE ON pacing
WHEN OLD.therapist_talk_seconds + OLD.client_talk_seconds > 0 BEGIN
  UPDATE therapist_pace_days SET
    n = n - 1,
    total_sum = total_sum - (SELECT CAST(round(total * 100) AS INTEGER) FROM ratings WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash),
    total_sq = total_sq - (SELECT CAST(round(total * 100) AS INTEGER) * CAST(round(total * 100) AS INTEGER) FROM ratings WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash),
    share_sum = share_sum - CAST(round(1000000.0 * OLD.therapist_talk_seconds / (OLD.therapist_talk_seconds + OLD.client_talk_seconds)) AS INTEGER),
    turn_sum = turn_sum - CAST(round(OLD.longest_therapist_turn_seconds * 10) AS INTEGER),
    overlap_sum = overlap_sum - OLD.overlap_count
  WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash
    AND EXISTS (SELECT 1 FROM ratings WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash AND status = 'rated')
    AND (instrument_id, instrument_version) = (SELECT instrument_id, instrument_version FROM ratings WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
    AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
    AND band = (SELECT CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END
                  FROM (SELECT CAST(round(1000000.0 * OLD.therapist_talk_seconds / (OLD.therapist_talk_seconds + OLD.client_talk_seconds)) AS INTEGER) AS share));
  DELETE FROM therapist_pace_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash AND n = 0
     AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
END;
