import { base64url, importJWK, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, GOOD_PACING, GOOD_RATING, postJson, seedPlatform, sessionPath, type TestPlatform } from '../helpers.ts';

const enc = (o: object) => base64url.encode(JSON.stringify(o));
const now = () => Math.floor(Date.now() / 1000);

function claimsOf(p: TestPlatform, extra: Record<string, unknown> = {}) {
  return {
    iss: p.platformId,
    aud: 'attune',
    sub: p.refs.tid,
    role: 'therapist',
    ...p.refs,
    exp: now() + 600,
    ...extra,
  };
}

/** Signs arbitrary claims with the platform's real private key (to test claim checks, not signatures). */
async function signWith(p: TestPlatform, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importJWK(p.privateKey as JWK, 'EdDSA');
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: p.kid, ...header }).sign(key);
}

async function expectRejected(token: string, path: string, statuses = [401]) {
  const res = await call(path, { token });
  expect(statuses).toContain(res.status);
  const body = await res.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toMatch(/^[a-z_]+$/);
  expect(JSON.stringify(body)).not.toContain(token.slice(0, 20));
}

describe('token attack suite', () => {
  it('accepts a good token (control)', async () => {
    const p = await seedPlatform();
    const res = await call(sessionPath('summary'), { token: await signWith(p, claimsOf(p)) });
    expect(res.status).toBe(200);
  });

  it('rejects alg: none', async () => {
    const p = await seedPlatform();
    const token = `${enc({ alg: 'none', kid: p.kid, typ: 'JWT' })}.${enc(claimsOf(p))}.`;
    await expectRejected(token, sessionPath('summary'));
  });

  it('rejects an HS256 token signed with the Ed25519 public key as the HMAC secret', async () => {
    const p = await seedPlatform();
    const secrets = [
      JSON.stringify(p.publicJwk),
      p.publicJwk!.x!,
      new TextDecoder().decode(base64url.decode(p.publicJwk!.x!)),
    ];
    for (const s of secrets) {
      const token = await new SignJWT(claimsOf(p))
        .setProtectedHeader({ alg: 'HS256', kid: p.kid })
        .sign(new TextEncoder().encode(s));
      await expectRejected(token, sessionPath('summary'));
    }
  });

  it('rejects an EdDSA-looking token on an HS256 key, and an HS256 token signed with another secret', async () => {
    const p = await seedPlatform({ alg: 'HS256' });
    const forged = await new SignJWT(claimsOf(p))
      .setProtectedHeader({ alg: 'HS256', kid: p.kid })
      .sign(new TextEncoder().encode('x'.repeat(40)));
    await expectRejected(forged, sessionPath('summary'));
    const good = await p.mint({ role: 'therapist' });
    expect((await call(sessionPath('summary'), { token: good })).status).toBe(200);
  });

  it('rejects an unknown kid', async () => {
    const p = await seedPlatform();
    await expectRejected(await signWith(p, claimsOf(p), { kid: 'k_nonexistent' }), sessionPath('summary'));
  });

  it('rejects a token expired beyond the 60 s skew and accepts one within it', async () => {
    const p = await seedPlatform();
    await expectRejected(await signWith(p, claimsOf(p, { exp: now() - 90 })), sessionPath('summary'));
    const within = await call(sessionPath('summary'), { token: await signWith(p, claimsOf(p, { exp: now() - 30 })) });
    expect(within.status).toBe(200);
  });

  it('rejects nbf in the future beyond the skew and accepts it within', async () => {
    const p = await seedPlatform();
    await expectRejected(await signWith(p, claimsOf(p, { nbf: now() + 300 })), sessionPath('summary'));
    const within = await call(sessionPath('summary'), { token: await signWith(p, claimsOf(p, { nbf: now() + 30 })) });
    expect(within.status).toBe(200);
  });

  it('rejects a wrong aud', async () => {
    const p = await seedPlatform();
    await expectRejected(await signWith(p, claimsOf(p, { aud: 'livekit' })), sessionPath('summary'));
    await expectRejected(await signWith(p, claimsOf(p, { aud: ['attune', 'other'] })), sessionPath('summary'));
  });

  it('rejects a wrong iss, including another registered platform’s id', async () => {
    const p = await seedPlatform();
    const other = await seedPlatform();
    await expectRejected(await signWith(p, claimsOf(p, { iss: other.platformId })), sessionPath('summary'));
    await expectRejected(await signWith(p, claimsOf(p, { iss: 'nobody' })), sessionPath('summary'));
  });

  it('rejects a token with one flipped signature bit', async () => {
    const p = await seedPlatform();
    const token = await signWith(p, claimsOf(p));
    const [h, b, s] = token.split('.') as [string, string, string];
    const sig = base64url.decode(s);
    for (const bit of [0, 100, 8 * sig.length - 1]) {
      const flipped = Uint8Array.from(sig);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      await expectRejected(`${h}.${b}.${base64url.encode(flipped)}`, sessionPath('summary'));
    }
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const p = await seedPlatform();
    const [h, , s] = (await signWith(p, claimsOf(p, { role: 'client' }))).split('.');
    await expectRejected(`${h}.${enc(claimsOf(p))}.${s}`, sessionPath('summary'));
  });

  it('rejects a client token on the therapist summary route (403) and a therapist token on the rating route', async () => {
    const p = await seedPlatform();
    await expectRejected(await p.mint({ role: 'client' }), sessionPath('summary'), [403]);
    const res = await postJson(sessionPath('rating'), await p.mint({ role: 'therapist' }), GOOD_RATING);
    expect(res.status).toBe(403);
  });

  it('a token acts on its own session only (the session comes from the token, not the URL)', async () => {
    const p = await seedPlatform();
    expect((await postJson(sessionPath('rating'), await p.mint({ sid: 'session-A' }), GOOD_RATING)).status).toBe(201);
    const b = await call(sessionPath('summary'), { token: await p.mint({ role: 'therapist', sid: 'session-B' }) });
    expect(((await b.json()) as { status: string }).status).toBe('pending');
    const a = await call(sessionPath('summary'), { token: await p.mint({ role: 'therapist', sid: 'session-A' }) });
    expect(((await a.json()) as { status: string }).status).toBe('rated');
  });

  it('refuses tokens naming other participants for an already recorded session', async () => {
    const p = await seedPlatform();
    expect((await postJson(sessionPath('pacing'), await p.mint({ role: 'therapist' }), GOOD_PACING)).status).toBe(201);
    const otherClient = await postJson(sessionPath('rating'), await p.mint({ cid: 'someone-else' }), GOOD_RATING);
    expect(otherClient.status).toBe(403);
    await expectRejected(await p.mint({ role: 'therapist', tid: 'another-therapist' }), sessionPath('summary'), [403]);
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
  });

  it('rejects claims that fail the schema even when signed (missing cid, bad role)', async () => {
    const p = await seedPlatform();
    const { cid: _cid, ...noCid } = claimsOf(p);
    await expectRejected(await signWith(p, noCid), sessionPath('summary'));
    await expectRejected(await signWith(p, claimsOf(p, { role: 'admin' })), sessionPath('summary'));
    await expectRejected(await signWith(p, claimsOf(p, { exp: undefined })), sessionPath('summary'));
  });

  it('rejects a revoked key', async () => {
    const { env } = await import('cloudflare:workers');
    const p = await seedPlatform();
    await env.DB.prepare('UPDATE platform_keys SET revoked_at = ?1 WHERE kid = ?2').bind(now(), p.kid).run();
    await expectRejected(await signWith(p, claimsOf(p)), sessionPath('summary'));
  });

  it('rejects missing and malformed Authorization headers', async () => {
    await seedPlatform();
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Basic abc',
      'Bearer a.b',
      'Bearer ...',
      `Bearer ${'a'.repeat(5000)}.b.c`,
      'Bearer e30.e30.',
    ]) {
      const res = await call(
        sessionPath('summary'),
        header === undefined ? {} : { headers: { Authorization: header } },
      );
      expect(res.status).toBe(401);
    }
  });
});

