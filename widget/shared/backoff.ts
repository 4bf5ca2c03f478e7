/**
 * How long to wait before retry number `attempt` (from 0): `baseMs` doubled per attempt, at most `maxMs`. The outbox,
 * the live socket, the summary poll and the client's context request all retry this way; each adds its own jitter.
 */
export const backoff = (attempt: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** attempt);
