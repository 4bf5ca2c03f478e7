// `verifyWebhook` from attune/server, in Node: what a platform's receiver runs on every delivery.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signatureHeader,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookVerificationFailure,
} from '../../sdk/server.ts';

const SECRET = 'whsec_Yk3o2m4Vg2m0qWn8J0m1yq3m4h5b6n7m8v9c0x1z2a3';
const NOW = 1_900_000_000;
const event = {
  id: 'evt_0123456789abcdef01234567',
  type: 'rating.created',
  created: NOW - 2,
  platform: 'plt_demo',
  data: { session: 's-1', therapist: 't-1', client: 'c-1', summary: { status: 'rated' } },
};
const body = JSON.stringify(event);

async function refused(p: Promise<unknown>): Promise<WebhookVerificationFailure> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookVerificationError);
    return (err as WebhookVerificationError).reason;
  }
  throw new Error('accepted');
}

describe('verifyWebhook', () => {
  it('accepts a delivery signed as Attune signs it, and returns the event', async () => {
    const header = await signatureHeader([SECRET], NOW, body);
    // The format is Stripe's: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>"> (checked against Node's own HMAC).
    const hmac = createHmac('sha256', SECRET).update(`${NOW}.${body}`).digest('hex');
    expect(header).toBe(`t=${NOW},v1=${hmac}`);
    await expect(verifyWebhook(body, header, SECRET, { now: NOW + 10 })).resolves.toEqual(event);
    // Bytes as received work the same.
    await expect(verifyWebhook(new TextEncoder().encode(body), header, SECRET, { now: NOW })).resolves.toEqual(event);
  });

  it('refuses a bad signature: another secret, a changed body, a changed timestamp', async () => {
    const header = await signatureHeader([SECRET], NOW, body);
    expect(await refused(verifyWebhook(body, header, 'whsec_another', { now: NOW }))).toBe('bad_signature');
    const tampered = body.replace('"c-1"', '"c-2"');
    expect(await refused(verifyWebhook(tampered, header, SECRET, { now: NOW }))).toBe('bad_signature');
    const moved = header.replace(`t=${NOW}`, `t=${NOW + 1}`);
    expect(await refused(verifyWebhook(body, moved, SECRET, { now: NOW }))).toBe('bad_signature');
    const flipped = header.slice(0, -1) + (header.endsWith('0') ? '1' : '0');
    expect(await refused(verifyWebhook(body, flipped, SECRET, { now: NOW }))).toBe('bad_signature');
  });

  it('refuses an old (replayed) or future timestamp outside the tolerance (300 s by default)', async () => {
    const header = await signatureHeader([SECRET], NOW, body);
    await expect(verifyWebhook(body, header, SECRET, { now: NOW + 300 })).resolves.toBeDefined();
    expect(await refused(verifyWebhook(body, header, SECRET, { now: NOW + 301 }))).toBe('timestamp_outside_tolerance');
    expect(await refused(verifyWebhook(body, header, SECRET, { now: NOW - 301 }))).toBe('timestamp_outside_tolerance');
    await expect(
      verifyWebhook(body, header, SECRET, { now: NOW + 3600, toleranceSeconds: 7200 }),
    ).resolves.toBeDefined();
  });

  it('refuses a missing or malformed header, and a body that is not an event', async () => {
    expect(await refused(verifyWebhook(body, undefined, SECRET))).toBe('missing_header');
    expect(await refused(verifyWebhook(body, '', SECRET))).toBe('missing_header');
    expect(await refused(verifyWebhook(body, 'v1=abc', SECRET))).toBe('malformed_header');
    expect(await refused(verifyWebhook(body, `t=${NOW}`, SECRET, { now: NOW }))).toBe('malformed_header');
    const notEvent = '{"hello":"world"}';
    const signed = await signatureHeader([SECRET], NOW, notEvent);
    expect(await refused(verifyWebhook(notEvent, signed, SECRET, { now: NOW }))).toBe('malformed_body');
    await expect(verifyWebhook(body, await signatureHeader([SECRET], NOW, body), [], { now: NOW })).rejects.toThrow(
      TypeError,
    );
  });

  it('during a rotation a header with both signatures verifies under either secret', async () => {
    const next = 'whsec_next-secret-0123456789abcdefghijklmnopqrstuv';
    const header = await signatureHeader([next, SECRET], NOW, body);
    expect(header.split(',')).toHaveLength(3);
    await expect(verifyWebhook(body, header, SECRET, { now: NOW })).resolves.toEqual(event);
    await expect(verifyWebhook(body, header, next, { now: NOW })).resolves.toEqual(event);
    // A receiver may hold both secrets while it rolls over.
    const onlyNext = await signatureHeader([next], NOW, body);
    await expect(verifyWebhook(body, onlyNext, [SECRET, next], { now: NOW })).resolves.toEqual(event);
    expect(await refused(verifyWebhook(body, onlyNext, [SECRET], { now: NOW }))).toBe('bad_signature');
  });
});
