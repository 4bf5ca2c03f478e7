import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import * as q from '../../../worker/db/queries.ts';
import { seedPlatform, ZERO_PACING } from '../helpers.ts';
import { insertKey } from '../seed-queries.ts';

/** A session row of instrument 'i' v1, recorded at 1. */
const sessionRow = (s: q.SessionKey) =>
  q.upsertSession(env.DB, {
    ...s,
    instrumentId: 'i',
    instrumentVersion: 1,
    scheduledStart: null,
    scheduledEnd: null,
    now: 1,
  });

describe('queries', () => {
  it('getActiveKey skips revoked keys; isOriginRegistered is per platform', async () => {
    const p = await seedPlatform({ origins: ['https://q.example'] });
    expect(await q.getActiveKey(env.DB, p.kid)).toMatchObject({
      kid: p.kid,
      platformId: p.platformId,
      alg: 'EdDSA',
      secret: null,
    });
    await env.DB.prepare('UPDATE platform_keys SET revoked_at = 1 WHERE kid = ?1').bind(p.kid).run();
    expect(await q.getActiveKey(env.DB, p.kid)).toBeNull();
    expect(await q.isOriginRegistered(env.DB, 'https://q.example')).toBe(true);
    expect(await q.isOriginRegistered(env.DB, 'https://q.example', p.platformId)).toBe(true);
    expect(await q.isOriginRegistered(env.DB, 'https://q.example', 'plt_other')).toBe(false);
  });

  it('a second rating for a session fails its whole batch', async () => {
    const p = await seedPlatform();
    const s = { platformId: p.platformId, sidHash: 'h-sid', therapistHash: 'h-tid', clientHash: 'h-cid' };
    const session = sessionRow(s);
    const rating = (n: number) =>
      q.insertRating(env.DB, s, {
        status: 'rated',
        instrumentId: 'i',
        instrumentVersion: 1,
        items: '[]',
        total: n,
        maxTotal: 40,
        flags: '[]',
        ratedAt: n,
      });
    await env.DB.batch([session, rating(1)]);
    await expect(
      env.DB.batch([
        session,
        rating(2),
        q.insertIdempotency(env.DB, {
          platformId: p.platformId,
          key: 'k'.repeat(16),
          scope: 's',
          requestHash: 'h',
          status: 201,
          body: '{}',
          now: 2,
        }),
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await q.getIdempotency(env.DB, p.platformId, 's', 'k'.repeat(16))).toBeNull();
    expect((await q.summaryRowStatement(env.DB, p.platformId, 'h-sid').first<q.SummaryRow>())?.total).toBe(1);
    const history = (therapistHash: string) =>
      q.clientHistory(env.DB, {
        platformId: p.platformId,
        clientHash: 'h-cid',
        therapistHash,
        instrumentId: 'i',
        instrumentVersion: 1,
        sidHash: 'h-next',
        window: 10,
      });
    expect(await history('h-tid')).toEqual({ previous: 1, mean: 1, sessions: 1 });
    expect(await history('h-other')).toEqual({ previous: null, mean: null, sessions: 0 });
  });

  it('rating, pacing and the guarded idempotency record go only into a session row with the same participants', async () => {
    const p = await seedPlatform();
    const s = { platformId: p.platformId, sidHash: 'g-sid', therapistHash: 'g-tid', clientHash: 'g-cid' };
    const other = { ...s, clientHash: 'g-intruder' };
    await sessionRow(s).run();
    const record = {
      status: 'rated' as const,
      instrumentId: 'i',
      instrumentVersion: 1,
      items: '[]',
      total: 3,
      maxTotal: 40,
      flags: '[]',
      ratedAt: 2,
    };
    const idem = q.insertIdempotency(
      env.DB,
      { platformId: p.platformId, key: 'g'.repeat(16), scope: 's', requestHash: 'h', status: 201, body: '{}', now: 2 },
      other,
    );
    const results = await env.DB.batch([
      q.insertRating(env.DB, other, record),
      q.insertPacing(env.DB, other, { ...ZERO_PACING, durationSeconds: 1 }, 2),
      idem,
    ]);
    expect(results.map((r) => r.meta.changes)).toEqual([0, 0, 0]);
    expect(await q.getIdempotency(env.DB, p.platformId, 's', 'g'.repeat(16))).toBeNull();
    expect((await env.DB.batch([q.insertRating(env.DB, s, record)]))[0]!.meta.changes).toBeGreaterThan(0); // the rollup triggers count too
    expect(
      await env.DB.prepare('SELECT client_hash FROM ratings WHERE platform_id = ?1')
        .bind(p.platformId)
        .first('client_hash'),
    ).toBe('g-cid');
  });

  it('an HS256 key needs a 32-byte secret and no JWK (schema CHECK)', async () => {
    const p = await seedPlatform();
    await expect(
      insertKey(env.DB, { kid: 'k_short', platformId: p.platformId, alg: 'HS256', secret: 'short', now: 1 }).run(),
    ).rejects.toThrow(/CHECK/);
    await expect(
      insertKey(env.DB, {
        kid: 'k_none',
        platformId: p.platformId,
        alg: 'none' as never,
        secret: 's'.repeat(40),
        now: 1,
      }).run(),
    ).rejects.toThrow(/CHECK/);
  });
});
