import { decodeProtectedHeader, errors, importJWK, jwtVerify } from 'jose';
import * as v from 'valibot';
import {
  AUDIENCE,
  KID_PATTERN,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
  TokenClaims,
} from '../../schemas/index.ts';
import { getActiveKey, type KeyRow } from '../db/queries.ts';
import { ApiFailure } from '../http/errors.ts';
import { LOOKUP_TIMEOUT_MS, withTimeout } from '../http/lookup-timeout.ts';

export type VerifyResult =
  | { ok: true; claims: TokenClaims; key: KeyRow }
  | {
      ok: false;
      reason: 'malformed' | 'unknown_kid' | 'alg_mismatch' | 'invalid' | 'expired' | 'bad_claims' | 'needs_lookup';
      kid?: string;
    };

const MAX_TOKEN_LENGTH = 4096;

export interface VerifyOptions {
  /** Evaluate at this time (epoch seconds) instead of now. */
  nowSeconds?: number;
  /**
   * Accept a token whose `exp` passed at most this long ago (seconds). Only the rating route uses it (a rating
   * queued offline in the client's browser, flushed after the token expired); nbf and iat stay strict.
   */
  expiredGraceSeconds?: number;
  /** Timeout of each lookup (D1 read, key import); 503 lookup_timeout past it. */
  timeoutMs?: number;
  /** Only a key already cached in this isolate (no D1 read): 'needs_lookup' otherwise (a throttled address). */
  cachedOnly?: boolean;
}

/** Keys are cached per isolate for a short while: a revoked key stops working within KEY_CACHE_MS. */
export const KEY_CACHE_MS = 60_000;
/**
 * An isolate remembers for this long that a kid is unknown, so a burst of tokens naming it costs one D1 query,
 * not one each. Short: a key registered a moment ago works in every isolate within this bound.
 */
export const UNKNOWN_KID_CACHE_MS = 10_000;
const MAX_CACHED = 1000;

/**
 * Settled entries only: the key row with its imported verifier, never a promise. A promise started by one request
 * belongs to that request's I/O context; a second request awaiting it fails, or hangs for good when the first
 * request is cancelled. Concurrent first uses of a kid each load it; the results are the same.
 */
interface CachedKey {
  row: KeyRow;
  verifier: CryptoKey | Uint8Array;
  until: number;
}
const keyCache = new Map<string, CachedKey>();
const unknownKids = new Map<string, number>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
}

/** The key for `kid`, from the cache or D1 (under a timeout); null when unknown, revoked or unusable. */
async function loadKey(
  db: D1Database,
  kid: string,
  timeoutMs: number,
  cachedOnly = false,
): Promise<CachedKey | null | 'needs_lookup'> {
  const now = Date.now();
  const hit = keyCache.get(kid);
  if (hit && hit.until > now) return hit;
  const unknownUntil = unknownKids.get(kid);
  if (unknownUntil !== undefined && unknownUntil > now) return null;
  if (cachedOnly) return 'needs_lookup';
  const row = await withTimeout(getActiveKey(db, kid), timeoutMs);
  if (!row) {
    keyCache.delete(kid);
    remember(unknownKids, kid, now + UNKNOWN_KID_CACHE_MS);
    return null;
  }
  unknownKids.delete(kid);
  let verifier: CryptoKey | Uint8Array;
  try {
    verifier =
      row.alg === 'EdDSA'
        ? ((await withTimeout(importJWK(JSON.parse(row.publicJwk ?? 'null'), 'EdDSA'), timeoutMs)) as CryptoKey)
        : new TextEncoder().encode(row.secret ?? '');
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    return null; // a stored key that cannot be imported verifies nothing (and is not cached)
  }
  const entry = { row, verifier, until: now + KEY_CACHE_MS };
  remember(keyCache, kid, entry);
  return entry;
}

/**
 * Verifies a session token against the key its `kid` names. The algorithm comes from the stored key,
 * never from the token header; `iss` must be the key's platform; `aud` must be 'attune'; 60 s skew at most.
 * Never throws on any token input; a lookup that times out throws a 503 ApiFailure (lookup_timeout).
 */
export async function verifyToken(db: D1Database, token: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const grace = Math.max(0, options.expiredGraceSeconds ?? 0);
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  let header: { kid?: unknown; alg?: unknown };
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof header.kid !== 'string' || !KID_PATTERN.test(header.kid)) return { ok: false, reason: 'malformed' };
  const kid = header.kid;
  const cached = await loadKey(db, kid, options.timeoutMs ?? LOOKUP_TIMEOUT_MS, options.cachedOnly);
  if (cached === 'needs_lookup') return { ok: false, reason: 'needs_lookup', kid };
  if (!cached) return { ok: false, reason: 'unknown_kid', kid };
  const key = cached.row;
  if (header.alg !== key.alg) return { ok: false, reason: 'alg_mismatch', kid };

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, cached.verifier, {
      algorithms: [key.alg],
      audience: AUDIENCE,
      issuer: key.platformId,
      // With a grace period jose's tolerance also widens nbf; nbf is checked strictly below.
      clockTolerance: MAX_CLOCK_SKEW_SECONDS + grace,
      requiredClaims: ['exp', 'sub'], // sid and cid: the schema, per role (a caseload token has neither)
      currentDate: new Date(now * 1000),
    }));
  } catch (err) {
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid', kid };
  }
  const parsed = v.safeParse(TokenClaims, payload);
  if (!parsed.success) return { ok: false, reason: 'bad_claims', kid };
  const c = parsed.output;
  // A server-side cap on what a platform may mint: no token lives longer than a day, none is issued in the future.
  if (c.exp - now > MAX_TOKEN_LIFETIME_SECONDS + MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'invalid', kid };
  if (c.iat !== undefined && c.iat > now + MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'invalid', kid };
  if (c.nbf !== undefined && c.nbf > now + MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'invalid', kid };
  if (now - c.exp > MAX_CLOCK_SKEW_SECONDS + grace) return { ok: false, reason: 'expired', kid };
  return { ok: true, claims: parsed.output, key };
}
