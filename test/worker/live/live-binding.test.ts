import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { DEFAULT_INSTRUMENT, type RatingReceipt, type SessionSummary } from '../../../schemas/index.ts';
import type { SummaryTarget } from '../../../worker/summary/load-summary.ts';
import { call, GOOD_PACING, GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';
import { type Live, openLive } from './live-helpers.ts';
import { MAX_SOCKETS } from '../../../worker/live/session-live.ts';

const status = (m: string) => (JSON.parse(m) as { summary: SessionSummary }).summary.status;
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('a live socket is bound to its therapist and client', () => {
  it('an intruder who names the sid before the session is recorded never receives it, and delivered counts only the real therapist', async () => {
    const p = await seedPlatform();
    const intruder = await openLive(
      await p.mint({ role: 'therapist', tid: 'intruder-therapist', cid: 'intruder-client' }),
    );
    expect(status(await intruder.next())).toBe('pending');

    // Only the intruder listens: the client must not be told it reached the therapist.
    const res = await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING);
    expect(res.status).toBe(201);
    expect((await res.json<RatingReceipt>()).delivered).toBe(false);
    expect(await intruder.drain()).toEqual([]);

    // The real therapist connects and gets it; the pacing push reaches only them too.
    const real = await openLive(await p.mint({ role: 'therapist' }));
    expect(status(await real.next())).toBe('rated');
    expect((await postJson(sessionPath('pacing'), await p.mint({ role: 'therapist' }), GOOD_PACING)).status).toBe(201);
    expect(JSON.parse(await real.next()).summary.pacing).toEqual(GOOD_PACING);
    expect(await intruder.drain()).toEqual([]);
    intruder.ws.close(1000);
    real.ws.close(1000);
  });

  it('once the session is recorded, a therapist token naming another client (or therapist) cannot connect', async () => {
    const p = await seedPlatform();
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
    for (const other of [{ cid: 'another-client' }, { tid: 'another-therapist' }]) {
      const res = await call('/v1/live', {
        headers: {
          Upgrade: 'websocket',
          'Sec-WebSocket-Protocol': `attune.v1, bearer.${await p.mint({ role: 'therapist', ...other })}`,
        },
      });
      expect(res.status, JSON.stringify(other)).toBe(403);
      expect(res.webSocket).toBeNull();
      expect(await codeOf(res)).toBe('session_mismatch');
    }
  });

  it('the live object itself closes (1008) a socket whose participants differ from the recorded session’s', async () => {
    const p = await seedPlatform();
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
    const h = (kind: 'sid' | 'tid' | 'cid', ref: string) => hashRef(env.REF_HASH_SECRET, p.platformId, kind, ref);
    const sidHash = await h('sid', p.refs.sid);
    const target = {
      platformId: p.platformId,
      sidHash,
      therapistHash: await h('tid', p.refs.tid),
      clientHash: await h('cid', 'someone-else'),
      trendDays: 90,
      trendPoints: 10,
      instrumentId: DEFAULT_INSTRUMENT.id,
      instrumentVersion: DEFAULT_INSTRUMENT.version,
    } satisfies SummaryTarget;
    const stub = env.LIVE.get(env.LIVE.idFromName(`${p.platformId}:${sidHash}`));
    const res = await stub.fetch(
      new Request('https://live.internal/connect', {
        headers: { Upgrade: 'websocket', 'X-Attune-Target': JSON.stringify(target) },
      }),
    );
    const ws = res.webSocket!;
    const messages: string[] = [];
    ws.addEventListener('message', (e) => messages.push(String(e.data)));
    const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
    ws.accept();
    expect(await closed).toBe(1008);
    expect(messages).toEqual([]);
  });
});

describe('the summary route checks the client too', () => {
  it('a platform reusing a sid for another client: that client’s therapist token does not see the first client’s rating', async () => {
    const p = await seedPlatform();
    const sid = 'reused-sid';
    expect((await postJson(sessionPath('rating'), await p.mint({ sid, cid: 'client-a' }), GOOD_RATING)).status).toBe(
      201,
    );
    const otherClient = await call(sessionPath('summary'), {
      token: await p.mint({ sid, role: 'therapist', cid: 'client-b' }),
    });
    expect(otherClient.status).toBe(403);
    expect(await codeOf(otherClient)).toBe('session_mismatch');
    const same = await call(sessionPath('summary'), {
      token: await p.mint({ sid, role: 'therapist', cid: 'client-a' }),
    });
    expect(same.status).toBe(200);
    expect((await same.json<SessionSummary>()).status).toBe('rated');
  });
});

describe('a live socket does not outlive its token', () => {
  it('an open socket whose token expired (past the 60 s skew) gets no later summary and is closed 1008', async () => {
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist' });
    const { exp } = decodeJwt(token);
    const live = await openLive(token);
    const first = JSON.parse(await live.next()) as { summary: SessionSummary };
    expect(first.summary.status).toBe('pending');
    const closed = new Promise<number>((resolve) => live.ws.addEventListener('close', (e) => resolve(e.code)));
    const h = (kind: 'sid' | 'tid' | 'cid', ref: string) => hashRef(env.REF_HASH_SECRET, p.platformId, kind, ref);
    const sidHash = await h('sid', p.refs.sid);
    const writer = { therapistHash: await h('tid', p.refs.tid), clientHash: await h('cid', p.refs.cid) };
    const stub = env.LIVE.get(env.LIVE.idFromName(`${p.platformId}:${sidHash}`));
    // While the token is valid the publish reaches the socket (control), up to the skew past exp.
    expect(await stub.publish(first.summary, writer)).toBe(1);
    expect(await stub.publish(first.summary, writer, (exp! + 60) * 1000)).toBe(1);
    expect(await live.drain()).toHaveLength(2);
    // The clock past exp + skew: a rating arriving then (say from the client's offline outbox) is not pushed.
    expect(await stub.publish({ ...first.summary, status: 'rated' }, writer, (exp! + 61) * 1000)).toBe(0);
    expect(await closed).toBe(1008);
    expect(live.queue).toEqual([]);
  });
});

describe('the socket cap is per therapist and client', () => {
  it('a token naming the sid with other participants cannot push the real therapist’s socket out by opening the cap’s worth', async () => {
    const p = await seedPlatform();
    const real = await openLive(await p.mint({ role: 'therapist' }));
    expect(status(await real.next())).toBe('pending');
    const intruderToken = await p.mint({ role: 'therapist', tid: 'intruder-therapist', cid: 'intruder-client' });
    const intruders: Live[] = [];
    for (let i = 0; i < MAX_SOCKETS; i++) {
      const s = await openLive(intruderToken);
      expect(status(await s.next())).toBe('pending');
      intruders.push(s);
    }
    // The intruder's ninth socket closes its own oldest (1013), not the real therapist's.
    const oldest = new Promise<number>((resolve) => intruders[0]!.ws.addEventListener('close', (e) => resolve(e.code)));
    const ninth = await openLive(intruderToken);
    expect(await oldest).toBe(1013);
    intruders.push(ninth);
    const res = await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING);
    expect((await res.json<RatingReceipt>()).delivered).toBe(true);
    expect(status(await real.next())).toBe('rated');
    for (const s of [real, ...intruders]) s.ws.close(1000);
  });
});
