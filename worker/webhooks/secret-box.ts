/**
 * Endpoint signing secrets at rest. Signing needs the secret itself (a hash, as for admin keys, cannot sign), so D1
 * holds it sealed: AES-256-GCM under a key derived (HKDF-SHA256) from the Worker secret REF_HASH_SECRET, with the
 * endpoint id as associated data (a sealed secret copied onto another endpoint's row does not open). A copy of the
 * database alone cannot sign deliveries. Web Crypto only: the Worker and the platform CLI (Node) share it.
 */
import { base64url } from 'jose';
import { randomId, randomSecret } from '../../sdk/keys.ts';
import { derivedKey } from '../auth/derived-key.ts';

const enc = new TextEncoder();
const VERSION = 'v1';

/** `whsec_` and 32 random bytes, base64url (43 characters). */
export const newWebhookSecret = (): string => `whsec_${randomSecret(32)}`;

/** `we_` and 8 random bytes in hex. */
export const newEndpointId = (): string => randomId('we_', 8);

async function sealingKey(workerSecret: string): Promise<CryptoKey> {
  if (!workerSecret || workerSecret.length < 16) throw new Error('REF_HASH_SECRET is missing or too short');
  return derivedKey(workerSecret, {
    salt: 'attune/webhook-secret/v1',
    info: 'seal',
    algorithm: { name: 'AES-GCM', length: 256 },
    usages: ['encrypt', 'decrypt'],
  });
}

function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** `v1.<iv>.<ciphertext>` (base64url): what D1 stores. */
export async function sealSecret(workerSecret: string, endpointId: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: enc.encode(endpointId) },
    await sealingKey(workerSecret),
    enc.encode(secret),
  );
  return `${VERSION}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/** The secret back; throws when the box was sealed for another endpoint or under another Worker secret. */
export async function openSecret(workerSecret: string, endpointId: string, box: string): Promise<string> {
  const [version, iv, data] = box.split('.');
  if (version !== VERSION || !iv || !data) throw new Error('not a sealed webhook secret');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: enc.encode(endpointId) },
    await sealingKey(workerSecret),
    fromBase64url(data),
  );
  return new TextDecoder().decode(plain);
}
