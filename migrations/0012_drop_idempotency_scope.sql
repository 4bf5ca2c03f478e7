-- No statement reads idempotency by (platform_id, scope) any more: replays look a key up by (platform_id, sid_hash,
-- idem_key), erasure and retention delete by (platform_id, sid_hash) through idempotency_session_key, and the
-- 30-day cleanup by created_at. The index cost one entry written on every rating and pacing write.
DROP INDEX IF EXISTS idempotency_scope;
