import { env } from 'cloudflare:workers';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyToken } from '../../../worker/auth/verify-token.ts';
import { AUTH_FAILURE_LIMIT } from '../../../worker/auth/failure-throttle.ts';
import { seedAdminKey, seedPlatform } from '../helpers.ts';
import { getFrom, unknownKidToken } from './throttle-helpers.ts';

/** A fresh documentation-range address per test, so no test shares another's counters. */
const anIp = () => `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const wrongAdminKey = () => `attune_admin_${base64url.encode(crypto.getRandomValues(new Uint8Array(32)))}`;

async function expectThrottled(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  expect(await res.json()).toEqual({ error: { code: 'too_many_failures', message: expect.any(String) } });
}

describe('failed credentials are throttled (Workers Rate Limiting binding)', () => {
  it('wrong admin keys from one IP: 401 up to the limit, then 429 with Retry-After; another IP is not affected', async () => {
    const ip = anIp();
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++)
      statuses.push((await getFrom('/v1/reports/weeks', ip, wrongAdminKey())).status);
    expect(statuses).toEqual(Array(AUTH_FAILURE_LIMIT).fill(401));
    await expectThrottled(await getFrom('/v1/reports/weeks', ip, wrongAdminKey()));
    // Blocked for a while: even a right key from that address waits (no D1 query is spent on it).
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await expectThrottled(await getFrom('/v1/reports/weeks', ip, admin.key));
    expect((await getFrom('/v1/reports/weeks', anIp(), wrongAdminKey())).status).toBe(401);
  });

  it('unknown-kid tokens from one IP: 401 up to the limit, then 429', async () => {
    const ip = anIp();
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++)
      statuses.push((await getFrom('/v1/context', ip, await unknownKidToken(`nokid-${crypto.randomUUID()}`))).status);
    expect(statuses).toEqual(Array(AUTH_FAILURE_LIMIT).fill(401));
    await expectThrottled(await getFrom('/v1/context', ip, await unknownKidToken(`nokid-${crypto.randomUUID()}`)));
  });

  it('bad tokens naming one kid from many IPs: 429 past the kid’s limit, while that kid’s valid tokens keep working', async () => {
    const p = await seedPlatform();
    const good = await p.mint({ role: 'therapist' });
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_FAILURE_LIMIT; i++) statuses.push((await getFrom('/v1/context', anIp(), forged)).status);
    expect(statuses.slice(0, AUTH_FAILURE_LIMIT)).toEqual(Array(AUTH_FAILURE_LIMIT).fill(401));
    await expectThrottled(await getFrom('/v1/context', anIp(), forged));
    expect((await getFrom('/v1/context', anIp(), good)).status).toBe(200);
  });

  it('an unknown kid is remembered for a short while: repeated tokens naming it cost one D1 query', async () => {
    let queries = 0;
    const db = {
      prepare: () => ({
        bind: () => ({
          first: async () => {
            queries++;
            return null;
          },
        }),
      }),
    } as unknown as D1Database;
    const token = await unknownKidToken(`cached-unknown-${crypto.randomUUID()}`);
    for (let i = 0; i < 5; i++)
      expect(await verifyToken(db, token)).toMatchObject({ ok: false, reason: 'unknown_kid' });
    expect(queries).toBe(1);
    expect(env.AUTH_FAILURES_BY_IP).toBeDefined();
  });
});
