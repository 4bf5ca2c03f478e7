-- Feedback fatigue 'nth': the client's sessions numbered in the order their widget first mounted (1, 2, ...),
-- assigned once per session at GET /v1/context. Sessions recorded only by a rating or pacing keep NULL.
ALTER TABLE sessions ADD COLUMN client_seq INTEGER;
