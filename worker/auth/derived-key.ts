/**
 * Keys derived (HKDF-SHA256) from the Worker secret, kept in memory per isolate so a request does not derive one
 * again. Settled keys only: never a promise another request started (awaiting it from a second request fails with
 * "Cannot perform I/O on behalf of a different request", or hangs for good when the first is cancelled). Two
 * concurrent first uses both derive; the derivation is deterministic, so either result is the same key. A rotated
 * secret is another entry, derived on first use; a full cache is dropped whole. Web Crypto only (Worker and Node).
 */
const enc = new TextEncoder();
const keyCache = new Map<string, CryptoKey>();
const MAX_KEYS = 256;

export interface KeyUse {
  salt: string;
  info: string;
  algorithm: HmacImportParams | AesKeyAlgorithm;
  usages: KeyUsage[];
}

export async function derivedKey(secret: string, use: KeyUse): Promise<CryptoKey> {
  const cacheKey = `${use.salt}\u0000${use.info}\u0000${secret}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const ikm = await crypto.subtle.importKey('raw', enc.encode(secret), 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode(use.salt), info: enc.encode(use.info) },
    ikm,
    use.algorithm,
    false,
    use.usages,
  );
  if (keyCache.size >= MAX_KEYS) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}
