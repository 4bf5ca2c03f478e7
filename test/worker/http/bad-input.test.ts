import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminCall, call, GOOD_PACING, GOOD_RATING, seedAdminKey, seedPlatform, sessionPath } from '../helpers.ts';

const MARKER = 'ECHO_MARKER_9f3b';

async function expectClientError(res: Response, status?: number) {
  const text = await res.text();
  if (status !== undefined) expect(res.status).toBe(status);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toMatch(/^[a-z_]+$/);
  expect(text).not.toContain(MARKER);
}

describe('bad input gets a 4xx JSON error that does not echo it', () => {
  it('unknown routes are 404 JSON, wrong methods 405 with Allow', async () => {
    await expectClientError(await call('/v1/nope'), 404);
    await expectClientError(await call(`/v1/${MARKER}`), 404);
    await expectClientError(await call('/v1/session/other'), 404);
    // The old routes with the session in the path are gone (no raw ref in any URL).
    await expectClientError(await call('/v1/sessions/x/rating', { method: 'POST' }), 404);
    const wrong = await call('/v1/session/rating', { method: 'GET' });
    expect(wrong.headers.get('Allow')).toBe('POST, OPTIONS');
    await expectClientError(wrong, 405);
    await expectClientError(await call('/v1/session/summary', { method: 'POST' }), 405);
    await expectClientError(await call('/v1/context', { method: 'DELETE' }), 405);
  });

  it('malformed JSON, wrong content type and a too-large body', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const path = sessionPath('rating');
    const send = (body: BodyInit, type = 'application/json', extra: Record<string, string> = {}) =>
      call(path, {
        method: 'POST',
        token,
        headers: { 'Content-Type': type, 'Idempotency-Key': 'bad-input-key-000001', ...extra },
        body,
      });
    await expectClientError(await send(`{"kind":"rating",${MARKER}`), 400);
    await expectClientError(await send(JSON.stringify(GOOD_RATING), 'text/plain'), 415);
    await expectClientError(await send(JSON.stringify(GOOD_RATING), 'application/x-www-form-urlencoded'), 415);
    await expectClientError(await send(JSON.stringify({ ...GOOD_RATING, pad: MARKER.repeat(3000) })), 413);
    await expectClientError(await send(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400);
    await expectClientError(await send(''), 400);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM ratings WHERE platform_id = ?1').bind(p.platformId).first('n'),
    ).toBe(0);
  });

  it('a batch of garbage bodies never produces a 500 nor an echo', async () => {
    const p = await seedPlatform();
    const client = await p.mint({});
    const therapist = await p.mint({ role: 'therapist' });
    const garbage: unknown[] = [
      null,
      0,
      -1,
      1e308,
      true,
      'string',
      MARKER,
      [],
      [MARKER],
      {},
      { kind: MARKER },
      { kind: 'rating' },
      { kind: 'rating', instrument: MARKER, version: 1, items: [] },
      { ...GOOD_RATING, version: MARKER },
      { ...GOOD_RATING, version: 1.5 },
      { ...GOOD_RATING, version: -1 },
      { ...GOOD_RATING, items: MARKER },
      { ...GOOD_RATING, items: [{ id: MARKER, value: 5 }] },
      { ...GOOD_RATING, items: [{ id: 'bond', value: MARKER }] },
      { ...GOOD_RATING, items: [{ id: 'bond', value: 11 }] },
      { ...GOOD_RATING, items: [{ id: 'bond', value: 5.55 }] },
      { ...GOOD_RATING, items: [{ id: 'bond', value: -0.1 }] },
      { ...GOOD_RATING, items: Array.from({ length: 200 }, () => ({ id: 'bond', value: 1 })) },
      { ...GOOD_RATING, items: GOOD_RATING.items.map((i) => ({ ...i, id: 'bond' })) },
      { ...GOOD_RATING, items: [...GOOD_RATING.items, { id: 'extra', value: 1 }] },
      { ...GOOD_RATING, version: 2 },
      { [MARKER]: { [MARKER]: MARKER } },
      { __proto__: { kind: 'rating' } },
      { ...GOOD_PACING, durationSeconds: -5 },
      { ...GOOD_PACING, durationSeconds: 10 },
      { ...GOOD_PACING, overlapCount: 0.5 },
    ];
    for (const body of garbage) {
      for (const [path, token] of [
        [sessionPath('rating'), client],
        [sessionPath('pacing'), therapist],
      ] as const) {
        const res = await call(path, {
          method: 'POST',
          token,
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
          body: JSON.stringify(body),
        });
        await expectClientError(res);
      }
    }
    // Raw text that is not JSON at all, and numbers JSON cannot hold.
    for (const raw of ['{', ']', 'NaN', '{"kind":"rating","version":1e999}', '\u0000', '{"a":' + '['.repeat(5000)]) {
      const res = await call(sessionPath('rating'), {
        method: 'POST',
        token: client,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: raw,
      });
      await expectClientError(res);
    }
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM ratings WHERE platform_id = ?1').bind(p.platformId).first('n'),
    ).toBe(0);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM pacing WHERE platform_id = ?1').bind(p.platformId).first('n'),
    ).toBe(0);
  });

  it('garbage paths and headers never produce a 500', async () => {
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist' });
    const paths = [
      '/v1/session/%E0%A4%A/summary',
      '/v1/session/%00',
      '/v1/session//summary',
      `/v1/session/${'a'.repeat(3000)}`,
      '/v1/sessions/%00/summary',
      '/v1/session/../context',
      '/v1/context/extra',
      '/v1/%2e%2e/dev/tokens',
      '/v1//context',
      '/openapi.json/x',
    ];
    for (const path of paths) {
      const res = await call(path, { token });
      expect(res.status, path).toBeLessThan(500);
    }
    for (const headers of [
      { Authorization: `Bearer ${MARKER}` },
      { Authorization: 'Bearer eyJhbGciOiJFZERTQSIsImtpZCI6MX0.e30.AAAA' },
      {
        Authorization: `Bearer ${btoa('{"alg":"EdDSA","kid":"' + "'; DROP TABLE ratings; --" + '"}').replace(/=/g, '')}.e30.AA`,
      },
      { Origin: MARKER },
      { Origin: 'null' },
    ] as Record<string, string>[]) {
      const res = await call(sessionPath('summary'), { headers });
      await expectClientError(res);
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await call(sessionPath('summary'), { method, token });
      expect(res.status, method).toBe(405);
    }
  });

  it('a body without Content-Length is read with a byte cap: 413 once past it, without reading the rest', async () => {
    const p = await seedPlatform();
    let pulled = 0;
    // An endless chunked body: buffering it whole would never finish.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new TextEncoder().encode(MARKER.repeat(64).slice(0, 1024)));
      },
    });
    const res = await call(sessionPath('rating'), {
      method: 'POST',
      token: await p.mint({}),
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'endless-body-key-00001' },
      body: endless,
    });
    await expectClientError(res, 413);
    expect(pulled).toBeLessThan(64 * 1024);
  });

  it('a key the schema does not have is not echoed back (found by the fuzz)', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const res = await adminCall('/v1/clients/erase', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ref: 'c1', client_name_jane: 'x' }),
    });
    const text = await res.clone().text();
    await expectClientError(res, 422);
    expect(text).not.toContain('client_name_jane');
  });
});
