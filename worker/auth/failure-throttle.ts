import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';

/** Failed credentials allowed per client IP, and per kid, per minute (wrangler.toml [[ratelimits]] simple.limit). */
export const AUTH_FAILURE_LIMIT = 20;
/**
 * The binding's period; an address past the limit gets no credential lookup for this long: 429, but for a valid session
 * token whose key is already cached (token-auth.ts).
 */
export const AUTH_FAILURE_PERIOD_SECONDS = 60;
const MAX_BLOCKED = 4096;

/**
 * Addresses past the limit, with when this isolate stops refusing them (settled values only). Held in memory,
 * never logged or stored: it spares D1 the lookups of a credential-guessing burst.
 */
const blockedIps = new Map<string, number>();

export function tooMany(): ApiFailure {
  return new ApiFailure(429, 'too_many_failures', 'Too many failed credentials; try again later.', {
    'Retry-After': String(AUTH_FAILURE_PERIOD_SECONDS),
  });
}

/** The caller's address as Cloudflare gives it (absent in local tools: then they all share one bucket). */
function clientIp(c: Context<AppEnv>): string {
  return c.req.header('CF-Connecting-IP') ?? 'unknown';
}

/**
 * Before any credential lookup: 429 when this isolate saw the caller's address go past the limit within the
 * period (no D1 query is spent on it).
 *
 * @example
 * refuseIfThrottled(c); // then look the key up
 */
export function refuseIfThrottled(c: Context<AppEnv>, now = Date.now()): void {
  if (isThrottled(c, now)) throw tooMany();
}

/**
 * True when this isolate saw the caller's address go past the limit within the period. A session token route asks
 * this instead of refusing at once: it may still verify a token whose key needs no lookup (throwing `tooMany()` for
 * anything else), so the valid tokens of a clinic that shares its address with a credential-guesser keep working.
 */
export function isThrottled(c: Context<AppEnv>, now = Date.now()): boolean {
  const ip = clientIp(c);
  const until = blockedIps.get(ip);
  if (until === undefined) return false;
  if (until > now) return true;
  blockedIps.delete(ip);
  return false;
}

/**
 * After a credential failed: counts it against the caller's address and (when the token named one) its kid, and
 * returns the error to throw: 429 `too_many_failures` with Retry-After once either is past the limit, otherwise
 * `unauthorized`. A kid past its limit changes only the answer to failures: valid tokens of that kid still pass.
 */
export async function failedCredential(
  c: Context<AppEnv>,
  unauthorized: ApiFailure,
  kid?: string,
): Promise<ApiFailure> {
  const ip = clientIp(c);
  const [byIp, byKid] = await Promise.all([
    c.env.AUTH_FAILURES_BY_IP?.limit({ key: ip }) ?? { success: true },
    kid !== undefined ? (c.env.AUTH_FAILURES_BY_KID?.limit({ key: kid }) ?? { success: true }) : { success: true },
  ]).catch((err: unknown) => {
    // The limiter is a safeguard: when it cannot answer, the failure is still a plain 401.
    console.error('throttle: rate limiter unavailable', err instanceof Error ? err.message : String(err));
    return [{ success: true }, { success: true }];
  });
  if (!byIp.success) {
    if (blockedIps.size >= MAX_BLOCKED) blockedIps.clear();
    blockedIps.set(ip, Date.now() + AUTH_FAILURE_PERIOD_SECONDS * 1000);
  }
  return byIp.success && byKid!.success ? unauthorized : tooMany();
}
