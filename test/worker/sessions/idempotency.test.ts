import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GOOD_PACING, GOOD_RATING, call, postJson, ratingRequest, seedPlatform, sessionPath } from '../helpers.ts';

const post = (path: string, token: string, key: string, body: unknown) =>
  postJson(path, token, body, { 'Idempotency-Key': key });

async function ratingRows(platformId: string) {
  return (await env.DB.prepare('SELECT items, rated_at FROM ratings WHERE platform_id = ?1').bind(platformId).all())
    .results;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('idempotency and exactly one rating', () => {
  it('an identical retry returns the stored response, status and body', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const key = 'retry-key-0000000001';
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await post(sessionPath('rating'), token, key, GOOD_RATING);
    const firstBody = await first.text();
    expect(first.status).toBe(201);
    vi.setSystemTime(Date.now() + 5000); // a new receivedAt would show if it were recomputed
    const again = await post(sessionPath('rating'), token, key, GOOD_RATING);
    expect(again.status).toBe(201);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await ratingRows(p.platformId)).toHaveLength(1);
  });

  it('the same key with a different body is 409 idempotency_conflict and changes nothing', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const key = 'conflict-key-00000001';
    expect((await post(sessionPath('rating'), token, key, GOOD_RATING)).status).toBe(201);
    const before = await ratingRows(p.platformId);
    const other = { ...GOOD_RATING, items: GOOD_RATING.items.map((i) => ({ ...i, value: 2 })) };
    const res = await post(sessionPath('rating'), token, key, other);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'idempotency_conflict', message: expect.any(String) } });
    expect(await ratingRows(p.platformId)).toEqual(before);
  });

  it('a second rating under another key is 409 already_rated and changes nothing', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    expect((await post(sessionPath('rating'), token, 'first-key-000000001', GOOD_RATING)).status).toBe(201);
    const before = await ratingRows(p.platformId);
    const res = await post(sessionPath('rating'), token, 'second-key-00000001', { kind: 'declined' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('already_rated');
    expect(await ratingRows(p.platformId)).toEqual(before);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM idempotency WHERE platform_id = ?1')
        .bind(p.platformId)
        .first('n'),
    ).toBe(1);
  });

  it('concurrent submissions under different keys store exactly one rating', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(sessionPath('rating'), token, `race-key-${i}-000000000`, GOOD_RATING)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(await ratingRows(p.platformId)).toHaveLength(1);
  });

  it('concurrent identical retries all get the one stored response', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(sessionPath('rating'), token, 'same-key-0000000000', GOOD_RATING)),
    );
    const bodies = await Promise.all(results.map((r) => r.text()));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(bodies).size).toBe(1);
    expect(await ratingRows(p.platformId)).toHaveLength(1);
  });

  it('a key reused on another session is another request there, neither a replay nor a conflict (keys are per session)', async () => {
    const p = await seedPlatform();
    const key = 'reused-key-00000001';
    expect((await post(sessionPath('rating'), await p.mint({ sid: 'sess-a' }), key, GOOD_RATING)).status).toBe(201);
    const res = await post(sessionPath('rating'), await p.mint({ sid: 'sess-b' }), key, GOOD_RATING);
    expect(res.status).toBe(201);
    expect(res.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await ratingRows(p.platformId)).toHaveLength(2);
  });

  it('pacing: exactly once, 409 already_recorded for a second write', async () => {
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist' });
    expect((await post(sessionPath('pacing'), token, 'pacing-key-00000001', GOOD_PACING)).status).toBe(201);
    expect((await post(sessionPath('pacing'), token, 'pacing-key-00000001', GOOD_PACING)).status).toBe(201);
    const second = await post(sessionPath('pacing'), token, 'pacing-key-00000002', { ...GOOD_PACING, cuesShown: 9 });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('already_recorded');
    expect(
      await env.DB.prepare('SELECT cues_shown FROM pacing WHERE platform_id = ?1')
        .bind(p.platformId)
        .first('cues_shown'),
    ).toBe(2);
  });

  it('Idempotency-Key is required and checked', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const missing = await call(sessionPath('rating'), {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(GOOD_RATING),
    });
    expect(missing.status).toBe(400);
    expect((await post(sessionPath('rating'), token, 'short', GOOD_RATING)).status).toBe(400);
    expect((await post(sessionPath('rating'), token, 'has spaces in it 12345', GOOD_RATING)).status).toBe(400);
    expect(await ratingRows(p.platformId)).toHaveLength(0);
  });
});

describe('the publish after a committed write', () => {
  it('runs under waitUntil, so a client that goes away cannot cancel it', async () => {
    const p = await seedPlatform();
    const { default: worker } = await import('../../../worker/index.ts');
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (q: Promise<unknown>) => waited.push(q), passThroughOnException: () => {}, props: {} };
    const res = await worker.fetch(
      ratingRequest(await p.mint({}), 'wait-until-key-000001'),
      env as never,
      ctx as never,
    );
    expect(res.status).toBe(201);
    expect(waited.length).toBeGreaterThanOrEqual(1);
    await Promise.all(waited);
    const stored = await env.DB.prepare('SELECT body FROM idempotency WHERE platform_id = ?1')
      .bind(p.platformId)
      .first<{ body: string }>();
    expect(JSON.parse(stored!.body)).toMatchObject({ status: 'rated', delivered: false });
  });

  it('a replay that finds the stored body never finalized (first request cut off) publishes again and finalizes it, without polling', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const key = 'cut-off-key-000000001';
    expect((await post(sessionPath('rating'), token, key, GOOD_RATING)).status).toBe(201);
    // As if the first request had been cancelled after the commit: the stored body has no `delivered`.
    const { body: finalBody } = (await env.DB.prepare('SELECT body FROM idempotency WHERE platform_id = ?1')
      .bind(p.platformId)
      .first<{ body: string }>())!;
    const { delivered: _d, ...cut } = JSON.parse(finalBody) as Record<string, unknown>;
    await env.DB.prepare('UPDATE idempotency SET body = ?2 WHERE platform_id = ?1')
      .bind(p.platformId, JSON.stringify(cut))
      .run();

    // The therapist is online now; the replay's publish reaches the socket.
    const live = await call('/v1/live', {
      headers: {
        Upgrade: 'websocket',
        'Sec-WebSocket-Protocol': `attune.v1, bearer.${await p.mint({ role: 'therapist' })}`,
      },
    });
    const ws = live.webSocket!;
    const rated = new Promise<boolean>((resolve) =>
      ws.addEventListener('message', (e) => {
        if ((JSON.parse(String(e.data)) as { summary: { status: string } }).summary.status === 'rated') resolve(true);
      }),
    );
    ws.accept();

    // Without polling: with timers frozen, a replay that waited on one would never answer (the test would time out).
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const replay = await post(sessionPath('rating'), token, key, GOOD_RATING);
    vi.useRealTimers();
    expect(replay.status).toBe(201);
    const body = await replay.json<Record<string, unknown>>();
    expect(body).toEqual({ ...cut, delivered: true });
    const stored = await env.DB.prepare('SELECT body FROM idempotency WHERE platform_id = ?1')
      .bind(p.platformId)
      .first<{ body: string }>();
    expect(JSON.parse(stored!.body)).toEqual(body);
    // Every later replay is the same.
    expect(await (await post(sessionPath('rating'), token, key, GOOD_RATING)).json()).toEqual(body);
    expect(await rated).toBe(true);
    ws.close(1000);
  });
});
