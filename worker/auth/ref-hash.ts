import { base64url } from 'jose';

const enc = new TextEncoder();
/**
 * Derived keys, settled only: never a promise another request started (awaiting it from a second request fails
 * with "Cannot perform I/O on behalf of a different request", or hangs for good when the first is cancelled).
 * Two concurrent first uses both derive; the derivation is deterministic, so either result is the same key.
 */
const keyCache = new Map<string, CryptoKey>();
const MAX_KEYS = 256;

/**
 * The platform's ref-hashing key: HKDF-SHA256 from the Worker secret, with the platform id as info,
 * so two platforms' hashes of the same ref never match.
 */
async function platformKey(secret: string, platformId: string): Promise<CryptoKey> {
  const cacheKey = `${platformId}\u0000${secret}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const ikm = await crypto.subtle.importKey('raw', enc.encode(secret), 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('attune/ref-hash/v1'), info: enc.encode(platformId) },
    ikm,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
  if (keyCache.size >= MAX_KEYS) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

export type RefKind = 'sid' | 'tid' | 'cid';

/** HMAC-SHA256 of `kind:ref` under the platform's key, base64url without padding (43 chars). */
export async function hashRef(secret: string, platformId: string, kind: RefKind, ref: string): Promise<string> {
  if (!secret || secret.length < 16) throw new Error('REF_HASH_SECRET is missing or shorter than 16 characters');
  const key = await platformKey(secret, platformId);
  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(`${kind}:${ref}`));
  return base64url.encode(new Uint8Array(mac));
}

/** SHA-256 of a string, base64url. */
export async function sha256(text: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(text))));
}
