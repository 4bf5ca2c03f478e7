import { describe, expect, it } from 'vitest';
import { AUTH_FAILURE_LIMIT } from '../../../worker/auth/failure-throttle.ts';
import { seedAdminKey, seedPlatform } from '../helpers.ts';
import { getFrom, unknownKidToken } from './throttle-helpers.ts';

/** A fresh address per run (this file's own range), and another one beside it. */
const n = Math.floor(Math.random() * 250);
const [ip, otherIp] = [`203.0.113.${n}`, `203.0.113.${n + 1}`];

describe('an address blocked by the failure throttle', () => {
  it('still passes a valid session token whose key is cached; bad tokens, uncached kids and admin keys get 429', async () => {
    const p = await seedPlatform();
    const good = await p.mint({ role: 'therapist', sub: p.refs.tid });
    expect((await getFrom('/v1/session/summary', ip, good)).status).toBe(200); // caches the key in this isolate
    // Until the limiter says 429: its window is aligned to the wall clock and may turn over during the loop (then
    // the count starts again), so up to twice the limit and one more.
    let status = 0;
    for (let i = 0; i <= 2 * AUTH_FAILURE_LIMIT && status !== 429; i++)
      status = (await getFrom('/v1/context', ip, await unknownKidToken())).status;
    expect(status).toBe(429);

    expect((await getFrom('/v1/session/summary', ip, good)).status).toBe(200);
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    expect((await getFrom('/v1/session/summary', ip, forged)).status).toBe(429);
    expect((await getFrom('/v1/context', ip, await unknownKidToken())).status).toBe(429);
    // A key never used in this isolate would need a lookup: refused like before.
    const other = await seedPlatform();
    expect((await getFrom('/v1/context', ip, await other.mint({}))).status).toBe(429);
    expect((await getFrom('/v1/reports/weeks', ip, (await seedAdminKey(p.platformId)).key)).status).toBe(429);
    // Another address is not affected.
    expect((await getFrom('/v1/context', otherIp, await other.mint({}))).status).toBe(200);
  });
});
