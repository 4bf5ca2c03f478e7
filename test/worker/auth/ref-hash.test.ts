import { describe, expect, it } from 'vitest';
import { hashRef } from '../../../worker/auth/ref-hash.ts';

const SECRET = 'unit-test-secret-0123456789';

describe('refs', () => {
  it('hashes are keyed per platform, per kind and per secret, and deterministic', async () => {
    const a = await hashRef(SECRET, 'plt_a', 'cid', 'client-1');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await hashRef(SECRET, 'plt_a', 'cid', 'client-1')).toBe(a);
    expect(await hashRef(SECRET, 'plt_b', 'cid', 'client-1')).not.toBe(a);
    expect(await hashRef(SECRET, 'plt_a', 'tid', 'client-1')).not.toBe(a);
    expect(await hashRef(`${SECRET}x`, 'plt_a', 'cid', 'client-1')).not.toBe(a);
    await expect(hashRef('', 'plt_a', 'cid', 'x')).rejects.toThrow();
  });
});
