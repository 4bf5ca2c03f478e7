import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../sdk/keys.ts';
import { AccessToken, CaseloadToken, MintError } from '../../sdk/server.ts';

const who = { identity: 'u-1', role: 'client', session: 's-1', therapist: 't-1', client: 'u-1' } as const;

describe('AccessToken', () => {
  it('maps the options to the claims: sub, sid, tid, cid, loc, ins, sched; 4 h by default', async () => {
    const key = await generateKey('EdDSA');
    const at = new AccessToken('plt_a', key.kid, key.privateKey, { ...who, locale: 'es', instrument: 'srs' });
    at.setSchedule(new Date(1_900_000_000_000), 1_900_003_000);
    const jwt = await at.toJwt({ now: 1_899_999_000 });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
    expect(decodeJwt(jwt)).toEqual({
      iss: 'plt_a',
      aud: 'attune',
      sub: 'u-1',
      role: 'client',
      sid: 's-1',
      tid: 't-1',
      cid: 'u-1',
      loc: 'es',
      ins: 'srs',
      sched: { start: 1_900_000_000, end: 1_900_003_000 },
      iat: 1_899_999_000,
      exp: 1_899_999_000 + 4 * 3600,
    });
  });

  it('HS256 with a shared secret; refuses a bad ref, a bad schedule and a lifetime over 24 h', async () => {
    const key = await generateKey('HS256');
    expect(decodeProtectedHeader(await new AccessToken('plt_b', key.kid, key.privateKey, who).toJwt()).alg).toBe(
      'HS256',
    );
    await expect(
      new AccessToken('plt_b', key.kid, key.privateKey, { ...who, session: 'has space' }).toJwt(),
    ).rejects.toThrow(/sid/);
    await expect(
      new AccessToken('plt_b', key.kid, key.privateKey, who).setSchedule(2000, 1000).toJwt(),
    ).rejects.toThrow(MintError);
    await expect(
      new AccessToken('plt_b', key.kid, key.privateKey, { ...who, ttl: 24 * 3600 + 1 }).toJwt(),
    ).rejects.toThrow(MintError);
  });
});

describe('CaseloadToken', () => {
  it('names the therapist alone (tid and sub), no session or client; 1 h by default; refuses a bad ref', async () => {
    const key = await generateKey('EdDSA');
    const jwt = await new CaseloadToken('plt_a', key.kid, key.privateKey, { therapist: 't-1', locale: 'fr' }).toJwt({
      now: 1_900_000_000,
    });
    expect(decodeJwt(jwt)).toEqual({
      iss: 'plt_a',
      aud: 'attune',
      sub: 't-1',
      role: 'caseload',
      tid: 't-1',
      loc: 'fr',
      iat: 1_900_000_000,
      exp: 1_900_000_000 + 3600,
    });
    await expect(
      new CaseloadToken('plt_a', key.kid, key.privateKey, { therapist: 'has space' }).toJwt(),
    ).rejects.toBeInstanceOf(MintError);
    await expect(
      new CaseloadToken('plt_a', key.kid, key.privateKey, { therapist: 't-1', ttl: 25 * 3600 }).toJwt(),
    ).rejects.toBeInstanceOf(MintError);
  });
});
