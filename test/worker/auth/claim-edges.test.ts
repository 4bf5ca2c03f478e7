// Signed with the platform's real key, claims of the wrong shape are refused (401) on every edge a token holder could
// try: numbers that are not whole epoch seconds, strings for numbers, an audience array, a `__proto__` claim trying to
// change the role. Extra claims and a header `jwk` are ignored (the key always comes from D1 by kid).
import { importJWK, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, seedPlatform, sessionPath, type TestPlatform } from '../helpers.ts';

const now = () => Math.floor(Date.now() / 1000);

async function signWith(p: TestPlatform, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importJWK(p.privateKey as JWK, 'EdDSA');
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: p.kid, ...header }).sign(key);
}

describe('signed claims of the wrong shape', () => {
  it('are refused 401; extra claims, a `jwk` header and a `__proto__` claim change nothing', async () => {
    const p = await seedPlatform();
    const base = { iss: p.platformId, aud: 'attune', sub: p.refs.tid, role: 'therapist', ...p.refs, exp: now() + 600 };
    const summary = async (claims: Record<string, unknown>, header?: Record<string, unknown>) =>
      (await call(sessionPath('summary'), { token: await signWith(p, claims, header) })).status;

    expect(await summary(base)).toBe(200); // control
    for (const bad of [
      { aud: ['attune'] },
      { aud: ['attune', 'other'] },
      { exp: now() + 600.5 },
      { exp: String(now() + 600) },
      { exp: 1e300 },
      { exp: -1 },
      { iat: now() - 0.5 },
      { iat: 'yesterday' },
      { nbf: -5 },
      { nbf: now() + 0.5 },
      { role: 'Therapist' },
      { sid: '' },
      { cid: 'with space' },
    ])
      expect(await summary({ ...base, ...bad }), JSON.stringify(bad)).toBe(401);

    const extra = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x${i}`, i]));
    expect(await summary({ ...base, ...extra })).toBe(200);
    expect(await summary(base, { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } })).toBe(200);
    // JSON.parse makes `__proto__` an own claim; the role stays the signed one (a therapist cannot become a client).
    const proto = JSON.parse(`{"__proto__":{"role":"client"}}`) as Record<string, unknown>;
    expect(await summary({ ...base, ...proto })).toBe(200);
    expect(
      (await call(sessionPath('rating'), { method: 'POST', token: await signWith(p, { ...base, ...proto }) })).status,
    ).toBe(403);
  });
});
