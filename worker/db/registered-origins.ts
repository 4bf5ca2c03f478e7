import { LOOKUP_TIMEOUT_MS, withTimeout } from '../http/lookup-timeout.ts';
import { isOriginRegistered } from './queries.ts';

/**
 * How long an isolate trusts a positive "origin is registered" answer. Every preflight and every cross-origin
 * request asked D1 (the preflight once, an actual request twice: auth and CORS); the answer almost never
 * changes. Only positives are kept: a newly registered origin works at once, and an origin an operator removes
 * by hand (no code path deletes one) stops working in every isolate within this bound.
 */
export const ORIGIN_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 512;

/**
 * Settled positive answers only, as an expiry time. Never a promise: a promise made by one request belongs to
 * that request's I/O context, and another request that awaits it fails ("Cannot perform I/O on behalf of a
 * different request") or hangs for good when the first request is cancelled. Concurrent misses each ask D1.
 */
const registered = new Map<string, number>();

/**
 * isOriginRegistered with a per-isolate cache of positive answers (see ORIGIN_CACHE_TTL_MS), under a timeout
 * (503 lookup_timeout). `platformId` omitted: registered for some platform (the preflight's question).
 *
 * @example
 * if (await originRegistered(c.env.DB, origin, platformId)) res.headers.set('Access-Control-Allow-Origin', origin);
 */
export async function originRegistered(
  db: D1Database,
  origin: string,
  platformId?: string,
  now = Date.now(),
  timeoutMs = LOOKUP_TIMEOUT_MS,
): Promise<boolean> {
  const key = `${platformId ?? '*'}\n${origin}`;
  const until = registered.get(key);
  if (until !== undefined) {
    if (until > now) return true;
    registered.delete(key);
  }
  const ok = await withTimeout(isOriginRegistered(db, origin, platformId), timeoutMs);
  if (ok) {
    if (registered.size >= MAX_ENTRIES) registered.clear();
    registered.set(key, now + ORIGIN_CACHE_TTL_MS);
    // Registered for a platform implies registered for some platform.
    if (platformId !== undefined) registered.set(`*\n${origin}`, now + ORIGIN_CACHE_TTL_MS);
  }
  return ok;
}