describe('token lifetime', () => {
  const summary = sessionPath('summary');

  it('rejects a token that lives longer than 24 h (+60 s skew) and accepts one at 24 h', async () => {
    const p = await seedPlatform();
    await expectRejected(await signWith(p, claimsOf(p, { exp: now() + 25 * 3600 })), summary);
    await expectRejected(await signWith(p, claimsOf(p, { exp: now() + 24 * 3600 + 300 })), summary);
    expect((await call(summary, { token: await signWith(p, claimsOf(p, { exp: now() + 24 * 3600 })) })).status).toBe(
      200,
    );
  });

  it('rejects iat in the future beyond the 60 s skew and accepts it within', async () => {
    const p = await seedPlatform();
    await expectRejected(await signWith(p, claimsOf(p, { iat: now() + 300 })), summary);
    expect((await call(summary, { token: await signWith(p, claimsOf(p, { iat: now() + 30 })) })).status).toBe(200);
  });
});

describe('a rating queued offline, flushed after the token expired', () => {
  const DAY = 86_400;
  const clientClaims = (p: TestPlatform, exp: number) =>
    claimsOf(p, { role: 'client', sub: p.refs.cid, iat: exp - 4 * 3600, exp });

  it('is accepted on POST rating with the session’s own client token up to 7 days past exp', async () => {
    const p = await seedPlatform();
    const token = await signWith(p, clientClaims(p, now() - 2 * DAY));
    const res = await postJson(sessionPath('rating'), token, GOOD_RATING);
    expect(res.status).toBe(201);
  });

  it('the same expired token is refused everywhere else: summary, pacing, context, live', async () => {
    const p = await seedPlatform();
    const client = await signWith(p, clientClaims(p, now() - 2 * DAY));
    const therapist = await signWith(p, claimsOf(p, { exp: now() - 2 * DAY, iat: now() - 2 * DAY - 3600 }));
    await expectRejected(client, '/v1/context');
    await expectRejected(therapist, '/v1/context');
    await expectRejected(therapist, sessionPath('summary'));
    expect((await postJson(sessionPath('pacing'), therapist, GOOD_PACING)).status).toBe(401);
    // A therapist token, expired, on the rating route: still 401 (the grace is for the client's own rating only).
    expect((await postJson(sessionPath('rating'), therapist, GOOD_RATING)).status).toBe(401);
    const live = await call('/v1/live', {
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `attune.v1, bearer.${therapist}` },
    });
    expect(live.status).toBe(401);
  });

  it('is refused 8 days past exp', async () => {
    const p = await seedPlatform();
    const token = await signWith(p, clientClaims(p, now() - 8 * DAY));
    const res = await postJson(sessionPath('rating'), token, GOOD_RATING);
    expect(res.status).toBe(401);
  });

  it('the grace does not loosen nbf or iat', async () => {
    const p = await seedPlatform();
    const future = await signWith(p, { ...clientClaims(p, now() - DAY), nbf: now() + 3 * DAY });
    expect((await postJson(sessionPath('rating'), future, GOOD_RATING)).status).toBe(401);
  });
});

