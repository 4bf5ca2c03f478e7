import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { enforceRetention } from '../../../worker/admin/retention.ts';
import {
  adminCall,
  call,
  GOOD_PACING,
  GOOD_RATING,
  seedAdminKey,
  seedPlatform,
  sessionPath,
  type TestPlatform,
} from '../helpers.ts';

const KEY = 'queued-in-outbox-0001';

function post(path: string, token: string, body: unknown, key = KEY) {
  return call(path, {
    method: 'POST',
    token,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
}

async function erase(p: TestPlatform, ref: string) {
  const admin = await seedAdminKey(p.platformId);
  const res = await adminCall('/v1/clients/erase', admin.key, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ref }),
  });
  expect(res.status).toBe(200);
}

async function stored(p: TestPlatform) {
  return env.DB.prepare(
    `SELECT (SELECT count(*) FROM sessions WHERE platform_id = ?1) AS sessions, (SELECT count(*) FROM ratings WHERE platform_id = ?1) AS ratings,
            (SELECT count(*) FROM pacing WHERE platform_id = ?1) AS pacing, (SELECT count(*) FROM idempotency WHERE platform_id = ?1) AS records`,
  )
    .bind(p.platformId)
    .first();
}

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('an erasure sticks', () => {
  it('the outbox’s retry of an already stored rating (same key, same token) after the erasure is 410 client_erased and stores nothing', async () => {
    const p = await seedPlatform();
    const now = Math.floor(Date.now() / 1000);
    const client = await p.mint({}, { now: now - 60 });
    expect((await post(sessionPath('rating'), client, GOOD_RATING)).status).toBe(201);
    await erase(p, p.refs.cid);
    expect(await stored(p)).toEqual({ sessions: 0, ratings: 0, pacing: 0, records: 0 });

    const retry = await post(sessionPath('rating'), client, GOOD_RATING);
    expect(retry.status).toBe(410);
    expect(await codeOf(retry)).toBe('client_erased');
    expect(await stored(p)).toEqual({ sessions: 0, ratings: 0, pacing: 0, records: 0 });
  });

  it('the therapist’s pacing and the client’s context from tokens issued before the erasure write nothing either', async () => {
    const p = await seedPlatform();
    const now = Math.floor(Date.now() / 1000);
    await erase(p, p.refs.cid);
    const pacing = await post(
      sessionPath('pacing'),
      await p.mint({ role: 'therapist' }, { now: now - 60 }),
      GOOD_PACING,
    );
    expect(pacing.status).toBe(410);
    expect(await codeOf(pacing)).toBe('client_erased');
    const context = await call('/v1/context', { token: await p.mint({}, { now: now - 60 }) });
    expect(context.status).toBe(410);
    expect(await stored(p)).toEqual({ sessions: 0, ratings: 0, pacing: 0, records: 0 });
    // Another client of the same platform is not affected.
    expect(
      (
        await post(
          sessionPath('rating'),
          await p.mint({ sid: 'other-sid', cid: 'other-client' }, { now: now - 60 }),
          GOOD_RATING,
        )
      ).status,
    ).toBe(201);
  });

  it('a token issued after the erasure (the client came back) writes again', async () => {
    const p = await seedPlatform();
    const now = Math.floor(Date.now() / 1000);
    await erase(p, p.refs.cid);
    const fresh = await p.mint({}, { now: now + 2 });
    expect((await post(sessionPath('rating'), fresh, GOOD_RATING, 'after-erasure-key-001')).status).toBe(201);
  });

  it('the tombstone holds neither the raw ref nor the client’s stored hash', async () => {
    const p = await seedPlatform();
    await erase(p, p.refs.cid);
    const rows = await env.DB.prepare('SELECT tombstone, erased_at FROM erased_clients WHERE platform_id = ?1')
      .bind(p.platformId)
      .all<{ tombstone: string; erased_at: number }>();
    expect(rows.results).toHaveLength(1);
    const cidHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', p.refs.cid);
    expect(rows.results[0]!.tombstone).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rows.results[0]!.tombstone).not.toBe(cidHash);
    expect(rows.results[0]!.tombstone).not.toContain(p.refs.cid);
  });

  it('retention drops a tombstone once no token issued before its erasure can be accepted (9 days)', async () => {
    const p = await seedPlatform();
    const now = Math.floor(Date.now() / 1000);
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO erased_clients (platform_id, tombstone, erased_at) VALUES (?1, 'old', ?2), (?1, 'recent', ?3)",
      ).bind(p.platformId, now - 10 * 86_400, now - 8 * 86_400),
    ]);
    await enforceRetention(env.DB, now);
    const left = await env.DB.prepare('SELECT tombstone FROM erased_clients WHERE platform_id = ?1')
      .bind(p.platformId)
      .all<{ tombstone: string }>();
    expect(left.results.map((r) => r.tombstone)).toEqual(['recent']);
  });
});
