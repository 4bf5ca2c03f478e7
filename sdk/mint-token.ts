/**
 * Server helper for platforms: mint an Attune session token, one per participant per session
 * (the LiveKit pattern). Runs in Node 20+ and in Workers (WebCrypto via jose). Never ship the key
 * to a browser.
 *
 * @example
 * import { mintToken } from 'attune/server';
 * const jwt = await mintToken(
 *   { platformId: process.env.ATTUNE_PLATFORM_ID, kid: process.env.ATTUNE_KID, key: process.env.ATTUNE_PRIVATE_JWK },
 *   { role: 'client', sub: 'u_42', sid: 'sess_9', tid: 'th_7', cid: 'u_42', loc: 'en' },
 * );
 * // The therapist's caseload page (no session): read-only, their own clients only.
 * const caseload = await mintToken(signing, { role: 'caseload', sub: 'th_7', tid: 'th_7', ttlSeconds: 3600 });
 */
import { importJWK, SignJWT, type JWK } from 'jose';
import * as v from 'valibot';
import {
  AUDIENCE,
  KID_PATTERN,
  MAX_TOKEN_LIFETIME_SECONDS,
  TokenClaims,
  type MintInput,
  type SigningAlg,
} from '../schemas/token.ts';

export type { SigningAlg };

export interface SigningKey {
  /** The platform id Attune issued (becomes `iss`). */
  platformId: string;
  /** The key id Attune registered (becomes the `kid` header). */
  kid: string;
  /** EdDSA: the Ed25519 private JWK (object or JSON string). HS256: the shared secret (at least 32 bytes). */
  key: JWK | string | Uint8Array;
  /** Defaults to EdDSA for a JWK and HS256 for a string that is not JSON or for bytes. */
  alg?: SigningAlg;
}

export const DEFAULT_TTL_SECONDS = 4 * 3600;
/** Longer lifetimes are refused: a session token should not outlive the session by much. */
export const MAX_TTL_SECONDS = MAX_TOKEN_LIFETIME_SECONDS;

export class MintError extends Error {
  override name = 'MintError';
}

/** What each claim must be, for the usual mistakes (a missing environment variable, a name or email as a ref). */
const REF = 'printable ASCII, 1 to 128 characters: your own id, never a name or email';
const CLAIM_HINTS: Record<string, string> = {
  iss: 'iss (the platformId Attune printed, plt_…, is missing or invalid)',
  sub: `sub (${REF})`,
  sid: `sid (${REF})`,
  tid: `tid (${REF})`,
  cid: `cid (${REF})`,
};

type WithoutIss<T> = T extends unknown ? Omit<T, 'iss'> & { nbf?: number } : never;
/**
 * The claims a platform chooses; `iss` comes from the signing key, `aud`, `iat` and `exp` from the helper. A session
 * token names the session and both participants; a caseload token (`role: 'caseload'`) only the therapist (`tid`).
 */
export type SessionClaims = WithoutIss<MintInput>;

/** Signs a token for `claims`; `exp` = now + ttlSeconds (default 4 h). Throws MintError on bad input. */
export async function mintToken(
  signing: SigningKey,
  claims: SessionClaims,
  options: { now?: number } = {},
): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const { ttlSeconds = DEFAULT_TTL_SECONDS, ...rest } = claims;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new MintError(`ttlSeconds must be an integer in 1..${MAX_TTL_SECONDS}`);
  }
  const payload = { ...rest, iss: signing.platformId, aud: AUDIENCE, iat: now, exp: now + ttlSeconds };
  const parsed = v.safeParse(TokenClaims, payload);
  if (!parsed.success) {
    const paths = [...new Set(parsed.issues.map((i) => v.getDotPath(i) ?? '(root)'))];
    throw new MintError(`invalid claims: ${paths.map((path) => CLAIM_HINTS[path] ?? path).join(', ')}`);
  }
  if (typeof signing.kid !== 'string' || !KID_PATTERN.test(signing.kid))
    throw new MintError('kid is missing or invalid: pass the kid Attune printed with the platform id (k_…)');
  const { alg, key } = await signingKey(signing);
  return new SignJWT(parsed.output).setProtectedHeader({ alg, kid: signing.kid, typ: 'JWT' }).sign(key);
}

async function signingKey(signing: SigningKey): Promise<{ alg: SigningAlg; key: CryptoKey | Uint8Array }> {
  let material = signing.key;
  // The usual cause: the environment variable holding the key is not set where the token is minted.
  if (material === undefined || material === null || material === '')
    throw new MintError(
      'key is missing: pass the private key Attune printed once (an Ed25519 JWK or the HS256 secret)',
    );
  if (typeof material === 'string' && material.trimStart().startsWith('{')) {
    try {
      material = JSON.parse(material) as JWK;
    } catch {
      throw new MintError('key looks like a JWK but is not valid JSON (was it cut or quoted when stored?)');
    }
  }
  const alg = signing.alg ?? (typeof material === 'object' && !(material instanceof Uint8Array) ? 'EdDSA' : 'HS256');
  if (alg === 'EdDSA') {
    if (
      typeof material !== 'object' ||
      material instanceof Uint8Array ||
      material.kty !== 'OKP' ||
      material.crv !== 'Ed25519' ||
      !material.d
    ) {
      throw new MintError('EdDSA needs an Ed25519 private JWK');
    }
    return { alg, key: (await importJWK(material, 'EdDSA')) as CryptoKey };
  }
  const bytes =
    typeof material === 'string'
      ? new TextEncoder().encode(material)
      : material instanceof Uint8Array
        ? material
        : null;
  if (!bytes || bytes.byteLength < 32) throw new MintError('HS256 needs a secret of at least 32 bytes');
  return { alg, key: bytes };
}
