-- caseload_clients.recent (0009) held a client's 51 most recent rated totals whatever instrument they were rated
-- on: a client rated 36 on a 0..40 scale and then 15 on a 3..21 one looked like a steep drop ("not on track"), and
-- their sparkline mixed the two scales. `recent` now holds only the totals on the instrument (id and version: a new
-- version may change the scale) of the client's most recent rated session with this therapist, named in
-- instrument_id and instrument_version, as the drop flags compare (clientHistory in worker/db/queries.ts).
-- The 51 are the most recent on that instrument, not those of the 51 most recent that happen to be on it, so a
-- client whose sessions alternate between two instruments still has a full running-mean window.
-- `rated` still counts all the client's rated sessions with this therapist.
-- Rebuilt, backfilled from the ratings by the same formulas as CASELOAD_CLIENTS_FROM_SCRATCH
-- (worker/db/caseload-queries.ts), and its triggers recreated.

DROP TRIGGER caseload_clients_rating_insert;
DROP TRIGGER caseload_clients_rating_delete;
DROP TABLE caseload_clients;

CREATE TABLE caseload_clients (
  platform_id TEXT NOT NULL,
  therapist_hash TEXT NOT NULL,
  client_hash TEXT NOT NULL,
  -- All rated sessions of this client with this therapist, on any instrument.
  rated INTEGER NOT NULL,
  -- The instrument of the client's most recent rated session with this therapist (ties: the higher sid_hash).
  instrument_id TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  -- JSON array of [created_at, client_seq, total] for the 51 most recent rated sessions on that instrument (the
  -- longest running-mean window, 50, plus the latest); the Worker orders them (aggregate order is not guaranteed).
  recent TEXT NOT NULL CHECK (json_valid(recent)),
  -- created_at of the newest rated session.
  last_at INTEGER NOT NULL,
  PRIMARY KEY (platform_id, therapist_hash, client_hash)
) WITHOUT ROWID;

INSERT INTO caseload_clients
  SELECT platform_id, therapist_hash, client_hash, count(*) AS rated,
         max(latest_ins) AS instrument_id, max(latest_ver) AS instrument_version,
         json_group_array(json_array(at, seq, total)) FILTER (WHERE ins = latest_ins AND ver = latest_ver AND rn <= 51) AS recent,
         max(at) AS last_at
    FROM (SELECT platform_id, therapist_hash, client_hash, ins, ver, at, seq, total,
                 first_value(ins) OVER newest AS latest_ins, first_value(ver) OVER newest AS latest_ver,
                 row_number() OVER (PARTITION BY platform_id, therapist_hash, client_hash, ins, ver
                                    ORDER BY at DESC, seq DESC, sid_hash DESC) AS rn
            FROM (SELECT r.platform_id, r.therapist_hash, r.client_hash, r.sid_hash, r.instrument_id AS ins,
                         r.instrument_version AS ver, s.created_at AS at, s.client_seq AS seq, r.total
                    FROM ratings r JOIN sessions s ON s.platform_id = r.platform_id AND s.sid_hash = r.sid_hash
                   WHERE r.status = 'rated')
          WINDOW newest AS (PARTITION BY platform_id, therapist_hash, client_hash ORDER BY at DESC, seq DESC, sid_hash DESC))
   GROUP BY platform_id, therapist_hash, client_hash;

