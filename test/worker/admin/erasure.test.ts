import { env } from 'cloudflare:workers';
import { createScheduledController } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../../worker/index.ts';
import { rollupsFromScratch, storedRollups } from '../../../worker/db/admin-queries.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import {
  adminCall,
  call,
  everyCell,
  GOOD_PACING,
  GOOD_RATING,
  postJson,
  seedAdminKey,
  seedPlatform,
  sessionPath,
  storeSession,
  testHash,
} from '../helpers.ts';

const DAY = 86_400;

async function expectRollupsConsistent(platformId: string) {
  expect(await storedRollups(env.DB, platformId)).toEqual(await rollupsFromScratch(env.DB, platformId));
}

/** POST /v1/clients/erase with the ref in the body (never in the URL). */
function erase(ref: string, key: string): Promise<Response> {
  return adminCall('/v1/clients/erase', key, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ref }),
  });
}

describe('erasure: POST /v1/clients/erase', () => {
  it('removes every trace of the client through the API path, keeps the others, and the rollups match a recomputation', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const sids = ['erase-s1', 'erase-s2', 'erase-s3'];
    // The client to erase: three sessions (asked, rated, declined, with pacing) with the same therapist.
    for (const [i, sid] of sids.entries()) {
      const client = await p.mint({ sid, cid: 'erase-me' });
      const therapist = await p.mint({ sid, cid: 'erase-me', role: 'therapist' });
      expect((await call('/v1/context', { token: client })).status).toBe(200);
      const rating = i === 2 ? { kind: 'declined' } : GOOD_RATING;
      expect((await postJson(sessionPath('rating'), client, rating)).status).toBe(201);
      expect((await postJson(sessionPath('pacing'), therapist, GOOD_PACING)).status).toBe(201);
    }
    // Another client of the same therapist stays.
    const keep = await p.mint({ sid: 'keep-s1', cid: 'keep-me' });
    expect((await postJson(sessionPath('rating'), keep, GOOD_RATING)).status).toBe(201);
    expect(
      (
        await postJson(
          sessionPath('pacing'),
          await p.mint({ sid: 'keep-s1', cid: 'keep-me', role: 'therapist' }),
          GOOD_PACING,
        )
      ).status,
    ).toBe(201);
    await expectRollupsConsistent(p.platformId);
    const before = await storedRollups(env.DB, p.platformId);
    expect(before[0]).toMatchObject({ asked: 4, rated: 3, declined: 1, share_n: 4 });

    const res = await erase('erase-me', admin.key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: { sessions: 3 } });

    const hashes = [
      await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', 'erase-me'),
      ...(await Promise.all(sids.map((s) => hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', s)))),
    ];
    const cells = await everyCell();
    for (const h of hashes) expect(cells.filter((c) => c.includes(h))).toEqual([]);
    await expectRollupsConsistent(p.platformId);
    expect(await storedRollups(env.DB, p.platformId)).toEqual([
      expect.objectContaining({ asked: 1, rated: 1, declined: 0, share_n: 1 }),
    ]);

    // The other client is intact, and the erasure was audited without the ref.
    const summary = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid: 'keep-s1', cid: 'keep-me', role: 'therapist' }) })
    ).json<{ status: string }>();
    expect(summary.status).toBe('rated');
    const log = await env.DB.prepare('SELECT route, params, row_count FROM audit_log WHERE platform_id = ?1')
      .bind(p.platformId)
      .all();
    expect(log.results).toEqual([{ route: '/v1/clients/erase', params: '{"method":"POST"}', row_count: 3 }]);

    // Erasing again is harmless.
    expect(await (await erase('erase-me', admin.key)).json()).toEqual({ erased: { sessions: 0 } });
  });

  it('the audit line is in the erasure’s batch: if it cannot be written, nothing is erased', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const client = await p.mint({ cid: 'audit-atomic' });
    expect((await postJson(sessionPath('rating'), client, GOOD_RATING)).status).toBe(201);
    const trigger = `audit_down_${p.platformId.replace(/[^A-Za-z0-9_]/g, '_')}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_log WHEN NEW.platform_id = '${p.platformId}' BEGIN SELECT RAISE(ABORT, 'audit down'); END`,
    ).run();
    try {
      const res = await erase('audit-atomic', admin.key);
      expect(res.status).toBe(500);
      expect(
        await env.DB.prepare('SELECT count(*) AS n FROM ratings WHERE platform_id = ?1').bind(p.platformId).first('n'),
      ).toBe(1);
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
    const res = await erase('audit-atomic', admin.key);
    expect(await res.json()).toEqual({ erased: { sessions: 1 } });
    expect(
      await env.DB.prepare('SELECT row_count FROM audit_log WHERE platform_id = ?1')
        .bind(p.platformId)
        .first('row_count'),
    ).toBe(1);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM ratings WHERE platform_id = ?1').bind(p.platformId).first('n'),
    ).toBe(0);
  });

  it('needs the admin key, and erases only within the key’s platform', async () => {
    const a = await seedPlatform();
    const b = await seedPlatform();
    const refs = { sid: 'same-sid', cid: 'same-client' };
    expect((await postJson(sessionPath('rating'), await a.mint(refs), GOOD_RATING)).status).toBe(201);
    expect((await postJson(sessionPath('rating'), await b.mint(refs), GOOD_RATING)).status).toBe(201);
    expect(
      (
        await call('/v1/clients/erase', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ref: 'same-client' }),
          token: await a.mint({ role: 'therapist' }),
        })
      ).status,
    ).toBe(401);
    const adminA = await seedAdminKey(a.platformId);
    expect(await (await erase('same-client', adminA.key)).json()).toEqual({ erased: { sessions: 1 } });
    const left = await env.DB.prepare('SELECT platform_id FROM ratings WHERE platform_id IN (?1, ?2)')
      .bind(a.platformId, b.platformId)
      .all();
    expect(left.results).toEqual([{ platform_id: b.platformId }]);
    expect((await erase('has space', adminA.key)).status).toBe(422);
  });

  it('rollups stay equal to a recomputation across many mixed writes and erasures', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const base = Math.floor(Date.now() / 1000) - 20 * DAY;
    for (let i = 0; i < 60; i++) {
      await storeSession(p.platformId, {
        sid: `mix-${i}`,
        tid: `t${i % 3}`,
        cid: `c${i % 7}`,
        at: base + (i % 9) * DAY + i,
        asked: i % 4 !== 0,
        ...(i % 5 === 0
          ? {}
          : { rating: i % 6 === 0 ? 'declined' : { total: 20 + (i % 19) + 0.3, flags: i % 2 ? ['item_low'] : [] } }),
        ...(i % 3 === 0 ? {} : { pacing: { therapist: 100 + i, client: i % 11 === 0 ? 0 : 300 } }),
      });
    }
    await expectRollupsConsistent(p.platformId);
    // storeSession hashes names with testHash; erase two of the clients by hash directly through the statements.
    const { eraseClientStatements } = await import('../../../worker/db/admin-queries.ts');
    for (const c of ['c2', 'c5']) await env.DB.batch(eraseClientStatements(env.DB, p.platformId, await testHash(c)));
    await expectRollupsConsistent(p.platformId);
    expect(admin.key).toMatch(/^attune_admin_/);
  });
});

