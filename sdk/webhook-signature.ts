/**
 * The `Attune-Signature` header of a webhook delivery, in the form Stripe uses: `t=<unix seconds>,v1=<hex>` where
 * the hex is HMAC-SHA256 of `"<t>.<body>"` under the endpoint's signing secret (the UTF-8 bytes of the whole
 * `whsec_…` string). During a secret rotation the header carries one `v1=` per secret. Web Crypto only: the Worker
 * signs with it, receivers verify with it on Node, Workers, Deno and Bun.
 */
const enc = new TextEncoder();

/** The header every delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (one v1 per secret). */
export const SIGNATURE_HEADER = 'Attune-Signature';

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`. */
export async function computeSignature(secret: string, timestamp: number, body: string): Promise<string> {
  return hex(await crypto.subtle.sign('HMAC', await hmacKey(secret), enc.encode(`${timestamp}.${body}`)));
}

/**
 * The header value for `body` signed at `timestamp` (epoch seconds) with each of `secrets`. Also what a receiver's
 * own tests use to sign a sample delivery.
 *
 * @example
 * const header = await signatureHeader([process.env.ATTUNE_WEBHOOK_SECRET], Math.floor(Date.now() / 1000), body);
 */
export async function signatureHeader(secrets: readonly string[], timestamp: number, body: string): Promise<string> {
  const signatures = await Promise.all(secrets.map((s) => computeSignature(s, timestamp, body)));
  return [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(',');
}

/** The parts of a header: its timestamp and every v1 signature (other schemes are ignored); null when malformed. */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** Compares two equal-length hex strings in time that does not depend on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
