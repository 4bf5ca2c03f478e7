import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { insertRating } from '../../../worker/db/queries.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { dayFromDate } from '../../../worker/admin/reports/range.ts';
import {
  adminCall,
  call,
  GOOD_RATING,
  postJson,
  seedAdminKey,
  seedPlatform,
  sessionRow,
  sessionPath,
  storeSession,
  testHash,
} from '../helpers.ts';

const DAY = 86_400;
const W1 = dayFromDate('2026-02-02')! * DAY + 9 * 3600; // a Monday, long closed
const W2 = W1 + 7 * DAY;

interface Row {
  key: string;
  sessions: number | null;
  meanTotal: number | null;
  flaggedShare: number | null;
}
interface Body {
  rows: Row[];
  total: Row;
  publishedThrough: string;
}

/** `n` rated sessions of one therapist, each with its own client, total 32, no flags. */
async function twelveAt32(platformId: string, tid: string, at: number, n = 12) {
  for (let i = 0; i < n; i++)
    await storeSession(platformId, {
      sid: `${tid}-${at}-${i}`,
      tid,
      cid: `${tid}-c${i}`,
      at: at + i,
      rating: { total: 32 },
    });
}

async function therapistsReport(key: string, from: string, to: string): Promise<Body> {
  const res = await adminCall(`/v1/reports/therapists?from=${from}&to=${to}`, key);
  expect(res.status).toBe(200);
  return res.json<Body>();
}

/** The attack of the review: n2 × mean2 − n1 × mean1 is the total of whatever came or went between the reads. */
function differenced(before: Row, after: Row): number {
  return (
    Math.round(
      ((after.sessions ?? 0) * (after.meanTotal ?? 0) - (before.sessions ?? 0) * (before.meanTotal ?? 0)) * 100,
    ) / 100
  );
}

