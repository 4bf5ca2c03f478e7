-- Issue 13: the therapist's caseload view. Two rollups, kept in step by triggers like therapist_days (0004), so that
-- every write, erasure and retention delete updates them in the same statement, and the caseload reads O(clients
-- asked about + days), never O(sessions).
--
-- caseload_clients: per therapist and client, the client's most recent rated totals with that therapist (what
-- "not on track" is computed from). Recomputed from the client's own ratings (the ratings_client index: O(that
-- client's sessions)) whenever one of them is written or deleted.
CREATE TABLE caseload_clients (
  platform_id TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  client_hash TEXT NOT NULL,
  -- All rated sessions of this client with this therapist.
  rated INTEGER NOT NULL,
  -- JSON array of [created_at, client_seq, total] for the 51 most recent of them (the longest running-mean window,
  -- 50, plus the latest); the Worker orders them (aggregate order is not guaranteed by SQLite).
  recent TEXT NOT NULL CHECK (json_valid(recent)),
  -- created_at of the newest rated session.
  last_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, therapist_hash, client_hash)
) WITHOUT ROWID;

-- therapist_pace_days: per therapist, day and band of the therapist's talk share, the sessions that have both a
-- rating and pacing with any talk: their count, the sum and the sum of squares of the rated totals (so a mean and a
-- variance, hence Welch's interval, come from sums), the talk share, the longest turn and the overlaps. Bands are
-- 5 % wide: band k holds shares in (5k %, 5(k+1) %], band 0 also 0 %; so "more than 60 %" is band >= 12 exactly.
-- Integers so decrements are exact: totals in hundredths (squares in hundredths squared), shares in millionths,
-- turns in tenths of seconds.
CREATE TABLE therapist_pace_days (
  platform_id TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  day INTEGER NOT NULL,
  band INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  total_sum INTEGER NOT NULL DEFAULT 0,
  total_sq INTEGER NOT NULL DEFAULT 0,
  share_sum INTEGER NOT NULL DEFAULT 0,
  turn_sum INTEGER NOT NULL DEFAULT 0,
  overlap_sum INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (platform_id, therapist_hash, day, band)
) WITHOUT ROWID;

CREATE TRIGGER caseload_clients_rating_insert AFTER INSERT ON ratings WHEN NEW.status = 'rated' BEGIN
  INSERT INTO caseload_clients (platform_id, therapist_hash, client_hash, rated, recent, last_at)
  SELECT NEW.platform_id, NEW.therapist_hash, NEW.client_hash,
         (SELECT count(*) FROM ratings c
           WHERE c.platform_id = NEW.platform_id AND c.client_hash = NEW.client_hash
             AND c.therapist_hash = NEW.therapist_hash AND c.status = 'rated'),
         json_group_array(json_array(at, seq, total)), max(at)
    FROM (SELECT r.platform_id AS pid, s.created_at AS at, s.client_seq AS seq, r.total AS total
            FROM ratings r JOIN sessions s ON s.platform_id = r.platform_id AND s.sid_hash = r.sid_hash
           WHERE r.platform_id = NEW.platform_id AND r.client_hash = NEW.client_hash
             AND r.therapist_hash = NEW.therapist_hash AND r.status = 'rated'
           ORDER BY s.created_at DESC, s.client_seq DESC
           LIMIT 51)
   GROUP BY pid
  ON CONFLICT (platform_id, therapist_hash, client_hash) DO UPDATE SET
    rated = excluded.rated, recent = excluded.recent, last_at = excluded.last_at;
END;

CREATE TRIGGER caseload_clients_rating_delete AFTER DELETE ON ratings WHEN OLD.status = 'rated' BEGIN
  DELETE FROM caseload_clients
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash AND client_hash = OLD.client_hash;
  INSERT INTO caseload_clients (platform_id, therapist_hash, client_hash, rated, recent, last_at)
  SELECT OLD.platform_id, OLD.therapist_hash, OLD.client_hash,
         (SELECT count(*) FROM ratings c
           WHERE c.platform_id = OLD.platform_id AND c.client_hash = OLD.client_hash
             AND c.therapist_hash = OLD.therapist_hash AND c.status = 'rated'),
         json_group_array(json_array(at, seq, total)), max(at)
    FROM (SELECT r.platform_id AS pid, s.created_at AS at, s.client_seq AS seq, r.total AS total
            FROM ratings r JOIN sessions s ON s.platform_id = r.platform_id AND s.sid_hash = r.sid_hash
           WHERE r.platform_id = OLD.platform_id AND r.client_hash = OLD.client_hash
             AND r.therapist_hash = OLD.therapist_hash AND r.status = 'rated'
           ORDER BY s.created_at DESC, s.client_seq DESC
           LIMIT 51)
   GROUP BY pid;
END;

-- A rated session enters the pacing rollup when its second half arrives (rating after pacing, or pacing after
-- rating), and leaves it when the first of the two is deleted: exactly once each way.
CREATE TRIGGER pace_days_rating_insert AFTER INSERT ON ratings WHEN NEW.status = 'rated' BEGIN
  INSERT INTO therapist_pace_days (platform_id, therapist_hash, day, band, n, total_sum, total_sq, share_sum, turn_sum, overlap_sum)
  SELECT NEW.platform_id, NEW.therapist_hash, s.created_at / 86400, b.band, 1,
         CAST(round(NEW.total * 100) AS INTEGER), CAST(round(NEW.total * 100) AS INTEGER) * CAST(round(NEW.total * 100) AS INTEGER),
         b.share, CAST(round(p.longest_therapist_turn_seconds * 10) AS INTEGER), p.overlap_count
    FROM pacing p
    JOIN sessions s ON s.platform_id = p.platform_id AND s.sid_hash = p.sid_hash
    JOIN (SELECT share, CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END AS band
            FROM (SELECT CAST(round(1000000.0 * therapist_talk_seconds / (therapist_talk_seconds + client_talk_seconds)) AS INTEGER) AS share
                    FROM pacing WHERE platform_id = NEW.platform_id AND sid_hash = NEW.sid_hash
                     AND therapist_talk_seconds + client_talk_seconds > 0)) b
   WHERE p.platform_id = NEW.platform_id AND p.sid_hash = NEW.sid_hash
  ON CONFLICT (platform_id, therapist_hash, day, band) DO UPDATE SET
    n = n + 1, total_sum = total_sum + excluded.total_sum, total_sq = total_sq + excluded.total_sq,
    share_sum = share_sum + excluded.share_sum, turn_sum = turn_sum + excluded.turn_sum,
    overlap_sum = overlap_sum + excluded.overlap_sum;
END;

CREATE TRIGGER pace_days_pacing_insert AFTER INSERT ON pacing
WHEN NEW.therapist_talk_seconds + NEW.client_talk_seconds > 0 BEGIN
  INSERT INTO therapist_pace_days (platform_id, therapist_hash, day, band, n, total_sum, total_sq, share_sum, turn_sum, overlap_sum)
  SELECT NEW.platform_id, NEW.therapist_hash, s.created_at / 86400, b.band, 1,
         CAST(round(r.total * 100) AS INTEGER), CAST(round(r.total * 100) AS INTEGER) * CAST(round(r.total * 100) AS INTEGER),
         b.share, CAST(round(NEW.longest_therapist_turn_seconds * 10) AS INTEGER), NEW.overlap_count
    FROM ratings r
    JOIN sessions s ON s.platform_id = r.platform_id AND s.sid_hash = r.sid_hash
    JOIN (SELECT share, CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END AS band
            FROM (SELECT CAST(round(1000000.0 * NEW.therapist_talk_seconds / (NEW.therapist_talk_seconds + NEW.client_talk_seconds)) AS INTEGER) AS share)) b
   WHERE r.platform_id = NEW.platform_id AND r.sid_hash = NEW.sid_hash AND r.status = 'rated'
  ON CONFLICT (platform_id, therapist_hash, day, band) DO UPDATE SET
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
    AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash)
    AND band = (SELECT CASE WHEN share <= 0 THEN 0 ELSE (share - 1) / 50000 END
                  FROM (SELECT CAST(round(1000000.0 * OLD.therapist_talk_seconds / (OLD.therapist_talk_seconds + OLD.client_talk_seconds)) AS INTEGER) AS share));
  DELETE FROM therapist_pace_days
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash AND n = 0
     AND day = (SELECT created_at / 86400 FROM sessions WHERE platform_id = OLD.platform_id AND sid_hash = OLD.sid_hash);
END;
