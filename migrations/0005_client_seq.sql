-- The client's sessions on the platform numbered in the order they were first recorded (1, 2, ...), assigned when
-- the session row is inserted: feedback fatigue 'nth' counts with it, and it orders a client's sessions that
-- started within the same second.
ALTER TABLE sessions ADD COLUMN client_seq INTEGER;
