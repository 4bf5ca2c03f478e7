import type { Context, MiddlewareHandler } from 'hono';
import { type Instrument, MAX_CLOCK_SKEW_SECONDS, type Role } from '../../schemas/index.ts';
import { failedCredential, isThrottled, tooMany } from './failure-throttle.ts';
import { type VerifyResult, verifyToken } from './verify-token.ts';
import { originRegistered } from '../db/registered-origins.ts';
import type { KeyRow } from '../db/queries.ts';
import type { AppEnv, PlatformContext } from '../env.ts';
import { ApiFailure, ORIGIN_NOT_ALLOWED } from '../http/errors.ts';
import { instrumentFor, parsePlatformSettings } from '../admin/platform-settings.ts';
import { hashRef } from './ref-hash.ts';

export interface AuthOptions {
  /** Roles allowed on the route; any role when omitted. */
  roles?: readonly Role[];
  /** Where the token comes from; default the `Authorization: Bearer` header. */
  tokenFrom?: (c: Context<AppEnv>) => string | undefined;
  /** The 401 message when `tokenFrom` finds no token: where this route looks for it. */
  missingMessage?: string;
  /**
   * Accept a client token whose exp passed at most this many seconds ago (for its own session: every session route
   * takes the session from the token). Only the rating route sets it: a rating queued offline must not be lost.
   * Every other route keeps the strict exp.
   */
  expiredGraceSeconds?: number;
}

