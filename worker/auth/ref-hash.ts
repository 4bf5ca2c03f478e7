import { base64url } from 'jose';
import { derivedKey } from './derived-key.ts';

const enc = new TextEncoder();

/**
 * The platform's ref-hashing key: HKDF-SHA256 from the Worker secret, with the platform id as info,
 * so two platforms' hashes of the same ref never match.
 */
const platformKey = (secret: string, platformId: string): Promise<CryptoKey> =>
  derivedKey(secret, {
    salt: 'attune/ref-hash/v1',
    info: platformId,
    algorithm: { name: 'HMAC', hash: 'SHA-256', length: 256 },
    usages: ['sign'],
  });

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
