import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SessionContext, Trend, type SessionSummary } from '../../../schemas/index.ts';
import { shouldAsk, uniformOf } from '../../../worker/sessions/feedback-fatigue.ts';
import { storedRollups } from '../../../worker/db/admin-queries.ts';
import {
  adminCall,
  call,
  GOOD_PACING,
  GOOD_RATING,
  postJson,
  seedAdminKey,
  seedPlatform,
  sessionPath,
  storeSession,
  type TestPlatform,
} from '../helpers.ts';

const DAY = 86_400;

async function contextAsk(p: TestPlatform, sid: string, cid = p.refs.cid): Promise<boolean | undefined> {
  const res = await call('/v1/context', { token: await p.mint({ sid, cid }) });
  expect(res.status).toBe(200);
  const body = await res.json<SessionContext>();
  expect(v.is(SessionContext, body)).toBe(true);
  return body.ask;
}

describe('feedback fatigue', () => {
  it('every session by default; the therapist context carries no ask', async () => {
    const p = await seedPlatform();
    expect(await contextAsk(p, 'f-1')).toBe(true);
    const t = await (await call('/v1/context', { token: await p.mint({ role: 'therapist' }) })).json<SessionContext>();
    expect(t.ask).toBeUndefined();
  });

  it("'nth' asks the client's 1st, 4th, 7th... session, and the same answer on every mount", async () => {
    const p = await seedPlatform({ settings: { ask: { mode: 'nth', n: 3 } } });
    const answers: (boolean | undefined)[] = [];
    for (let i = 0; i < 7; i++) answers.push(await contextAsk(p, `nth-${i}`));
    expect(answers).toEqual([true, false, false, true, false, false, true]);
    expect(await contextAsk(p, 'nth-1')).toBe(false);
    expect(await contextAsk(p, 'nth-3')).toBe(true);
    // Another client counts on its own.
    expect(await contextAsk(p, 'nth-other-0', 'another-client')).toBe(true);
  });

  it("'share' is decided by the session hash: deterministic, about the share overall", async () => {
    expect(shouldAsk({ mode: 'share', share: 0 }, 'AAAA', 0)).toBe(false);
    expect(shouldAsk({ mode: 'share', share: 1 }, '____', 0)).toBe(true);
    expect(uniformOf('AAAAAAAA')).toBe(0);
    expect(uniformOf('________')).toBeGreaterThan(0.999);
    const p = await seedPlatform({ settings: { ask: { mode: 'share', share: 0.3 } } });
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await contextAsk(p, `share-${i}`));
    const asked = answers.filter(Boolean).length;
    expect(asked).toBeGreaterThan(3);
    expect(asked).toBeLessThan(24);
    for (let i = 0; i < 5; i++) expect(await contextAsk(p, `share-${i}`)).toBe(answers[i]);
  });

  it('asked sessions and declines count toward completion; a skipped session does not', async () => {
    const p = await seedPlatform({ settings: { ask: { mode: 'nth', n: 2 } } });
    const admin = await seedAdminKey(p.platformId);
    // 0: asked and rated; 1: skipped; 2: asked, declined; 3: skipped; 4: asked, no answer.
    for (let i = 0; i < 5; i++) await contextAsk(p, `c-${i}`);
    expect((await postJson(sessionPath('rating'), await p.mint({ sid: 'c-0' }), GOOD_RATING)).status).toBe(201);
    expect((await postJson(sessionPath('rating'), await p.mint({ sid: 'c-2' }), { kind: 'declined' })).status).toBe(
      201,
    );
    const [day] = await storedRollups(env.DB, p.platformId);
    expect(day).toMatchObject({ asked: 3, rated: 1, declined: 1 });
    const summary = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid: 'c-1', role: 'therapist' }) })
    ).json<SessionSummary>();
    expect(summary).toMatchObject({ status: 'pending', asked: false, skipped: true });
    const report = await (await adminCall('/v1/reports/weeks', admin.key)).json<{
      total: { completionRate: number | null };
    }>();
    // Three sessions rest on n < 11: suppressed; the figure itself is tested in reports.test.ts.
    expect(report.total.completionRate).toBeNull();
  });

  it('a client context for a session recorded with another client is refused', async () => {
    const p = await seedPlatform();
    await contextAsk(p, 'mine');
    expect((await call('/v1/context', { token: await p.mint({ sid: 'mine', cid: 'intruder' }) })).status).toBe(403);
  });
});

