import { afterEach, describe, expect, it, vi } from 'vitest';
import { derivedKey, type KeyUse } from '../../../worker/auth/derived-key.ts';

const hmac = (info: string, salt = 'attune/test/v1'): KeyUse => ({
  salt,
  info,
  algorithm: { name: 'HMAC', hash: 'SHA-256', length: 256 },
  usages: ['sign'],
});
const sign = async (key: CryptoKey) =>
  new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('x'))).join(',');

describe('keys derived from the Worker secret', () => {
  afterEach(() => vi.restoreAllMocks());

  it('derives a key once per secret and use, and a different key for another secret, salt or info', async () => {
    const derive = vi.spyOn(crypto.subtle, 'deriveKey');
    const secret = 'derived-key-test-secret-1';
    const a = await derivedKey(secret, hmac('a'));
    expect(await derivedKey(secret, hmac('a'))).toBe(a);
    expect(derive).toHaveBeenCalledTimes(1);
    const others = [
      await derivedKey(secret, hmac('b')),
      await derivedKey(secret, hmac('a', 'attune/other/v1')),
      await derivedKey('derived-key-test-secret-2', hmac('a')),
    ];
    expect(derive).toHaveBeenCalledTimes(4);
    const macs = await Promise.all([a, ...others].map(sign));
    expect(new Set(macs).size).toBe(4);
  });
});
