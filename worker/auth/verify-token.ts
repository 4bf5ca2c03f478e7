import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import * as v from 'valibot';
import { AUDIENCE, MAX_CLOCK_SKEW_SECONDS, TokenClaims } from '../../schemas/index.ts';
import { getActiveKey, type KeyRow } from '../db/queries.ts';

export type VerifyResult =
  | { ok: true; claims: TokenClaims; key: KeyRow }
  | { ok: false; reason: 'malformed' | 'unknown_kid' | 'alg_mismatch' | 'invalid' | 'bad_claims' };

const KID = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_TOKEN_LENGTH = 4096;

/** Keys are cached per isolate for a short while: a revoked key stops working within KEY_CACHE_MS. */
export const KEY_CACHE_MS = 60_000;
interface CachedKey {
  row: KeyRow;
  verifier: Promise<CryptoKey | Uint8Array>;
  until: number;
}
const keyCache = new Map<string, CachedKey>();

async function loadKey(db: D1Database, kid: string): Promise<CachedKey | null> {
  const now = Date.now();
  const hit = keyCache.get(kid);
  if (hit && hit.until > now) return hit;
  const row = await getActiveKey(db, kid);
  if (!row) {
    keyCache.delete(kid);
    return null;
  }
  const verifier: Promise<CryptoKey | Uint8Array> =
    row.alg === 'EdDSA'
      ? (importJWK(JSON.parse(row.publicJwk ?? 'null'), 'EdDSA') as Promise<CryptoKey>)
      : Promise.resolve(new TextEncoder().encode(row.secret ?? ''));
  verifier.catch(() => keyCache.delete(kid));
  const entry = { row, verifier, until: now + KEY_CACHE_MS };
  if (keyCache.size > 1000) keyCache.clear();
  keyCache.set(kid, entry);
  return entry;
}

/**
 * Verifies a session token against the key its `kid` names. The algorithm comes from the stored key,
 * never from the token header; `iss` must be the key's platform; `aud` must be 'attune'; 60 s skew at most.
 * Never throws on any token input.
 */
export async function verifyToken(db: D1Database, token: string, nowSeconds?: number): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  let header: { kid?: unknown; alg?: unknown };
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof header.kid !== 'string' || !KID.test(header.kid)) return { ok: false, reason: 'malformed' };
  const cached = await loadKey(db, header.kid);
  if (!cached) return { ok: false, reason: 'unknown_kid' };
  const key = cached.row;
  if (header.alg !== key.alg) return { ok: false, reason: 'alg_mismatch' };

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await cached.verifier, {
      algorithms: [key.alg],
      audience: AUDIENCE,
      issuer: key.platformId,
      clockTolerance: MAX_CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'sub', 'sid'],
      ...(nowSeconds === undefined ? {} : { currentDate: new Date(nowSeconds * 1000) }),
    }));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const parsed = v.safeParse(TokenClaims, payload);
  if (!parsed.success) return { ok: false, reason: 'bad_claims' };
  return { ok: true, claims: parsed.output, key };
}
