import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import app from '../../../worker/index.ts';
import { GOOD_RATING, seedPlatform } from '../helpers.ts';

async function devEnv(devMode: string | undefined) {
  const p = await seedPlatform({ origins: ['http://localhost:8788'] });
  return {
    p,
    env: {
      ...env,
      DEV_MODE: devMode,
      DEMO_PLATFORM_ID: p.platformId,
      DEMO_KID: p.kid,
      DEMO_PRIVATE_JWK: JSON.stringify(p.privateKey),
    },
  };
}

const devPost = (e: object, body?: unknown) =>
  app.fetch(
    new Request('http://localhost:8788/dev/tokens', {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    }),
    e,
  );

describe('POST /dev/tokens', () => {
  it('does not exist unless DEV_MODE is 1', async () => {
    for (const mode of [undefined, '0', 'true', '']) {
      const { env: e } = await devEnv(mode);
      const res = await devPost(e, {});
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route.' } });
    }
    // The default test env has no DEV_MODE unless a local .dev.vars sets it (wrangler reads it): force it off.
    expect((await devPost({ ...env, DEV_MODE: undefined }, {})).status).toBe(404);
  });

  it('with DEV_MODE=1 and caseload: true mints the demo therapist’s caseload token, which reads the caseload', async () => {
    const { env: e, p } = await devEnv('1');
    const res = await devPost(e, { caseload: true, locale: 'ar' });
    expect(res.status).toBe(200);
    const body = await res.json<{ caseload: string; api: string }>();
    expect(decodeJwt(body.caseload)).toMatchObject({
      iss: p.platformId,
      role: 'caseload',
      tid: 'demo-therapist',
      loc: 'ar',
    });
    expect(decodeJwt(body.caseload).sid).toBeUndefined();
    const read = await app.fetch(
      new Request('http://localhost:8788/v1/caseload', {
        method: 'POST',
        headers: { Authorization: `Bearer ${body.caseload}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ clients: ['demo-client'] }),
      }),
      e,
    );
    expect(read.status).toBe(200);
  });

  it('with DEV_MODE=1 mints a therapist and a client token that the API accepts', async () => {
    const { env: e, p } = await devEnv('1');
    const res = await devPost(e, { sid: 'demo-sess-1', minutes: 30 });
    expect(res.status).toBe(200);
    const body = await res.json<{ sid: string; therapist: string; client: string; api: string }>();
    expect(body.sid).toBe('demo-sess-1');
    expect(body.api).toBe('http://localhost:8788');
    const t = decodeJwt(body.therapist);
    const c = decodeJwt(body.client);
    expect(t).toMatchObject({ iss: p.platformId, role: 'therapist', sid: 'demo-sess-1', aud: 'attune' });
    expect(c).toMatchObject({ iss: p.platformId, role: 'client', sid: 'demo-sess-1' });
    expect((c.sched as { end: number; start: number }).end - (c.sched as { start: number }).start).toBe(1800);

    const rating = await app.fetch(
      new Request('http://localhost:8788/v1/session/rating', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${body.client}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify(GOOD_RATING),
      }),
      e,
    );
    expect(rating.status).toBe(201);
    const summary = await app.fetch(
      new Request('http://localhost:8788/v1/session/summary', {
        headers: { Authorization: `Bearer ${body.therapist}` },
      }),
      e,
    );
    expect(await summary.json()).toMatchObject({ status: 'rated', total: 36.2 });
  });

  it('mints in the chosen language, and for the quick-cues platform when asked (503 when that one is not seeded)', async () => {
    const { env: e } = await devEnv('1');
    const es = await (await devPost(e, { locale: 'es' })).json<{ client: string }>();
    expect(decodeJwt(es.client).loc).toBe('es');
    expect((await devPost(e, { locale: 'not a locale' })).status).toBe(422);
    // (A local .dev.vars from `npm start` may hold a quick platform: this case has none.)
    const noQuick = {
      ...e,
      DEMO_QUICK_PLATFORM_ID: undefined,
      DEMO_QUICK_KID: undefined,
      DEMO_QUICK_PRIVATE_JWK: undefined,
    };
    expect((await devPost(noQuick, { quick: true })).status).toBe(503);
    const quick = await seedPlatform({
      origins: ['http://localhost:8788'],
      settings: { cues: { quietStartSeconds: 20 } },
    });
    const both = {
      ...e,
      DEMO_QUICK_PLATFORM_ID: quick.platformId,
      DEMO_QUICK_KID: quick.kid,
      DEMO_QUICK_PRIVATE_JWK: JSON.stringify(quick.privateKey),
    };
    const res = await (await devPost(both, { quick: true })).json<{ therapist: string }>();
    expect(decodeJwt(res.therapist).iss).toBe(quick.platformId);
    const ctx = await app.fetch(
      new Request('http://localhost:8788/v1/context', { headers: { Authorization: `Bearer ${res.therapist}` } }),
      both,
    );
    expect(await ctx.json()).toMatchObject({ cues: { quietStartSeconds: 20 } });
  });

  it('answers CORS for the demo page’s registered origin only', async () => {
    const { env: e } = await devEnv('1');
    const pre = (origin: string) =>
      app.fetch(
        new Request('http://127.0.0.1:8787/dev/tokens', {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
        }),
        e,
      );
    const ok = await pre('http://localhost:8788');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:8788');
    expect((await pre('https://evil.example')).status).toBe(403);
    const post = (origin: string) =>
      app.fetch(new Request('http://127.0.0.1:8787/dev/tokens', { method: 'POST', headers: { Origin: origin } }), e);
    expect((await post('http://localhost:8788')).headers.get('Access-Control-Allow-Origin')).toBe(
      'http://localhost:8788',
    );
    expect((await post('https://evil.example')).headers.get('Access-Control-Allow-Origin')).toBeNull();
    const { env: off } = await devEnv(undefined);
    const hidden = await app.fetch(
      new Request('http://127.0.0.1:8787/dev/tokens', {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:8788' },
      }),
      off,
    );
    expect(hidden.status).toBe(404);
  });

  it('an empty body gives a fresh session; a bad body is a 4xx', async () => {
    const { env: e } = await devEnv('1');
    const a = await (await devPost(e)).json<{ sid: string }>();
    const b = await (await devPost(e)).json<{ sid: string }>();
    expect(a.sid).not.toBe(b.sid);
    expect((await devPost(e, { minutes: -3 })).status).toBe(422);
    expect((await devPost(e, { sid: 'has space' })).status).toBe(422);
  });
});
