import { isOriginRegistered } from './queries.ts';

/**
 * How long an isolate trusts a positive "origin is registered" answer. Every preflight and every cross-origin
 * request asked D1 (the preflight once, an actual request twice: auth and CORS); the answer almost never
 * changes. Only positives are kept: a newly registered origin works at once, and an origin an operator removes
 * by hand (no code path deletes one) stops working in every isolate within this bound.
 */
export const ORIGIN_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 512;

const registered = new Map<string, number>();
/** Lookups in flight, shared by concurrent requests for the same key (a preflight burst, auth then CORS). */
const pending = new Map<string, Promise<boolean>>();

/**
 * isOriginRegistered with a per-isolate cache of positive answers (see ORIGIN_CACHE_TTL_MS).
 * `platformId` omitted: registered for some platform (the preflight's question).
 *
 * @example
 * if (await originRegistered(c.env.DB, origin, platformId)) res.headers.set('Access-Control-Allow-Origin', origin);
 */
export function originRegistered(db: D1Database, origin: string, platformId?: string, now = Date.now()): Promise<boolean> {
  const key = `${platformId ?? '*'}\n${origin}`;
  const until = registered.get(key);
  if (until !== undefined) {
    if (until > now) return Promise.resolve(true);
    registered.delete(key);
  }
  const inFlight = pending.get(key);
  if (inFlight) return inFlight;
  const lookup = isOriginRegistered(db, origin, platformId)
    .then((ok) => {
      if (ok) {
        if (registered.size >= MAX_ENTRIES) registered.clear();
        registered.set(key, now + ORIGIN_CACHE_TTL_MS);
        // Registered for a platform implies registered for some platform.
        if (platformId !== undefined) registered.set(`*\n${origin}`, now + ORIGIN_CACHE_TTL_MS);
      }
      return ok;
    })
    .finally(() => pending.delete(key));
  pending.set(key, lookup);
  return lookup;
}

/** Forgets every cached answer (tests; a deploy starts with an empty cache anyway). */
export function clearOriginCache(): void {
  registered.clear();
  pending.clear();
}