function bearerToken(c: Context<AppEnv>): string | undefined {
  return BEARER.exec(c.req.header('Authorization') ?? '')?.[1];
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** Which tokens the route takes (never the refused token's own claims). */
function wrongRole(roles: readonly string[]): string {
  return `This route takes a session token whose role is ${roles.join(' or ')}.`;
}

/** An admin key sent where a session token belongs is the likeliest mix-up: say so. */
function missingTokenMessage(authorization: string | undefined): string {
  return authorization?.startsWith('Bearer attune_admin_')
    ? 'This route takes a session token (attune/server), not an admin key.'
    : 'A Bearer session token is required.';
}

/**
 * What an integrator can fix, per failure: nothing here is secret to the token's holder (the kid is in its header;
 * whether it is registered tells nothing about any key), and the code stays `invalid_token` for every one.
 */
const INVALID_TOKEN: Record<Exclude<VerifyResult, { ok: true }>['reason'], string> = {
  malformed: 'The session token is not a JWT with a kid header: mint it with attune/server.',
  unknown_kid:
    'The session token’s kid is not registered (or was revoked): use the kid `npm run platform -- create` printed.',
  alg_mismatch: 'The session token’s alg is not the one registered for its kid (EdDSA or HS256).',
  invalid:
    'The session token does not verify: signed with another key than its kid’s, iss not the kid’s platform id, aud not attune, issued in the future or living over 24 h.',
  expired: 'The session token expired: mint a new one.',
  bad_claims: 'The session token’s claims are incomplete or invalid for its role: mint it with attune/server.',
  needs_lookup: 'The session token is invalid or expired.',
};

/**
 * Verifies the session token and sets `claims`, `platform`, `refs` (hashed) and `instrument` on the context.
 * 401 for a missing or invalid token, 403 for a valid token used outside its role, session or origin.
 *
 * @example
 * app.post('/session/rating', auth({ roles: ['client'] }), (c) => {
 *   const { sid } = c.get('refs'); // HMAC of the token's sid under the platform's key
 * });
 */
export function auth(options: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  return async function authMiddleware(c, next) {
    const { claims, key } = await verifiedToken(
      c,
      options.expiredGraceSeconds ?? 0,
      options.tokenFrom,
      options.missingMessage,
    );
    // A caseload token names no session: it is refused on every session route, whatever the route's roles.
    if (claims.role === 'caseload' || (options.roles && !options.roles.includes(claims.role))) {
      throw new ApiFailure(403, 'wrong_role', wrongRole(options.roles ?? ['client', 'therapist']));
    }
    const { platform, instrument, hashed } = await platformFor(c, key, claims.ins, () =>
      Promise.all([
        hashRef(c.env.REF_HASH_SECRET, key.platformId, 'sid', claims.sid),
        hashRef(c.env.REF_HASH_SECRET, key.platformId, 'tid', claims.tid),
        hashRef(c.env.REF_HASH_SECRET, key.platformId, 'cid', claims.cid),
      ]),
    );
    const [sid, tid, cid] = hashed;
    c.set('claims', claims);
    c.set('kid', key.kid);
    c.set('platform', platform);
    c.set('refs', { sid, tid, cid });
    c.set('instrument', instrument);
    await next();
  };
}

/**
 * Verifies a caseload token (`role: 'caseload'`: the therapist alone, no session) and sets `caseloadClaims`,
 * `platform`, `therapistHash` and `instrument`. 401 for a missing or invalid token, 403 for a session token or an
 * unregistered origin. Read-only by construction: only the caseload route uses it.
 *
 * @example
 * app.post('/caseload', caseloadAuth(), (c) => c.json(read(c.var.therapistHash)));
 */
export function caseloadAuth(): MiddlewareHandler<AppEnv> {
  return async function caseloadAuthMiddleware(c, next) {
    const { claims, key } = await verifiedToken(c, 0);
    if (claims.role !== 'caseload') throw new ApiFailure(403, 'wrong_role', wrongRole(['caseload']));
    const { platform, instrument, hashed } = await platformFor(c, key, claims.ins, () =>
      hashRef(c.env.REF_HASH_SECRET, key.platformId, 'tid', claims.tid),
    );
    c.set('caseloadClaims', claims);
    c.set('platform', platform);
    c.set('therapistHash', hashed);
    c.set('instrument', instrument);
    await next();
  };
}

/**
 * The Bearer token, verified (401 otherwise, counted by the failure throttle). From a throttled address: 429 for
 * anything but a valid token whose key this isolate has cached.
 */
async function verifiedToken(
  c: Context<AppEnv>,
  grace: number,
  tokenFrom: (c: Context<AppEnv>) => string | undefined = bearerToken,
  missingMessage?: string,
) {
  const token = tokenFrom(c);
  if (!token)
    throw new ApiFailure(401, 'missing_token', missingMessage ?? missingTokenMessage(c.req.header('Authorization')), {
      'WWW-Authenticate': 'Bearer',
    });
  // A throttled address spends no D1 lookup: only a token whose key is cached here can still be verified.
  const throttled = isThrottled(c);
  const now = Math.floor(Date.now() / 1000);
  let result = await verifyToken(c.env.DB, token, {
    nowSeconds: now,
    expiredGraceSeconds: grace,
    cachedOnly: throttled,
  });
  // Past its exp, only a client token is let through (and only because of the grace above).
  if (result.ok && result.claims.exp + MAX_CLOCK_SKEW_SECONDS < now && result.claims.role !== 'client')
    result = { ok: false, reason: 'expired', kid: result.key.kid };
  if (!result.ok) {
    if (throttled) throw tooMany();
    const unauthorized = new ApiFailure(401, 'invalid_token', INVALID_TOKEN[result.reason], {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
    throw await failedCredential(c, unauthorized, result.kid);
  }
  return result;
}

/**
 * The token's platform (its parsed settings) and instrument, with `hash` (the token's refs) run alongside the
 * origin check. A browser on an origin this platform did not register must not act with its token: that 403 comes
 * before anything else; 422 for an instrument the platform has not registered.
 */
async function platformFor<T>(
  c: Context<AppEnv>,
  key: KeyRow,
  instrumentId: string | undefined,
  hash: () => Promise<T>,
): Promise<{ platform: PlatformContext; instrument: Instrument; hashed: T }> {
  const originOk = originAllowed(c, key.platformId);
  const hashed = hash();
  hashed.catch(() => {}); // awaited below unless the origin check throws first
  if (!(await originOk)) throw new ApiFailure(403, 'origin_not_allowed', ORIGIN_NOT_ALLOWED);
  const settings = parsePlatformSettings(key.platformSettings);
  const instrument = instrumentFor(settings, instrumentId);
  if (!instrument)
    throw new ApiFailure(422, 'unknown_instrument', 'The token names an instrument this platform has not registered.');
  return { platform: { id: key.platformId, settings }, instrument, hashed: await hashed };
}

/** A browser on another origin than the API's must be on one the platform registered. */
function originAllowed(c: Context<AppEnv>, platformId: string): Promise<boolean> {
  const origin = c.req.header('Origin');
  return origin !== undefined && origin !== new URL(c.req.url).origin
    ? originRegistered(c.env.DB, origin, platformId)
    : Promise.resolve(true);
}
