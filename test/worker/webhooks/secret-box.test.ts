// The sealing key is derived once per Worker secret and isolate, not once per seal or open (every delivery opens
// its endpoint's secret); a rotated secret derives its own key.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newEndpointId, newWebhookSecret, openSecret, sealSecret } from '../../../worker/webhooks/secret-box.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sealing key', () => {
  it('is derived once for two seals and opens, and again for a rotated Worker secret', async () => {
    // Fresh secrets: no other test in this isolate has derived their keys.
    const before = `box-test-${crypto.randomUUID()}`;
    const after = `box-test-${crypto.randomUUID()}`;
    const derive = vi.spyOn(crypto.subtle, 'deriveKey');
    const id = newEndpointId();
    const secret = newWebhookSecret();

    const box = await sealSecret(before, id, secret);
    expect(await openSecret(before, id, box)).toBe(secret);
    const box2 = await sealSecret(before, id, secret);
    expect(await openSecret(before, id, box2)).toBe(secret);
    expect(derive).toHaveBeenCalledTimes(1);

    // Rotation: the new secret's key is derived on its first use, and it does not open the old boxes.
    const rotated = await sealSecret(after, id, secret);
    expect(derive).toHaveBeenCalledTimes(2);
    expect(await openSecret(after, id, rotated)).toBe(secret);
    await expect(openSecret(after, id, box)).rejects.toThrow();
    await expect(openSecret(before, id, rotated)).rejects.toThrow();
    // The old secret's key is still the cached one.
    expect(await openSecret(before, id, box)).toBe(secret);
    expect(derive).toHaveBeenCalledTimes(2);
  });
});