-- As in 0009, recomputed from the client's own ratings with this therapist whenever one of them is written or
-- deleted; the instrument is that of the newest of them. The newest and the 51 walk the client's sessions newest
-- first (sessions_client, stopping at the 51st match), the count the ratings_client index: O(that client's
-- sessions). INDEXED BY as in worker/db/queries.ts: without ANALYZE statistics SQLite would read every rating of the
-- platform through the primary key's platform_id prefix (0009's triggers did).
CREATE TRIGGER caseload_clients_rating_insert AFTER INSERT ON ratings WHEN NEW.status = 'rated' BEGIN
  INSERT INTO caseload_clients (platform_id, therapist_hash, client_hash, rated, instrument_id, instrument_version, recent, last_at)
  SELECT NEW.platform_id, NEW.therapist_hash, NEW.client_hash,
         (SELECT count(*) FROM ratings c INDEXED BY ratings_client
           WHERE c.platform_id = NEW.platform_id AND c.client_hash = NEW.client_hash
             AND c.therapist_hash = NEW.therapist_hash AND c.status = 'rated'),
         ins, ver, json_group_array(json_array(at, seq, total)), max(at)
    FROM (SELECT r.instrument_id AS ins, r.instrument_version AS ver, s.created_at AS at, s.client_seq AS seq, r.total AS total
            FROM sessions s INDEXED BY sessions_client
            CROSS JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
           WHERE s.platform_id = NEW.platform_id AND s.client_hash = NEW.client_hash
             AND r.therapist_hash = NEW.therapist_hash AND r.status = 'rated'
             AND (r.instrument_id, r.instrument_version) = (
                   SELECT l.instrument_id, l.instrument_version
                     FROM sessions ls INDEXED BY sessions_client
                     CROSS JOIN ratings l ON l.platform_id = ls.platform_id AND l.sid_hash = ls.sid_hash
                    WHERE ls.platform_id = NEW.platform_id AND ls.client_hash = NEW.client_hash
                      AND l.therapist_hash = NEW.therapist_hash AND l.status = 'rated'
                    ORDER BY ls.created_at DESC, ls.client_seq DESC, ls.sid_hash DESC
                    LIMIT 1)
           ORDER BY s.created_at DESC, s.client_seq DESC, s.sid_hash DESC
           LIMIT 51)
   GROUP BY ins, ver
  ON CONFLICT (platform_id, therapist_hash, client_hash) DO UPDATE SET
    rated = excluded.rated, instrument_id = excluded.instrument_id, instrument_version = excluded.instrument_version,
    recent = excluded.recent, last_at = excluded.last_at;
END;

CREATE TRIGGER caseload_clients_rating_delete AFTER DELETE ON ratings WHEN OLD.status = 'rated' BEGIN
  DELETE FROM caseload_clients
   WHERE platform_id = OLD.platform_id AND therapist_hash = OLD.therapist_hash AND client_hash = OLD.client_hash;
  INSERT INTO caseload_clients (platform_id, therapist_hash, client_hash, rated, instrument_id, instrument_version, recent, last_at)
  SELECT OLD.platform_id, OLD.therapist_hash, OLD.client_hash,
         (SELECT count(*) FROM ratings c INDEXED BY ratings_client
           WHERE c.platform_id = OLD.platform_id AND c.client_hash = OLD.client_hash
             AND c.therapist_hash = OLD.therapist_hash AND c.status = 'rated'),
         ins, ver, json_group_array(json_array(at, seq, total)), max(at)
    FROM (SELECT r.instrument_id AS ins, r.instrument_version AS ver, s.created_at AS at, s.client_seq AS seq, r.total AS total
            FROM sessions s INDEXED BY sessions_client
            CROSS JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash
           WHERE s.platform_id = OLD.platform_id AND s.client_hash = OLD.client_hash
             AND r.therapist_hash = OLD.therapist_hash AND r.status = 'rated'
             AND (r.instrument_id, r.instrument_version) = (
                   SELECT l.instrument_id, l.instrument_version
                     FROM sessions ls INDEXED BY sessions_client
                     CROSS JOIN ratings l ON l.platform_id = ls.platform_id AND l.sid_hash = ls.sid_hash
                    WHERE ls.platform_id = OLD.platform_id AND ls.client_hash = OLD.client_hash
                      AND l.therapist_hash = OLD.therapist_hash AND l.status = 'rated'
                    ORDER BY ls.created_at DESC, ls.client_seq DESC, ls.sid_hash DESC
                    LIMIT 1)
           ORDER BY s.created_at DESC, s.client_seq DESC, s.sid_hash DESC
           LIMIT 51)
   GROUP BY ins, ver;
END;
