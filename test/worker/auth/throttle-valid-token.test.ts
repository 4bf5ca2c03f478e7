// The failure throttle blocks an address that sent too many bad credentials, without spending a D1 lookup on it. A
// clinic's therapists and clients often share one address (NAT) with whoever sends the bad credentials: a session
// token that can be verified without a lookup (its key is already in this isolate's cache) still passes when valid.
// Anything that would need a lookup (an uncached or unknown kid, an admin key) and any bad token still get 429.
import { exports } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AUTH_FAILURE_LIMIT } from '../../../worker/auth/failure-throttle.ts';
import { seedAdminKey, seedPlatform } from '../helpers.ts';

/** A fresh address per run (this file's own range), and another one beside it. */
const n = Math.floor(Math.random() * 250);
const [ip, otherIp] = [`203.0.113.${n}`, `203.0.113.${n + 1}`];

function get(path: string, ip: string, bearer: string): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://api.attune.test${path}`, {
      headers: { Authorization: `Bearer ${bearer}`, 'CF-Connecting-IP': ip },
    }),
  );
}

const unknownKidToken = () =>
  new SignJWT({ role: 'client', sid: 's', tid: 't', cid: 'c' })
    .setProtectedHeader({ alg: 'HS256', kid: `nokid-${crypto.randomUUID()}` })
    .setIssuer('plt_x')
    .setAudience('attune')
    .setSubject('c')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('x'.repeat(32)));

describe('an address blocked by the failure throttle', () => {
  it('still passes a valid session token whose key is cached; bad tokens, uncached kids and admin keys get 429', async () => {
    const p = await seedPlatform();
    const good = await p.mint({ role: 'therapist', sub: p.refs.tid });
    expect((await get('/v1/session/summary', ip, good)).status).toBe(200); // caches the key in this isolate
    // Until the limiter says 429: its window is aligned to the wall clock and may turn over during the loop (then
    // the count starts again), so up to twice the limit and one more.
    let status = 0;
    for (let i = 0; i <= 2 * AUTH_FAILURE_LIMIT && status !== 429; i++)
      status = (await get('/v1/context', ip, await unknownKidToken())).status;
    expect(status).toBe(429);

    expect((await get('/v1/session/summary', ip, good)).status).toBe(200);
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    expect((await get('/v1/session/summary', ip, forged)).status).toBe(429);
    expect((await get('/v1/context', ip, await unknownKidToken())).status).toBe(429);
    // A key never used in this isolate would need a lookup: refused like before.
    const other = await seedPlatform();
    expect((await get('/v1/context', ip, await other.mint({}))).status).toBe(429);
    expect((await get('/v1/reports/weeks', ip, (await seedAdminKey(p.platformId)).key)).status).toBe(429);
    // Another address is not affected.
    expect((await get('/v1/context', otherIp, await other.mint({}))).status).toBe(200);
  });
});