describe('retention (Cron Trigger)', () => {
  it('deletes sessions older than the platform’s retention days with everything hanging on them; rollups follow', async () => {
    const p = await seedPlatform({ retentionDays: 30 });
    const other = await seedPlatform({ retentionDays: 365 });
    const now = Math.floor(Date.now() / 1000);
    for (const [i, age] of [40, 35, 31, 29, 2].entries()) {
      await storeSession(p.platformId, {
        sid: `ret-${i}`,
        tid: 'rt',
        cid: `rc${i}`,
        at: now - age * DAY,
        asked: true,
        rating: { total: 30 },
        pacing: { therapist: 1, client: 3 },
      });
    }
    await storeSession(other.platformId, {
      sid: 'ret-other',
      tid: 'rt',
      cid: 'rc0',
      at: now - 40 * DAY,
      rating: { total: 30 },
    });
    await env.DB.prepare(
      "INSERT INTO idempotency (platform_id, idem_key, scope, request_hash, status, body, created_at) VALUES (?1, 'k-old-0000000000000', ?2, 'h', 201, '{}', ?3)",
    )
      .bind(p.platformId, `rating:${await testHash('ret-0')}`, now - 40 * DAY)
      .run();

    await worker.scheduled(createScheduledController({ scheduledTime: now * 1000, cron: '17 3 * * *' }), env);

    const left = await env.DB.prepare('SELECT sid_hash FROM sessions WHERE platform_id = ?1 ORDER BY created_at')
      .bind(p.platformId)
      .all<{ sid_hash: string }>();
    expect(left.results.map((r) => r.sid_hash)).toEqual([await testHash('ret-3'), await testHash('ret-4')]);
    for (const table of ['ratings', 'pacing']) {
      expect(
        await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE platform_id = ?1`).bind(p.platformId).first('n'),
      ).toBe(2);
    }
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM idempotency WHERE platform_id = ?1')
        .bind(p.platformId)
        .first('n'),
    ).toBe(0);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM sessions WHERE platform_id = ?1')
        .bind(other.platformId)
        .first('n'),
    ).toBe(1);
    await expectRollupsConsistent(p.platformId);
    const days = await storedRollups(env.DB, p.platformId);
    expect(days.map((d) => d.rated)).toEqual([1, 1]);
  });
});

describe('retention in batches', () => {
  it('deletes oldest first in bounded batches and stops at the batch limit; the next run continues', async () => {
    const { enforceRetention } = await import('../../../worker/admin/retention.ts');
    const p = await seedPlatform({ retentionDays: 10 });
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 7; i++)
      await storeSession(p.platformId, {
        sid: `b-${i}`,
        tid: 'bt',
        cid: `bc${i}`,
        at: now - (20 + i) * DAY,
        rating: { total: 30 },
      });
    await storeSession(p.platformId, { sid: 'b-new', tid: 'bt', cid: 'bc-new', at: now - DAY, rating: { total: 30 } });
    const first = await enforceRetention(env.DB, now, { batch: 2, maxBatches: 2 });
    expect(first[p.platformId]).toBe(4);
    // The four oldest went first.
    const left = await env.DB.prepare('SELECT sid_hash FROM sessions WHERE platform_id = ?1')
      .bind(p.platformId)
      .all<{ sid_hash: string }>();
    const expected = await Promise.all(['b-0', 'b-1', 'b-2', 'b-new'].map((s) => testHash(s)));
    expect(left.results.map((r) => r.sid_hash).sort()).toEqual(expected.sort());
    await expectRollupsConsistent(p.platformId);
    const second = await enforceRetention(env.DB, now, { batch: 2, maxBatches: 5 });
    expect(second[p.platformId]).toBe(3);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM ratings WHERE platform_id = ?1').bind(p.platformId).first('n'),
    ).toBe(1);
    await expectRollupsConsistent(p.platformId);
  });
});
