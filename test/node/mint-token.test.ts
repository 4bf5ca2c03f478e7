import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKey, publicJwkOf } from '../../sdk/keys.ts';
import { DEFAULT_TTL_SECONDS, MintError, mintToken } from '../../sdk/mint-token.ts';

const claims = { role: 'client' as const, sub: 'u-1', sid: 's-1', tid: 't-1', cid: 'u-1' };

describe('mintToken', () => {
  it('EdDSA: signs with the private JWK; the public JWK verifies; kid, iss, aud, 4 h default', async () => {
    const key = await generateKey('EdDSA');
    const now = 1_900_000_000;
    const jwt = await mintToken({ platformId: 'plt_a', kid: key.kid, key: key.privateKey }, claims, { now });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
    const pub = await importJWK('publicJwk' in key.stored ? key.stored.publicJwk : {}, 'EdDSA');
    const { payload } = await jwtVerify(jwt, pub, {
      currentDate: new Date(now * 1000),
      audience: 'attune',
      issuer: 'plt_a',
    });
    expect(payload).toEqual({ ...claims, iss: 'plt_a', aud: 'attune', iat: now, exp: now + DEFAULT_TTL_SECONDS });
    expect(DEFAULT_TTL_SECONDS).toBe(4 * 3600);
  });

  it('accepts the private JWK as a JSON string (as kept in an env var)', async () => {
    const key = await generateKey('EdDSA');
    const jwt = await mintToken({ platformId: 'plt_a', kid: key.kid, key: JSON.stringify(key.privateKey) }, claims);
    expect(decodeProtectedHeader(jwt).alg).toBe('EdDSA');
  });

  it('HS256: signs with the shared secret; refuses secrets under 32 bytes', async () => {
    const key = await generateKey('HS256');
    const jwt = await mintToken(
      { platformId: 'plt_b', kid: key.kid, key: key.privateKey, alg: 'HS256' },
      { ...claims, ttlSeconds: 60 },
    );
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(key.privateKey as string), {
      algorithms: ['HS256'],
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(60);
    await expect(mintToken({ platformId: 'plt_b', kid: 'k', key: 'too-short', alg: 'HS256' }, claims)).rejects.toThrow(
      MintError,
    );
  });

  it('refuses a public JWK for EdDSA, bad claims and out-of-range lifetimes', async () => {
    const key = await generateKey('EdDSA');
    const signing = { platformId: 'plt_a', kid: key.kid, key: key.privateKey };
    await expect(mintToken({ ...signing, key: publicJwkOf(key.privateKey as never) }, claims)).rejects.toThrow(
      MintError,
    );
    await expect(mintToken(signing, { ...claims, sid: '' })).rejects.toThrow(/sid/);
    await expect(mintToken(signing, { ...claims, role: 'admin' as never })).rejects.toThrow(/role/);
    await expect(mintToken(signing, { ...claims, ttlSeconds: 0 })).rejects.toThrow(MintError);
    await expect(mintToken(signing, { ...claims, ttlSeconds: 7 * 24 * 3600 })).rejects.toThrow(MintError);
  });

  it('says how to fix what a first integration gets wrong: an unset key, kid or platform id, a cut JWK, a name as a ref', async () => {
    const key = await generateKey('EdDSA');
    const signing = { platformId: 'plt_a', kid: key.kid, key: key.privateKey };
    const env: Record<string, string | undefined> = {}; // the variables were never set where the token is minted
    const refusal = (p: Promise<string>) =>
      p.then(
        () => new MintError('minted'),
        (e: unknown) => e as MintError,
      );
    const missingKey = await refusal(mintToken({ ...signing, key: env.ATTUNE_PRIVATE_KEY as never }, claims));
    expect(missingKey).toBeInstanceOf(MintError);
    expect(missingKey.name).toBe('MintError');
    expect(missingKey.message).toMatch(/^key is missing/);
    const missingKid = await refusal(mintToken({ ...signing, kid: env.ATTUNE_KID as never }, claims));
    expect(missingKid.message).toMatch(/^kid is missing/);
    const missingPlatform = await refusal(
      mintToken({ ...signing, platformId: env.ATTUNE_PLATFORM_ID as never }, claims),
    );
    expect(missingPlatform.message).toMatch(/platformId/);
    const cut = await refusal(mintToken({ ...signing, key: JSON.stringify(key.privateKey).slice(0, 30) }, claims));
    expect(cut).toBeInstanceOf(MintError);
    expect(cut.message).toMatch(/not valid JSON/);
    const name = await refusal(mintToken(signing, { ...claims, cid: 'José Álvarez' }));
    expect(name.message).toMatch(/cid \(printable ASCII/);
  });

  it('the generated HS256 secret is 32 random bytes, the Ed25519 stored half has no private part', async () => {
    const hs = await generateKey('HS256');
    expect(hs.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hs.stored).toEqual({ secret: hs.privateKey });
    const ed = await generateKey('EdDSA');
    expect('publicJwk' in ed.stored && 'd' in ed.stored.publicJwk).toBe(false);
    expect((await generateKey('HS256')).privateKey).not.toBe(hs.privateKey);
  });
});
