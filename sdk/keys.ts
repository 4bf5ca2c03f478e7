/** Key material for registering a platform (used by scripts/platform.ts and scripts/seed-demo.ts). */
import { base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningAlg } from './mint-token.ts';

export interface GeneratedKey {
  alg: SigningAlg;
  kid: string;
  /** What Attune stores: the public JWK (EdDSA) or the shared secret (HS256). */
  stored: { publicJwk: JWK } | { secret: string };
  /** What the platform keeps, shown once: the private JWK (EdDSA) or the shared secret (HS256). */
  privateKey: JWK | string;
}

export function randomId(prefix: string, bytes = 12): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return prefix + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A random URL-safe secret; 32 random bytes give a 43-character string (its UTF-8 bytes are the HMAC key). */
export function randomSecret(bytes = 32): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url.encode(b);
}

export async function generateKey(alg: SigningAlg = 'EdDSA'): Promise<GeneratedKey> {
  const kid = randomId('k_', 8);
  if (alg === 'HS256') {
    const secret = randomSecret();
    return { alg, kid, stored: { secret }, privateKey: secret };
  }
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { alg, kid, stored: { publicJwk: await exportJWK(publicKey) }, privateKey: await exportJWK(privateKey) };
}

/** The public half of an Ed25519 private JWK. */
export function publicJwkOf(privateJwk: JWK): JWK {
  const { kty, crv, x } = privateJwk;
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') throw new Error('not an Ed25519 JWK');
  return { kty, crv, x };
}