describe('the caseload token (role caseload: the therapist alone, no session, read-only)', () => {
  const caseload = (p: TestPlatform, tid = p.refs.tid, extra: Record<string, unknown> = {}) => {
    const { sid: _s, cid: _c, ...rest } = claimsOf(p, { role: 'caseload', sub: tid, tid, ...extra });
    return signWith(p, rest);
  };
  const ask = (token: string, clients: string[]) => postJson('/v1/caseload', token, { clients });

  it('reads the caseload (control), and nothing a session token reads or writes', async () => {
    const p = await seedPlatform();
    const token = await caseload(p);
    expect((await ask(token, [p.refs.cid])).status).toBe(200);
    expect((await postJson(sessionPath('rating'), token, GOOD_RATING)).status).toBe(403);
    expect((await postJson(sessionPath('pacing'), token, GOOD_PACING)).status).toBe(403);
    await expectRejected(token, sessionPath('summary'), [403]);
    await expectRejected(token, '/v1/trends', [403]);
    await expectRejected(token, '/v1/context', [403]);
    const live = await call('/v1/live', {
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `attune.v1, bearer.${token}` },
    });
    expect(live.status).toBe(403);
    // Nothing was recorded by any of those attempts.
    const { env } = await import('cloudflare:workers');
    const n = await env.DB.prepare('SELECT count(*) AS n FROM sessions WHERE platform_id = ?1')
      .bind(p.platformId)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it('a session token (therapist or client) cannot read the caseload', async () => {
    const p = await seedPlatform();
    expect((await ask(await p.mint({ role: 'therapist' }), [p.refs.cid])).status).toBe(403);
    expect((await ask(await p.mint({ role: 'client' }), [p.refs.cid])).status).toBe(403);
  });

  it('therapist A’s caseload token does not see therapist B’s client; another platform’s token sees nothing', async () => {
    const p = await seedPlatform();
    // Therapist B rates a session with client X.
    const b = { sid: 'b-session', tid: 'therapist-B', cid: 'client-X' };
    expect((await postJson(sessionPath('rating'), await p.mint(b), GOOD_RATING)).status).toBe(201);
    const seen = async (token: string) =>
      ((await (await ask(token, ['client-X'])).json()) as { clients: { rated: number; status: string }[] }).clients[0];
    expect(await seen(await caseload(p, 'therapist-B'))).toMatchObject({ rated: 1, status: 'too_few' });
    expect(await seen(await caseload(p, 'therapist-A'))).toMatchObject({ rated: 0, status: 'no_data' });
    const other = await seedPlatform();
    expect(await seen(await caseload(other, 'therapist-B'))).toMatchObject({ rated: 0, status: 'no_data' });
  });

  it('is refused expired, forged, on another iss, with a session id smuggled in a bad shape, or without tid', async () => {
    const p = await seedPlatform();
    const expired = await caseload(p, p.refs.tid, { exp: now() - 120 });
    expect((await ask(expired, ['c'])).status).toBe(401);
    const good = await caseload(p);
    const [h, body, s] = good.split('.') as [string, string, string];
    const forged = `${h}.${enc({ ...JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/'))), tid: 'therapist-B' })}.${s}`;
    expect((await ask(forged, ['c'])).status).toBe(401);
    const other = await seedPlatform();
    expect((await ask(await caseload(p, p.refs.tid, { iss: other.platformId }), ['c'])).status).toBe(401);
    const { tid: _t, ...noTid } = {
      iss: p.platformId,
      aud: 'attune',
      sub: 'x',
      role: 'caseload',
      tid: 'x',
      exp: now() + 600,
    };
    expect((await ask(await signWith(p, noTid), ['c'])).status).toBe(401);
    // Lives at most 24 h like every token.
    expect((await ask(await caseload(p, p.refs.tid, { exp: now() + 25 * 3600 }), ['c'])).status).toBe(401);
  });
});

describe('a valid token reaching past its scope', () => {
  it('trend of a reused sid: a therapist token naming a session recorded with another client is 403 session_mismatch, as summary and live are', async () => {
    const p = await seedPlatform();
    const sid = 'reused-sid-trend';
    expect((await postJson(sessionPath('rating'), await p.mint({ sid, cid: 'client-a' }), GOOD_RATING)).status).toBe(
      201,
    );
    // Another client, and another therapist: the recorded session (its instrument picks the trend's) is not theirs.
    for (const other of [{ cid: 'client-b' }, { tid: 'therapist-b' }]) {
      const res = await call('/v1/trends', { token: await p.mint({ sid, role: 'therapist', ...other }) });
      expect(res.status, JSON.stringify(other)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('session_mismatch');
    }
    // The session's own therapist reads it; so does any therapist before the session is recorded.
    expect(
      (await call('/v1/trends', { token: await p.mint({ sid, role: 'therapist', cid: 'client-a' }) })).status,
    ).toBe(200);
    expect((await call('/v1/trends', { token: await p.mint({ sid: 'not-yet', role: 'therapist' }) })).status).toBe(200);
  });
});