describe('trends', () => {
  it("the client's series (oldest first, this session last, with items and talk share) and the therapist's rolling mean", async () => {
    const p = await seedPlatform();
    const therapistOf = (sid: string) => p.mint({ sid, role: 'therapist' });
    const totals = [] as number[];
    for (let i = 0; i < 3; i++) {
      const sid = `tr-${i}`;
      const items = GOOD_RATING.items.map((it) => ({ ...it, value: Math.min(10, it.value - 1 + i) }));
      expect((await postJson(sessionPath('rating'), await p.mint({ sid }), { ...GOOD_RATING, items })).status).toBe(
        201,
      );
      expect(
        (
          await postJson(sessionPath('pacing'), await therapistOf(sid), {
            ...GOOD_PACING,
            therapistTalkSeconds: 900 + 100 * i,
          })
        ).status,
      ).toBe(201);
      totals.push(Math.round(items.reduce((a, b) => a + b.value, 0) * 100) / 100);
    }
    // A session of the same client with another therapist is not in this therapist's series.
    expect(
      (await postJson(sessionPath('rating'), await p.mint({ sid: 'tr-x', tid: 'other-therapist' }), GOOD_RATING))
        .status,
    ).toBe(201);

    const res = await call('/v1/trends', { token: await therapistOf('tr-2') });
    expect(res.status).toBe(200);
    const trend = await res.json<Trend>();
    expect(v.is(Trend, trend)).toBe(true);
    expect(trend.client.map((pt) => pt.total)).toEqual(totals);
    expect(trend.client.map((pt) => pt.therapistShare)).toEqual(
      [900, 1000, 1100].map((t) => Math.round((t / (t + 1500)) * 10000) / 10000),
    );
    expect(trend.client[0]!.items).toHaveLength(4);
    expect(trend.therapist).toEqual({
      days: 90,
      sessions: 3,
      meanTotal: Math.round((totals.reduce((a, b) => a + b) / 3) * 100) / 100,
      meanTherapistShare: Math.round(((900 / 2400 + 1000 / 2500 + 1100 / 2600) / 3) * 10000) / 10000,
    });
    expect((await call('/v1/trends', { token: await p.mint({ sid: 'tr-2' }) })).status).toBe(403);
  });

  it('the rolling window and the series length follow the platform settings; old days fall out', async () => {
    const p = await seedPlatform({ settings: { trend: { days: 7, points: 2 } } });
    const now = Math.floor(Date.now() / 1000);
    for (const [i, age] of [20, 10, 3, 1].entries()) {
      await storeSession(p.platformId, {
        sid: `w-${i}`,
        tid: 'wt',
        cid: 'wc',
        at: now - age * DAY,
        rating: { total: 20 + i },
      });
    }
    const { loadTrend } = await import('../../../worker/summary/load-summary.ts');
    const { testHash } = await import('../helpers.ts');
    const trend = await loadTrend(env.DB, {
      platformId: p.platformId,
      sidHash: await testHash('w-3'),
      therapistHash: await testHash('wt'),
      clientHash: await testHash('wc'),
      trendDays: 7,
      trendPoints: 2,
      instrumentId: 'attune-session-4',
      instrumentVersion: 1,
    });
    expect(trend.client.map((pt) => pt.total)).toEqual([22, 23]);
    expect(trend.therapist).toEqual({ days: 7, sessions: 2, meanTotal: 22.5, meanTherapistShare: null });
  });

  it('a pending session is the last point of its series, with a null total', async () => {
    const p = await seedPlatform();
    expect((await postJson(sessionPath('rating'), await p.mint({ sid: 'pend-0' }), GOOD_RATING)).status).toBe(201);
    await contextAsk(p, 'pend-1');
    const summary = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid: 'pend-1', role: 'therapist' }) })
    ).json<SessionSummary>();
    expect(summary.status).toBe('pending');
    expect(summary.asked).toBe(true);
    expect(summary.trend!.client.map((pt) => pt.total)).toEqual([36.2, null]);
  });

  it('flag rules are per platform (total, item and drop thresholds)', async () => {
    const p = await seedPlatform({ settings: { flags: { totalBelow: 30, itemBelow: 8, dropFromPrevious: false } } });
    const lowItem = {
      ...GOOD_RATING,
      items: GOOD_RATING.items.map((it, i) => ({ ...it, value: i === 0 ? 7.9 : it.value })),
    };
    expect((await postJson(sessionPath('rating'), await p.mint({ sid: 'fl-0' }), GOOD_RATING)).status).toBe(201);
    expect((await postJson(sessionPath('rating'), await p.mint({ sid: 'fl-1' }), lowItem)).status).toBe(201);
    const s0 = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid: 'fl-0', role: 'therapist' }) })
    ).json<SessionSummary>();
    const s1 = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid: 'fl-1', role: 'therapist' }) })
    ).json<SessionSummary>();
    expect(s0.flags).toEqual([]);
    expect(s1.flags).toEqual([{ rule: 'item_below', threshold: 8, items: [{ id: 'bond', value: 7.9 }] }]);
  });
});