describe('reports cannot be differenced', () => {
  it('one session added late to a published week: the second read equals the first, and 13 × mean − 12 × mean recovers nothing', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await twelveAt32(p.platformId, 'dora', W1);
    const before = await therapistsReport(admin.key, '2026-02-02', '2026-02-08');
    expect(before.rows).toHaveLength(1);
    expect(before.rows[0]).toMatchObject({ sessions: 12, meanTotal: 32 });
    // The session the admin knows about: a 13th client, total 10.03, flagged, in the same (closed) week.
    await storeSession(p.platformId, {
      sid: 'known',
      tid: 'dora',
      cid: 'known-client',
      at: W1 + 3600,
      rating: { total: 10.03, flags: ['total_low'] },
    });
    const after = await therapistsReport(admin.key, '2026-02-02', '2026-02-08');
    expect(after).toEqual(before);
    expect(differenced(before.rows[0]!, after.rows[0]!)).toBe(0);
    expect(differenced(before.total, after.total)).toBe(0);
  });

  it('an erasure in a published week changes no published figure', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await twelveAt32(p.platformId, 'erin', W1);
    // The client to erase, stored under its real hash so that the erasure route finds it.
    const h = (kind: 'sid' | 'tid' | 'cid', ref: string) => hashRef(env.REF_HASH_SECRET, p.platformId, kind, ref);
    const key = {
      platformId: p.platformId,
      sidHash: await h('sid', 'erase-s'),
      therapistHash: await testHash('erin'),
      clientHash: await h('cid', 'erase-me'),
    };
    await env.DB.batch([
      sessionRow(key, W1 + 60),
      insertRating(env.DB, key, {
        status: 'rated',
        instrumentId: 'attune-session-4',
        instrumentVersion: 1,
        items: '[]',
        total: 10.03,
        maxTotal: 40,
        flags: '["total_low"]',
        ratedAt: W1 + 120,
      }),
    ]);
    const before = await therapistsReport(admin.key, '2026-02-02', '2026-02-08');
    expect(before.rows[0]).toMatchObject({ sessions: 13 });
    const erased = await adminCall('/v1/clients/erase', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ref: 'erase-me' }),
    });
    expect(await erased.json()).toEqual({ erased: { sessions: 1 } });
    const after = await therapistsReport(admin.key, '2026-02-02', '2026-02-08');
    expect(after).toEqual(before);
    expect(differenced(after.rows[0]!, before.rows[0]!)).toBe(0);
  });

  it('two ranges a week apart: a therapist’s small week is in neither, so subtracting them recovers nothing', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await twelveAt32(p.platformId, 'finn', W1);
    await storeSession(p.platformId, {
      sid: 'lone',
      tid: 'finn',
      cid: 'lone-client',
      at: W2,
      rating: { total: 10.03, flags: ['total_low'] },
    });
    const one = await therapistsReport(admin.key, '2026-02-02', '2026-02-08');
    const two = await therapistsReport(admin.key, '2026-02-02', '2026-02-15');
    expect(two.rows).toEqual(one.rows);
    expect(two.total).toEqual(one.total);
    expect(differenced(one.rows[0]!, two.rows[0]!)).toBe(0);
    // The weeks report shows the lone week as suppressed, and its total leaves it out.
    const weeks = await (await adminCall('/v1/reports/weeks?from=2026-02-02&to=2026-02-15', admin.key)).json<Body>();
    expect(weeks.rows.map((r) => r.sessions)).toEqual([12, null]);
    expect(weeks.total.sessions).toBe(12);
  });

  it('only closed weeks are published: never the current week, and not before the offline grace has passed', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    for (let i = 0; i < 12; i++) {
      const sid = `now-${i}`;
      expect(
        (await postJson(sessionPath('rating'), await p.mint({ sid, cid: `now-client-${i}` }), GOOD_RATING)).status,
      ).toBe(201);
    }
    const body = await (await adminCall('/v1/reports/weeks', admin.key)).json<Body>();
    expect(body.rows).toEqual([]);
    expect(body.total.sessions).toBeNull();
    const through = Date.parse(`${body.publishedThrough}T23:59:59Z`);
    expect(through).toBeLessThan(Date.now() - 8 * DAY * 1000);
    expect(new Date(through + 1000).getUTCDay()).toBe(1); // a week ends on Sunday
    // Nothing of the current week was frozen either.
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM published_cells WHERE platform_id = ?1')
        .bind(p.platformId)
        .first('n'),
    ).toBe(0);
    expect((await call('/v1/reports/weeks')).status).toBe(401);
  });

  it('repeated near-identical reads are marked in the audit log', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await twelveAt32(p.platformId, 'gail', W1);
    await therapistsReport(admin.key, '2026-02-02', '2026-02-15');
    await therapistsReport(admin.key, '2026-02-02', '2026-02-08');
    await therapistsReport(admin.key, '2025-06-02', '2025-06-08');
    const log = await env.DB.prepare(
      'SELECT id, near_repeat_of AS near FROM audit_log WHERE platform_id = ?1 ORDER BY id',
    )
      .bind(p.platformId)
      .all<{ id: number; near: number | null }>();
    expect(log.results.map((r) => r.near)).toEqual([null, log.results[0]!.id, null]);
  });

  it('a weeks report of a range read after the therapists report of it is marked as a near repeat too', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await twelveAt32(p.platformId, 'gail', W1);
    await therapistsReport(admin.key, '2026-02-02', '2026-02-15');
    expect((await adminCall('/v1/reports/weeks?from=2026-02-02&to=2026-02-08', admin.key)).status).toBe(200);
    expect((await adminCall('/v1/reports/weeks?from=2025-06-02&to=2025-06-08', admin.key)).status).toBe(200);
    const log = await env.DB.prepare(
      'SELECT id, route, near_repeat_of AS near FROM audit_log WHERE platform_id = ?1 ORDER BY id',
    )
      .bind(p.platformId)
      .all<{ id: number; route: string; near: number | null }>();
    expect(log.results.map((r) => [r.route, r.near])).toEqual([
      ['/v1/reports/therapists', null],
      ['/v1/reports/weeks', log.results[0]!.id],
      ['/v1/reports/weeks', null],
    ]);
  });
});
