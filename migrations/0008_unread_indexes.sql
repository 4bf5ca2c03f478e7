-- Write throughput: indexes that no statement reads. Each was written on every insert (D1 counts an
-- index entry as a row written and stores it), so a rating with its session wrote two rows for nothing and a
-- pacing record three. What reads these tables instead:
--   sessions by therapist: only together with the client (clientSeries: sessions_client) or the day range
--     (reports: sessions_created); rollupsFromScratch, an operator's check, filters the platform's rows.
--   ratings by therapist: trends and reports read the therapist_days rollups; previousTotal uses ratings_client.
--   pacing by client or therapist: always reached by session (primary key), from sessions.
DROP INDEX IF EXISTS sessions_therapist;
DROP INDEX IF EXISTS ratings_therapist;
DROP INDEX IF EXISTS pacing_client;
DROP INDEX IF EXISTS pacing_therapist;
