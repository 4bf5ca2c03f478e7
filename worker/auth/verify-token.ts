import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import * as v from 'valibot';
import { AUDIENCE, MAX_CLOCK_SKEW_SECONDS, TokenClaims } from '../../schemas/index.ts';
import { getActiveKey, type KeyRow } from '../db/queries.ts';

export type VerifyResult =
  | { ok: true; claims: TokenClaims; key: KeyRow }
  | { ok: false; reason: 'malformed' | 'unknown_kid' | 'alg_mismatch' | 'invalid' | 'bad_claims' };

const KID = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_TOKEN_LENGTH = 4096;

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
  const key = await getActiveKey(db, header.kid);
  if (!key) return { ok: false, reason: 'unknown_kid' };
  if (header.alg !== key.alg) return { ok: false, reason: 'alg_mismatch' };

  let payload: unknown;
  try {
    const secret =
      key.alg === 'EdDSA' ? await importJWK(JSON.parse(key.publicJwk ?? 'null'), 'EdDSA') : new TextEncoder().encode(key.secret ?? '');
    ({ payload } = await jwtVerify(token, secret, {
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
