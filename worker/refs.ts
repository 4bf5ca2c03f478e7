const enc = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

/**
 * The platform's ref-hashing key: HKDF-SHA256 from the Worker secret, with the platform id as info,
 * so two platforms' hashes of the same ref never match.
 */
function platformKey(secret: string, platformId: string): Promise<CryptoKey> {
  const cacheKey = `${platformId}\u0000${secret}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', enc.encode(secret), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('attune/ref-hash/v1'), info: enc.encode(platformId) },
        ikm,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      );
    })();
    keyCache.set(cacheKey, key);
  }
  return key;
}

export type RefKind = 'sid' | 'tid' | 'cid';

/** HMAC-SHA256 of `kind:ref` under the platform's key, base64url without padding (43 chars). */
export async function hashRef(secret: string, platformId: string, kind: RefKind, ref: string): Promise<string> {
  if (!secret || secret.length < 16) throw new Error('REF_HASH_SECRET is missing or shorter than 16 characters');
  const key = await platformKey(secret, platformId);
  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(`${kind}:${ref}`));
  return base64url(new Uint8Array(mac));
}

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** SHA-256 of a string, base64url. */
export async function sha256(text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(text))));
}
