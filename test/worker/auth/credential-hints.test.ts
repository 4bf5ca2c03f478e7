// A first integration's usual credential mistakes each get a 401 that says what to fix (the codes stay the same for
// every one of them, so nothing that handles them changes): an expired token, a kid that is not registered, a token
// signed with another key than its kid's, an admin key on a session route and a session token on an admin route.
import { describe, expect, it } from 'vitest';
import { mintToken } from '../../../sdk/mint-token.ts';
import { generateKey } from '../../../sdk/keys.ts';
import { adminCall, call, seedAdminKey, seedPlatform, sessionPath } from '../helpers.ts';

async function refusal(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

describe('credential refusals say what to fix', () => {
  it('names an expired session token as expired', async () => {
    const p = await seedPlatform();
    const token = await p.mint(
      { role: 'therapist', sub: p.refs.tid, ttlSeconds: 60 },
      { now: Math.floor(Date.now() / 1000) - 3600 },
    );
    const r = await refusal(await call(sessionPath('summary'), { token }));
    expect(r).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(r.message).toMatch(/expired: mint a new one/);
  });

  it('names an unregistered kid, and a token signed with another key than its kid’s', async () => {
    const p = await seedPlatform();
    const other = await generateKey('EdDSA');
    const claims = { role: 'therapist' as const, sub: p.refs.tid, ...p.refs };
    const unknownKid = await mintToken({ platformId: p.platformId, kid: other.kid, key: other.privateKey }, claims);
    const r1 = await refusal(await call(sessionPath('summary'), { token: unknownKid }));
    expect(r1).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(r1.message).toMatch(/kid is not registered/);
    const wrongKey = await mintToken({ platformId: p.platformId, kid: p.kid, key: other.privateKey }, claims);
    const r2 = await refusal(await call(sessionPath('summary'), { token: wrongKey }));
    expect(r2).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(r2.message).toMatch(/signed with another key/);
    const wrongIss = await mintToken({ platformId: 'plt_0000000000000000', kid: p.kid, key: p.privateKey }, claims);
    expect((await refusal(await call(sessionPath('summary'), { token: wrongIss }))).message).toMatch(/iss not/);
  });

  it('says which credential a route takes when it gets the other kind', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const onSession = await refusal(await call(sessionPath('summary'), { token: admin.key }));
    expect(onSession).toMatchObject({ status: 401, code: 'missing_token' });
    expect(onSession.message).toMatch(/session token .*not an admin key/);
    expect(onSession.message).not.toContain(admin.key);
    const token = await p.mint({ role: 'therapist', sub: p.refs.tid });
    const onAdmin = await refusal(await adminCall('/v1/reports/weeks', token));
    expect(onAdmin).toMatchObject({ status: 401, code: 'invalid_admin_key' });
    expect(onAdmin.message).toMatch(/takes an admin key/);
    const revoked = await refusal(await adminCall('/v1/reports/weeks', `attune_admin_${'A'.repeat(43)}`));
    expect(revoked.message).toBe('The admin key is invalid or revoked.');
  });

  it('tells a live socket opened with an Authorization header where its token goes', async () => {
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist', sub: p.refs.tid });
    const r = await refusal(await call('/v1/live', { token, headers: { Upgrade: 'websocket' } }));
    expect(r).toMatchObject({ status: 401, code: 'missing_token' });
    expect(r.message).toMatch(/Sec-WebSocket-Protocol/);
  });

  it('tells a page on an unregistered origin how to register it (preflight and request), without echoing it', async () => {
    const p = await seedPlatform({ origins: ['https://app.registered.example'] });
    const token = await p.mint({ role: 'therapist', sub: p.refs.tid });
    const origin = 'https://call.unregistered.example';
    const preflight = await call(sessionPath('summary'), {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    });
    const request = await call(sessionPath('summary'), { token, headers: { Origin: origin } });
    for (const res of [preflight, request]) {
      const r = await refusal(res);
      expect(r).toMatchObject({ status: 403, code: 'origin_not_allowed' });
      expect(r.message).toMatch(/npm run platform -- add-origin/);
      expect(r.message).not.toContain('unregistered');
    }
  });

  it('names the role a route takes when a token of another role comes', async () => {
    const p = await seedPlatform();
    const client = await p.mint({ role: 'client' });
    const caseload = await p.mint({ role: 'caseload', sub: p.refs.tid } as never);
    const onSummary = await refusal(await call(sessionPath('summary'), { token: caseload }));
    expect(onSummary).toMatchObject({ status: 403, code: 'wrong_role' });
    expect(onSummary.message).toBe('This route takes a session token whose role is therapist.');
    const onCaseload = await refusal(
      await call('/v1/caseload', {
        method: 'POST',
        token: client,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ clients: [p.refs.cid] }),
      }),
    );
    expect(onCaseload.message).toBe('This route takes a session token whose role is caseload.');
  });
});
