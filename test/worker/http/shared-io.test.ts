import { env, exports } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { verifyToken } from '../../../worker/auth/verify-token.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { originRegistered } from '../../../worker/db/registered-origins.ts';
import { seedPlatform } from '../helpers.ts';

describe('no I/O shared across requests', () => {
  it('concurrent preflights for one origin, the first aborted: the others still get their answer', async () => {
    const origin = `https://abort-${crypto.randomUUID()}.example`;
    await seedPlatform({ origins: [origin] });
    const preflight = (signal?: AbortSignal) =>
      exports.default.fetch(
        new Request('https://api.attune.test/v1/context', {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
          signal: signal ?? null,
        }),
      );
    const abort = new AbortController();
    const first = preflight(abort.signal);
    const rest = [preflight(), preflight(), preflight()];
    abort.abort();
    await first.catch(() => null);
    const answers = await Promise.all(rest);
    expect(answers.map((r) => r.status)).toEqual([204, 204, 204]);
  });
});

/** A D1 stand-in whose lookups answer only when the test says so (or never). */
function heldDb() {
  const calls: ((row: unknown) => void)[] = [];
  const db = {
    prepare: () => ({ bind: () => ({ first: () => new Promise((resolve) => calls.push(resolve)) }) }),
  };
  return { d1: db as unknown as D1Database, calls };
}

/** 'pending' when `p` has not settled once every queued microtask and macrotask has run. */
async function stateOf(p: Promise<unknown>): Promise<unknown> {
  const pending = Symbol('pending');
  const settled = p.then(
    (v) => v,
    (e: unknown) => (e instanceof Error ? e.message : e),
  );
  await new Promise((r) => setTimeout(r, 0));
  return Promise.race([settled, Promise.resolve(pending)]).then((v) => (v === pending ? 'pending' : v));
}

describe('originRegistered: settled answers only', () => {
  it('a second request never waits on the lookup of a first one that never finished (aborted)', async () => {
    const { d1, calls } = heldDb();
    const held = `https://held-${crypto.randomUUID()}.example`;
    // Request A starts the lookup; its request is cancelled, so its lookup never settles.
    const a = originRegistered(d1, held, 'p1');
    // Request B asks the same question: it runs its own lookup.
    const b = originRegistered(d1, held, 'p1');
    expect(calls).toHaveLength(2);
    calls[1]!({ ok: 1 });
    expect(await b).toBe(true);
    expect(await stateOf(a)).toBe('pending');
    // B's settled answer is cached: C needs no lookup.
    expect(await originRegistered(d1, held, 'p1')).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('every lookup has a timeout: a D1 that never answers gives a 503 lookup_timeout, not a hang', async () => {
    const { d1 } = heldDb();
    const p = originRegistered(d1, `https://never-${crypto.randomUUID()}.example`, 'p1', Date.now(), 1);
    await expect(p).rejects.toMatchObject({ status: 503, code: 'lookup_timeout' });
  });
});

describe('the key caches hold settled keys only', () => {
  it('hashRef: a second request does not wait on a key derivation another request started and never finished', async () => {
    const real = crypto.subtle.deriveKey.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, 'deriveKey');
    spy.mockImplementationOnce(() => new Promise<CryptoKey>(() => {}));
    spy.mockImplementation(real);
    try {
      const platform = `plt_${crypto.randomUUID()}`;
      const a = hashRef(env.REF_HASH_SECRET, platform, 'sid', 'x');
      const b = hashRef(env.REF_HASH_SECRET, platform, 'sid', 'x');
      expect(await b).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await stateOf(a)).toBe('pending');
    } finally {
      spy.mockRestore();
    }
  });

  it('verifyToken: a second request does not wait on a key import another request started and never finished', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const real = crypto.subtle.importKey.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, 'importKey');
    spy.mockImplementationOnce(() => new Promise<CryptoKey>(() => {}));
    spy.mockImplementation(real);
    try {
      const a = verifyToken(env.DB, token);
      await stateOf(a);
      const b = verifyToken(env.DB, token);
      expect(await b).toMatchObject({ ok: true });
    } finally {
      spy.mockRestore();
    }
  });

  it('verifyToken: a key lookup that never answers ends in 503 lookup_timeout', async () => {
    const { d1 } = heldDb();
    const p = await seedPlatform();
    await expect(verifyToken(d1, await p.mint({}), { timeoutMs: 1 })).rejects.toMatchObject({
      status: 503,
      code: 'lookup_timeout',
    });
  });
});
