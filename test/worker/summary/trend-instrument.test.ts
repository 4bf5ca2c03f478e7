// The trend beside a summary compares like with like (migration 0014): on a platform that runs two instruments on
// very different scales, the therapist's rolling mean and the client's series hold only the totals of the
// summarised session's instrument (id and version).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import migration0014 from '../../../migrations/0014_trend_days_by_instrument.sql?raw';
import { type Trend, DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { eraseClientStatements, expireSessionsStatements } from '../../../worker/db/admin-queries.ts';
import { TREND_DAYS_FROM_SCRATCH } from '../../../worker/db/trend-queries.ts';
import { likertInstrument } from '../../samples.ts';
import { daysAgo, storeRaw } from '../caseload/seed.ts';
import { call, seedPlatform, type TestPlatform } from '../helpers.ts';

/** likert-3 v2: three items 1..7 (totals 3..21) beside the built-in one: four items 0..10 (totals 0..40). */
const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
const BUILTIN = DEFAULT_INSTRUMENT;

const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;

async function trendOf(p: TestPlatform, sid: string, ins: string = BUILTIN.id): Promise<Trend> {
  const res = await call('/v1/trends', { token: await p.mint({ sid, tid: 't', cid: 'c', role: 'therapist', ins }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Trend;
}

/**
 * What the trend read before 0014: every rated total of the therapist over the window, whatever the instrument (the
 * sum therapist_days kept until 0015 dropped it).
 */
async function mixedMean(platformId: string): Promise<number> {
  const tid = await hashRef(env.REF_HASH_SECRET, platformId, 'tid', 't');
  const row = await env.DB.prepare(
    "SELECT count(*) AS rated, sum(CAST(round(total * 100) AS INTEGER)) AS totalSum FROM ratings WHERE platform_id = ?1 AND therapist_hash = ?2 AND status = 'rated'",
  )
    .bind(platformId, tid)
    .first<{ rated: number; totalSum: number }>();
  return Math.round(row!.totalSum / row!.rated) / 100;
}

describe('the trend on a platform with two instruments', () => {
  // Interleaved over ten days: therapist t with client c (both instruments) and client c2 (both instruments).
  const likertC = [6, 9, 14, 5];
  const builtinC = [31, 36, 28.5, 34];
  const likertC2 = [18, 12];
  const builtinC2 = [39, 22];

  async function seeded() {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    for (let i = 0; i < 4; i++) {
      await storeRaw(p.platformId, { sid: `b${i}`, tid: 't', cid: 'c', at: daysAgo(10 - 2 * i), total: builtinC[i]! });
      await storeRaw(p.platformId, {
        sid: `l${i}`,
        tid: 't',
        cid: 'c',
        at: daysAgo(9 - 2 * i),
        total: likertC[i]!,
        share: 0.5,
        instrument: LIKERT,
      });
    }
    for (let i = 0; i < 2; i++) {
      await storeRaw(p.platformId, { sid: `x${i}`, tid: 't', cid: 'c2', at: daysAgo(6 - i), total: builtinC2[i]! });
      await storeRaw(p.platformId, {
        sid: `y${i}`,
        tid: 't',
        cid: 'c2',
        at: daysAgo(6 - i),
        total: likertC2[i]!,
        instrument: LIKERT,
      });
    }
    return p;
  }

  it('shows, for a session on one instrument, the mean and the series of that instrument only', async () => {
    const p = await seeded();
    // The last likert session (token naming likert-3, as the platform's tokens for it do).
    const l = await trendOf(p, 'l3', 'likert-3');
    const likertAll = [...likertC, ...likertC2];
    expect(l.therapist.sessions).toBe(likertAll.length);
    expect(l.therapist.meanTotal).toBe(mean(likertAll));
    expect(l.therapist.meanTotal!).toBeGreaterThanOrEqual(3);
    expect(l.therapist.meanTotal!).toBeLessThanOrEqual(21);
    expect(l.client.map((x) => x.total)).toEqual(likertC);
    expect(l.client.every((x) => x.items.length === 3)).toBe(true);
    // The share is on one 0..1 scale whatever the instrument: still over all the therapist's sessions with pacing.
    expect(l.therapist.meanTherapistShare).toBe(0.5);

    // The last built-in session: the built-in totals only.
    const b = await trendOf(p, 'b3');
    expect(b.therapist.sessions).toBe(builtinC.length + builtinC2.length);
    expect(b.therapist.meanTotal).toBe(mean([...builtinC, ...builtinC2]));
    expect(b.client.map((x) => x.total)).toEqual(builtinC);

    // Before 0014 both read the mixed rollup: a mean of 21.21, above every likert-3 total and far below the built-in mean.
    const mixed = await mixedMean(p.platformId);
    expect(mixed).toBe(mean([...likertAll, ...builtinC, ...builtinC2]));
    expect(mixed).toBeGreaterThan(21);
    expect(l.therapist.meanTotal).not.toBe(mixed);
  });

  it('takes the session’s recorded instrument over the token’s, and the token’s before the session is recorded', async () => {
    const p = await seeded();
    // A therapist token naming the built-in instrument for a session recorded (and rated) on likert-3.
    const recorded = await trendOf(p, 'l2', BUILTIN.id);
    expect(recorded.therapist.meanTotal).toBe(mean([...likertC, ...likertC2]));
    expect(recorded.client.map((x) => x.total)).toEqual(likertC);
    // A session not recorded yet: the token's instrument; the series ends with the (unrated) session itself.
    const fresh = await trendOf(p, 'new', 'likert-3');
    expect(fresh.therapist.meanTotal).toBe(mean([...likertC, ...likertC2]));
    expect(fresh.client.map((x) => x.total)).toEqual([...likertC]);
    const freshBuiltin = await trendOf(p, 'new', BUILTIN.id);
    expect(freshBuiltin.therapist.meanTotal).toBe(mean([...builtinC, ...builtinC2]));
  });

  it('the summary’s trend is the same as GET /v1/trends for the session', async () => {
    const p = await seeded();
    const token = await p.mint({ sid: 'l1', tid: 't', cid: 'c', role: 'therapist', ins: 'likert-3' });
    const res = await call('/v1/session/summary', { token });
    expect(res.status).toBe(200);
    const s = (await res.json()) as { trend: Trend; maxTotal: number };
    expect(s.maxTotal).toBe(21);
    expect(s.trend.therapist.meanTotal).toBe(mean([...likertC, ...likertC2]));
    expect(s.trend.client.map((x) => x.total)).toEqual(likertC);
  });
});

describe('therapist_trend_days (migration 0014) never drifts', () => {
  it('equals its recomputation after writes on two instruments, declines, retention, erasure and the backfill', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 60; i++) {
      const likert = rand() < 0.5;
      const total =
        rand() < 0.1 ? ('declined' as const) : likert ? 3 + Math.floor(rand() * 19) : Math.round(rand() * 400) / 10;
      await storeRaw(p.platformId, {
        sid: `s${i}`,
        tid: `t${i % 3}`,
        cid: `c${Math.floor(rand() * 5)}`,
        at: daysAgo(60 - Math.floor(i * 0.8)),
        total,
        ...(rand() < 0.7 ? { share: Math.round(rand() * 100) / 100 } : {}),
        ...(likert ? { instrument: LIKERT } : {}),
      });
    }
    const norm = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
    const stored = async () =>
      (
        await env.DB.prepare('SELECT * FROM therapist_trend_days WHERE platform_id = ?1')
          .bind(p.platformId)
          .all<Record<string, unknown>>()
      ).results;
    const check = async () => {
      const want = (await env.DB.prepare(TREND_DAYS_FROM_SCRATCH).bind(p.platformId).all()).results;
      expect(norm(await stored())).toEqual(norm(want));
    };
    await check();
    const rows = await stored();
    expect(new Set(rows.map((r) => r.instrument_id))).toEqual(new Set([BUILTIN.id, 'likert-3']));
    expect(rows.every((r) => (r.rated as number) > 0)).toBe(true);

    await env.DB.batch(expireSessionsStatements(env.DB, p.platformId, daysAgo(40), 20));
    await check();
    await env.DB.batch(
      eraseClientStatements(env.DB, p.platformId, await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', 'c1')),
    );
    await check();
    expect((await stored()).length).toBeGreaterThan(5);
    // Migration 0014's backfill (run on the existing ratings when it was applied) builds the same rows.
    const backfill = /INSERT INTO therapist_trend_days\s+SELECT[\s\S]*?;/.exec(migration0014)?.[0];
    expect(backfill).toBeDefined();
    await env.DB.prepare('DELETE FROM therapist_trend_days').run();
    await env.DB.prepare(backfill!).run();
    await check();
    // Erasing every client leaves no row behind.
    for (let c = 0; c < 5; c++)
      await env.DB.batch(
        eraseClientStatements(env.DB, p.platformId, await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', `c${c}`)),
      );
    expect(await stored()).toEqual([]);
  });
});
