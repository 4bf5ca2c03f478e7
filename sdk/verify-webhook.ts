/**
 * Verifies an Attune webhook delivery on the platform's server and returns the event. Web Crypto only (Node 20+,
 * Workers, Deno, Bun).
 *
 * @example
 * import { verifyWebhook, WebhookVerificationError } from 'attune/server';
 * app.post('/attune/webhooks', async (req, res) => {
 *   let event;
 *   try {
 *     event = await verifyWebhook(req.rawBody, req.headers['attune-signature'], process.env.ATTUNE_WEBHOOK_SECRET);
 *   } catch (err) {
 *     return res.status(400).send('bad signature');
 *   }
 *   if (await alreadyHandled(event.id)) return res.status(200).end(); // a redelivery: same id
 *   ...
 * });
 */
import type { WebhookEvent } from '../schemas/webhook.ts';
import { computeSignature, constantTimeEqual, parseSignatureHeader } from './webhook-signature.ts';

export type { WebhookEvent, WebhookEventType } from '../schemas/webhook.ts';
export { SIGNATURE_HEADER } from './webhook-signature.ts';

/** Deliveries older (or further in the future) than this are refused: a captured request cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookVerificationFailure =
  | 'missing_header'
  | 'malformed_header'
  | 'timestamp_outside_tolerance'
  | 'bad_signature'
  | 'malformed_body';

export class WebhookVerificationError extends Error {
  readonly reason: WebhookVerificationFailure;
  constructor(reason: WebhookVerificationFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

export interface VerifyOptions {
  /** Seconds a delivery's timestamp may differ from now; default 300. */
  toleranceSeconds?: number;
  /** Now in epoch seconds (tests). */
  now?: number;
}

/**
 * Checks `header` (the `Attune-Signature` value) against the raw `body` exactly as received (the bytes or their
 * UTF-8 text: never a re-serialised JSON object), with one secret or several (during a rotation), then parses the
 * body. Throws WebhookVerificationError when the header is missing or malformed, the timestamp is outside the
 * tolerance, no signature matches, or the body is not an event.
 */
export async function verifyWebhook(
  body: string | Uint8Array | ArrayBuffer,
  header: string | null | undefined,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  if (!header) throw new WebhookVerificationError('missing_header', 'No Attune-Signature header.');
  const parsed = parseSignatureHeader(header);
  if (!parsed) throw new WebhookVerificationError('malformed_header', 'The Attune-Signature header is malformed.');
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_outside_tolerance',
      'The delivery timestamp is outside the tolerance.',
    );
  }
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new TypeError('verifyWebhook needs the endpoint signing secret (whsec_…).');
  }
  const expected = await Promise.all(secrets.map((s) => computeSignature(s, parsed.timestamp, text)));
  // Every pair is compared (no early exit), each in constant time.
  let match = false;
  for (const e of expected) for (const given of parsed.signatures) match = constantTimeEqual(e, given) || match;
  if (!match) throw new WebhookVerificationError('bad_signature', 'No signature matches the body.');
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('malformed_body', 'The body is not JSON.');
  }
  if (!isEvent(event)) throw new WebhookVerificationError('malformed_body', 'The body is not an Attune event.');
  return event;
}

/** The envelope every event has; fields added later pass through untouched. */
function isEvent(x: unknown): x is WebhookEvent {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    e.id.startsWith('evt_') &&
    typeof e.type === 'string' &&
    typeof e.created === 'number' &&
    typeof e.data === 'object' &&
    e.data !== null
  );
}
