// A live socket is closed when its token expires, whether or not anything is published then: the object keeps an
// alarm at the earliest expiry (past the 60 s skew) of its open sockets, closes the expired ones 1008 when it rings,
// and sets it again for the next. The alarm is the only thing the object stores; it sets no timers.
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../schemas/index.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import type { SessionLive } from '../../../worker/live/session-live.ts';
import { GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';
import { openLive } from './live-helpers.ts';

const status = (m: string) => (JSON.parse(m) as { summary: SessionSummary }).summary.status;

describe('a live socket is closed when its token expires', () => {
  it('by the object’s alarm at the earliest expiry, which is then set for the next socket’s', async () => {
    const p = await seedPlatform();
    const short = await p.mint({ role: 'therapist', ttlSeconds: 600 });
    const long = await p.mint({ role: 'therapist' });
    const [shortExp, longExp] = [decodeJwt(short).exp!, decodeJwt(long).exp!];
    expect(longExp).toBeGreaterThan(shortExp);
    const a = await openLive(short);
    const b = await openLive(long);
    expect(status(await a.next())).toBe('pending');
    expect(status(await b.next())).toBe('pending');
    const sidHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', p.refs.sid);
    const stub = env.LIVE.get(env.LIVE.idFromName(`${p.platformId}:${sidHash}`));
    const alarm = () => runInDurableObject(stub, (_: SessionLive, state) => state.storage.getAlarm());
    expect(await alarm()).toBe((shortExp + 61) * 1000);

    const closed = new Promise<number>((resolve) => a.ws.addEventListener('close', (e) => resolve(e.code)));
    // Within the skew nothing is closed (control); past it, the short token's socket is, and only that one.
    await runInDurableObject(stub, (o: SessionLive) => o.closeExpired((shortExp + 60) * 1000));
    expect(await a.drain()).toEqual([]);
    await runInDurableObject(stub, (o: SessionLive) => o.closeExpired((shortExp + 61) * 1000));
    expect(await closed).toBe(1008);
    expect(await alarm()).toBe((longExp + 61) * 1000);

    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
    expect(status(await b.next())).toBe('rated');
    expect(a.queue).toEqual([]);
    b.ws.close(1000);
  });
});
