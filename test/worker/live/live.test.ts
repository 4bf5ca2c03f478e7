import { env } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { decodeJwt } from 'jose';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { RatingReceipt, SessionSummary } from '../../../schemas/index.ts';
import { SessionLive } from '../../../worker/live/session-live.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import {
  call,
  GOOD_PACING,
  GOOD_RATING,
  postJson,
  ratingRequest,
  seedPlatform,
  sessionPath,
  type TestPlatform,
} from '../helpers.ts';
import { openLive, type Live } from './live-helpers.ts';

const summaryOf = (m: string) => {
  const msg = JSON.parse(m) as { type: string; summary: unknown };
  expect(msg.type).toBe('summary');
  expect(v.is(SessionSummary, msg.summary)).toBe(true);
  return msg.summary as SessionSummary;
};

async function liveStubFor(p: TestPlatform) {
  const sidHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', p.refs.sid);
  return env.LIVE.get(env.LIVE.idFromName(`${p.platformId}:${sidHash}`));
}

describe('GET /v1/live', () => {
  it('upgrades with the attune.v1 subprotocol, sends the summary at once, then every change', async () => {
    const p = await seedPlatform();
    const live = await openLive(await p.mint({ role: 'therapist' }));
    expect(live.res.status).toBe(101);
    expect(live.res.headers.get('Sec-WebSocket-Protocol')).toBe('attune.v1');
    expect(summaryOf(await live.next()).status).toBe('pending');

    const res = await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING);
    expect(res.status).toBe(201);
    const receipt = await res.json<RatingReceipt>();
    expect(v.is(RatingReceipt, receipt)).toBe(true);
    expect(receipt.delivered).toBe(true);
    const rated = summaryOf(await live.next());
    expect(rated).toMatchObject({ status: 'rated', total: 36.2, flags: [], pacing: null });
    expect(rated.trend?.client.at(-1)?.total).toBe(36.2);

    expect((await postJson(sessionPath('pacing'), await p.mint({ role: 'therapist' }), GOOD_PACING)).status).toBe(201);
    const paced = summaryOf(await live.next());
    expect(paced.pacing).toEqual(GOOD_PACING);
    expect(paced.trend?.client.at(-1)?.therapistShare).toBeCloseTo(1200 / 2700, 4);
    live.ws.close(1000);
  });

  it('a therapist who connects after the rating gets it on connect; delivered was false then', async () => {
    const p = await seedPlatform();
    const res = await postJson(sessionPath('rating'), await p.mint({}), { kind: 'declined' });
    expect(await res.json()).toMatchObject({ status: 'declined', delivered: false });
    const live = await openLive(await p.mint({ role: 'therapist' }));
    expect(summaryOf(await live.next()).status).toBe('declined');
    live.ws.close(1000);
  });

  it('an identical retry of the rating gets the stored receipt, delivered included', async () => {
    const p = await seedPlatform();
    const live = await openLive(await p.mint({ role: 'therapist' }));
    await live.next();
    const client = await p.mint({});
    const headers = { 'Idempotency-Key': 'live-retry-key-0000001' };
    const first = await postJson(sessionPath('rating'), client, GOOD_RATING, headers);
    const again = await postJson(sessionPath('rating'), client, GOOD_RATING, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.text()).toBe(await first.text());
    live.ws.close(1000);
  });

  it('answers ping with pong without involving the handler', async () => {
    const p = await seedPlatform();
    const live = await openLive(await p.mint({ role: 'therapist' }));
    await live.next();
    live.ws.send('ping');
    expect(await live.next()).toBe('pong');
    live.ws.close(1000);
  });

  it('every socket of the session gets the push', async () => {
    const p = await seedPlatform();
    const a = await openLive(await p.mint({ role: 'therapist' }));
    const b = await openLive(await p.mint({ role: 'therapist' }));
    await a.next();
    await b.next();
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
    expect(summaryOf(await a.next()).status).toBe('rated');
    expect(summaryOf(await b.next()).status).toBe('rated');
    a.ws.close(1000);
    b.ws.close(1000);
  });

  it('refuses a bad or absent token with 401 and a client token with 403, before any upgrade', async () => {
    const p = await seedPlatform();
    const upgrade = (protocol?: string) =>
      call('/v1/live', {
        headers: { Upgrade: 'websocket', ...(protocol === undefined ? {} : { 'Sec-WebSocket-Protocol': protocol }) },
      });
    const therapist = await p.mint({ role: 'therapist' });
    for (const proto of [
      undefined,
      'attune.v1',
      `attune.v1, bearer.${therapist.slice(0, -3)}xyz`,
      'attune.v1, bearer.a.b.c',
      `bearer.${therapist}`,
    ]) {
      const res = await upgrade(proto);
      expect(res.status, String(proto)).toBe(401);
      expect(res.webSocket).toBeNull();
    }
    const res = await upgrade(`attune.v1, bearer.${await p.mint({ role: 'client' })}`);
    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
    // The token in the Authorization header is not accepted here: browsers cannot send it on a WebSocket.
    expect((await call('/v1/live', { token: therapist, headers: { Upgrade: 'websocket' } })).status).toBe(401);
  });

  it('a valid token without an Upgrade header gets 426; another platform’s origin gets 403', async () => {
    const p = await seedPlatform({ origins: ['https://care.example'] });
    await seedPlatform({ origins: ['https://other.example'] });
    const token = await p.mint({ role: 'therapist' });
    expect(
      (await call('/v1/live', { headers: { 'Sec-WebSocket-Protocol': `attune.v1, bearer.${token}` } })).status,
    ).toBe(426);
    const cross = await call('/v1/live', {
      headers: {
        Upgrade: 'websocket',
        'Sec-WebSocket-Protocol': `attune.v1, bearer.${token}`,
        Origin: 'https://other.example',
      },
    });
    expect(cross.status).toBe(403);
    const ok = await openLive(token, { Origin: 'https://care.example' });
    expect(ok.res.status).toBe(101);
    ok.ws.close(1000);
  });

  it('a stale publish (less than what was sent) is not sent after a newer one', async () => {
    const p = await seedPlatform();
    const live = await openLive(await p.mint({ role: 'therapist' }));
    await live.next();
    const stub = await liveStubFor(p);
    const writer = {
      therapistHash: await hashRef(env.REF_HASH_SECRET, p.platformId, 'tid', p.refs.tid),
      clientHash: await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', p.refs.cid),
    };
    const base = { instrument: null, items: [], total: null, maxTotal: null, flags: [], ratedAt: null };
    expect(await stub.publish({ ...base, status: 'declined', pacing: GOOD_PACING }, writer)).toBe(1);
    expect(summaryOf(await live.next()).status).toBe('declined');
    expect(await stub.publish({ ...base, status: 'declined', pacing: null }, writer)).toBe(1);
    live.ws.send('ping');
    expect(await live.next()).toBe('pong');
    live.ws.close(1000);
  });

  it('a failing publish never fails or loses the stored rating', async () => {
    const p = await seedPlatform();
    const { default: worker } = await import('../../../worker/index.ts');
    const broken = {
      ...env,
      LIVE: {
        idFromName: () => {
          throw new Error('boom');
        },
        get: () => null,
      },
    };
    const res = await worker.fetch(ratingRequest(await p.mint({}), 'broken-live-key-000001'), broken as never);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'rated', delivered: false });
    const summary = await (
      await call(sessionPath('summary'), { token: await p.mint({ role: 'therapist' }) })
    ).json<SessionSummary>();
    expect(summary.status).toBe('rated');
  });

  it('after the object hibernates (evicted, sockets kept), ping still gets pong and the next rating still arrives', async () => {
    const p = await seedPlatform();
    const live = await openLive(await p.mint({ role: 'therapist' }));
    await live.next();
    await evictDurableObject(await liveStubFor(p));
    live.ws.send('ping');
    expect(await live.next()).toBe('pong');
    const res = await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING);
    expect(await res.json()).toMatchObject({ delivered: true });
    expect(summaryOf(await live.next()).status).toBe('rated');
    live.ws.close(1000);
  });

  it('the object keeps no storage but the expiry alarm, and sets no timers (hibernation-friendly)', async () => {
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist' });
    const live = await openLive(token);
    await live.next();
    const stub = await liveStubFor(p);
    await runInDurableObject(stub, async (instance: SessionLive, state) => {
      expect(state.getWebSockets()).toHaveLength(1);
      expect(state.getWebSocketAutoResponse()?.request).toBe('ping');
      expect(await state.storage.list()).toEqual(new Map());
      // The alarm closes the socket when its token expires (live-expiry-alarm.test.ts).
      expect(await state.storage.getAlarm()).toBe((decodeJwt(token).exp! + 61) * 1000);
      expect(instance).toBeInstanceOf(SessionLive);
    });
    const source = (await import('../../../worker/live/session-live.ts?raw')).default;
    expect(source).not.toMatch(/setInterval|setTimeout/);
    live.ws.close(1000);
  });

  it('closes with 1011 when the first summary cannot be read, so the widget reconnects', async () => {
    const p = await seedPlatform();
    const stub = await liveStubFor(p);
    // A target the summary read fails on (no therapist or client hash to bind).
    const res = await stub.fetch(
      new Request('https://live.internal/connect', {
        headers: {
          Upgrade: 'websocket',
          'X-Attune-Target': JSON.stringify({ platformId: p.platformId, sidHash: 'x' }),
        },
      }),
    );
    const ws = res.webSocket!;
    const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
    ws.accept();
    expect(await closed).toBe(1011);
  });

  it('keeps at most 8 sockets per session: a ninth closes the oldest with 1013', async () => {
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist' });
    const sockets: Live[] = [];
    const codes: (number | null)[] = [];
    let oldestClosed: Promise<void> | undefined;
    for (let i = 0; i < 9; i++) {
      const live = await openLive(token);
      const index = i;
      codes[index] = null;
      const closed = new Promise<void>((resolve) =>
        live.ws.addEventListener('close', (e) => {
          codes[index] = e.code;
          resolve();
        }),
      );
      oldestClosed ??= closed;
      await live.next();
      sockets.push(live);
    }
    await oldestClosed;
    expect(codes[0]).toBe(1013);
    expect(codes.slice(1)).toEqual(Array(8).fill(null));
    await runInDurableObject(await liveStubFor(p), (_: SessionLive, state) => {
      expect(state.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN)).toHaveLength(8);
    });
    for (const s of sockets.slice(1)) s.ws.close(1000);
  });
});
