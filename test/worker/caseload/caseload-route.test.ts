import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type CaseloadResponse, DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import worker from '../../../worker/index.ts';
import { likertInstrument } from '../../samples.ts';
import { countingDb } from '../d1-counter.ts';
import { call, seedPlatform } from '../helpers.ts';
import { caseloadToken, daysAgo, postCaseload, storeRaw } from './seed.ts';

async function caseloadOf(token: string, body: unknown): Promise<CaseloadResponse> {
  const res = await postCaseload(token, body);
  expect(res.status).toBe(200);
  return res.json<CaseloadResponse>();
}

describe('POST /v1/caseload', () => {
  it('answers per ref asked, in the caller’s order: not on track with its reason, on track, too few, unknown', async () => {
    const p = await seedPlatform();
    const tid = 'dr-ada';
    const series: Record<string, number[]> = {
      falling: [34, 33, 35, 28], // 6 below the baseline of 34 (and no two falls: 33 -> 35 rose)
      steady: [30, 31, 30, 31],
      new: [33],
    };
    for (const [cid, totals] of Object.entries(series))
      for (const [i, total] of totals.entries())
        await storeRaw(p.platformId, { sid: `${cid}-${i}`, tid, cid, at: daysAgo(40 - i * 7), total });
    const r = await caseloadOf(await caseloadToken(p, tid), {
      clients: ['steady', 'nobody-we-know', 'falling', 'new', 'steady'],
    });
    expect(r.clients.map((c) => [c.ref, c.status])).toEqual([
      ['steady', 'on_track'],
      ['nobody-we-know', 'no_data'],
      ['falling', 'not_on_track'],
      ['new', 'too_few'],
    ]);
    const falling = r.clients[2]!;
    expect(falling).toMatchObject({ rated: 4, totals: [34, 33, 35, 28], lastAt: daysAgo(19) });
    expect(falling.reasons).toEqual([{ rule: 'below_baseline', threshold: 4, baseline: 34, sessions: 3, latest: 28 }]);
    expect(r.instrument).toEqual({ id: 'attune-session-4', version: 1, maxTotal: 40 });
  });

  it('makes no claim with fewer than 10 sessions on a side of the talk-share threshold', async () => {
    const p = await seedPlatform();
    for (let i = 0; i < 9; i++)
      await storeRaw(p.platformId, {
        sid: `hi-${i}`,
        tid: 't',
        cid: `c${i}`,
        at: daysAgo(i + 1),
        total: 28,
        share: 0.7,
      });
    for (let i = 0; i < 15; i++)
      await storeRaw(p.platformId, {
        sid: `lo-${i}`,
        tid: 't',
        cid: `c${i}`,
        at: daysAgo(i + 1),
        total: 32,
        share: 0.4,
      });
    const { comparison } = (await caseloadOf(await caseloadToken(p, 't'), { clients: ['c1'] })).pacing;
    expect(comparison).toEqual({
      thresholdShare: 0.6,
      minSessions: 10,
      above: { sessions: 9, meanTotal: 28 },
      atOrBelow: { sessions: 15, meanTotal: 32 },
      difference: null,
      ci95: null,
    });
  });

  it('compares ratings above and below 60 % talk with Welch’s interval once both sides have 10', async () => {
    const p = await seedPlatform();
    const above = [28, 29, 31, 27, 30, 26, 29, 28, 30, 27, 28, 25];
    const below = [31, 30, 32, 29, 33, 30, 31, 28, 32, 30, 31, 29, 30, 31];
    for (const [i, total] of above.entries())
      await storeRaw(p.platformId, {
        sid: `a${i}`,
        tid: 't',
        cid: 'c',
        at: daysAgo(i + 1),
        total,
        share: 0.65 + (i % 3) * 0.1,
        longestTurn: 100,
        overlaps: 6,
      });
    // A share of exactly 60 % is not "more than 60 %".
    for (const [i, total] of below.entries())
      await storeRaw(p.platformId, {
        sid: `b${i}`,
        tid: 't',
        cid: 'c',
        at: daysAgo(i + 1),
        total,
        share: i === 0 ? 0.6 : 0.45,
        longestTurn: 50,
        overlaps: 2,
      });
    const r = await caseloadOf(await caseloadToken(p, 't'), { clients: ['c'] });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const c = r.pacing.comparison;
    expect(c.above).toEqual({ sessions: 12, meanTotal: Math.round(mean(above) * 100) / 100 });
    expect(c.atOrBelow).toEqual({ sessions: 14, meanTotal: Math.round(mean(below) * 100) / 100 });
    expect(c.difference).toBeCloseTo(mean(above) - mean(below), 2);
    // Welch by hand: variances, df, t(0.975, df).
    const v = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1);
    const se = Math.sqrt(v(above) / 12 + v(below) / 14);
    expect(c.ci95![0]).toBeLessThan(c.difference!);
    expect(c.ci95![1]).toBeLessThan(0); // clearly lower: the interval stays below zero
    expect(c.ci95![1] - c.ci95![0]).toBeCloseTo(2 * 2.07 * se, 1); // df ~ 20 here: t ~ 2.07
    expect(r.pacing).toMatchObject({
      sessions: 26,
      meanLongestTurnSeconds: Math.round(((12 * 100 + 14 * 50) / 26) * 10) / 10,
    });
    expect(r.pacing.weeks.reduce((n, w) => n + w.sessions, 0)).toBe(26);
    // Sessions 1 to 14 days ago fall in at most three weeks, each starting on a UTC midnight.
    expect(r.pacing.weeks.length).toBeLessThanOrEqual(3);
    for (const w of r.pacing.weeks) expect(w.start % 86_400).toBe(0);
    expect(r.pacing.weeks.map((w) => w.start)).toEqual([...r.pacing.weeks.map((w) => w.start)].sort((x, y) => x - y));
  });

  it('the window (days) leaves older sessions out, and the platform’s talk-balance cue sets the threshold', async () => {
    const p = await seedPlatform({ settings: { cues: { balanceShareAbove: 0.5 } } });
    await storeRaw(p.platformId, { sid: 'old', tid: 't', cid: 'c', at: daysAgo(100), total: 20, share: 0.55 });
    await storeRaw(p.platformId, { sid: 'new', tid: 't', cid: 'c', at: daysAgo(10), total: 30, share: 0.55 });
    const r = await caseloadOf(await caseloadToken(p, 't'), { clients: ['c'], days: 60 });
    expect(r.days).toBe(60);
    expect(r.pacing.comparison).toMatchObject({ thresholdShare: 0.5, above: { sessions: 1, meanTotal: 30 } });
    // The client's own trajectory is not windowed: both ratings count.
    expect(r.clients[0]).toMatchObject({ rated: 2, totals: [20, 30] });
  });

  it('refuses bad input with a 4xx that does not echo it, and stores nothing it was sent', async () => {
    const p = await seedPlatform();
    const token = await caseloadToken(p);
    const secretRef = 'RAW-client-jane.doe@example';
    const bad: unknown[] = [
      {},
      { clients: 'c' },
      { clients: [secretRef, ''] },
      { clients: [`${secretRef} with space`] },
      { clients: Array.from({ length: 201 }, (_, i) => `c${i}`) },
      { clients: ['c'], days: 7 },
      { clients: ['c'], days: 1.5 },
      { clients: ['c'], names: [secretRef] },
    ];
    for (const body of bad) {
      const res = await postCaseload(token, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(422);
      expect(await res.text()).not.toContain('jane');
    }
    const notJson = await call('/v1/caseload', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'text/plain' },
      body: 'x',
    });
    expect(notJson.status).toBe(415);
    const broken = await call('/v1/caseload', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"clients":[',
    });
    expect(broken.status).toBe(400);
    expect((await call('/v1/caseload', { token })).status).toBe(405);
    expect((await postCaseload(token, { clients: [secretRef] })).status).toBe(200);
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      expect(JSON.stringify(rows.results), name).not.toContain('jane');
    }
  });

  it('refuses a browser on an origin the platform did not register', async () => {
    const p = await seedPlatform({ origins: ['https://care.example'] });
    const token = await caseloadToken(p);
    expect((await postCaseload(token, { clients: ['c'] }, { Origin: 'https://care.example' })).status).toBe(200);
    expect((await postCaseload(token, { clients: ['c'] }, { Origin: 'https://evil.example' })).status).toBe(403);
  });

  describe('a client rated on two versions of an instrument (a new version may have another scale)', () => {
    // scale-x v1 is the 0..40 four-item scale; v2 (first: tokens get it now) a 1..7 three-item one, totals 3..21.
    const v1 = { ...DEFAULT_INSTRUMENT, id: 'scale-x', version: 1 };
    const v2 = { ...likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' })), id: 'scale-x' };

    async function twoVersions(series: Record<string, [number, typeof v1][]>) {
      const p = await seedPlatform({ settings: { instruments: [v2, v1] } });
      for (const [cid, ratings] of Object.entries(series))
        for (const [i, [total, instrument]] of ratings.entries())
          await storeRaw(p.platformId, {
            sid: `${cid}-${i}`,
            tid: 't',
            cid,
            at: daysAgo(60 - i * 7),
            total,
            instrument,
          });
      return caseloadOf(await caseloadToken(p, 't', { ins: 'scale-x' }), { clients: Object.keys(series) });
    }

    it('a change of scale alone is not "not on track"; the sparkline is on the latest rating’s version, named', async () => {
      const r = await twoVersions({
        // 36, 35, 36 of 40, then 15 of 21 (a middling rating on the new scale).
        switched: [
          [36, v1],
          [35, v1],
          [36, v1],
          [15, v2],
        ],
        // A real fall within v2 is still one: 15, 15, 15, then 9 (6 below the baseline of 15).
        falling: [
          [36, v1],
          [15, v2],
          [15, v2],
          [15, v2],
          [9, v2],
        ],
      });
      const [switched, falling] = r.clients;
      // Before: totals [36, 35, 36, 15] (two scales in one sparkline) and not_on_track, below_baseline with a baseline
      // of 35.67 and a "drop" of 20.67 points that was only the change of scale.
      expect(switched).toMatchObject({
        status: 'too_few',
        reasons: [],
        rated: 4,
        totals: [15],
        instrument: { id: 'scale-x', version: 2, maxTotal: 21 },
      });
      expect(falling).toMatchObject({
        status: 'not_on_track',
        rated: 5,
        totals: [15, 15, 15, 9],
        instrument: { id: 'scale-x', version: 2, maxTotal: 21 },
      });
      // v2 has no drop rules: the stand-in is 1.8 points of its 3..21 (was the 4 meant for 0..40).
      expect(falling!.reasons).toEqual([
        { rule: 'below_baseline', threshold: 1.8, baseline: 15, sessions: 3, latest: 9 },
      ]);
    });

    it('a client whose latest rating is still on the old version is judged and drawn on that version', async () => {
      const r = await twoVersions({
        back: [
          [30, v1],
          [6, v2],
          [31, v1],
          [32, v1],
        ],
        unknown: [],
      });
      // Before: totals [30, 6, 31, 32].
      expect(r.clients[0]).toMatchObject({
        status: 'on_track',
        totals: [30, 31, 32],
        instrument: { id: 'scale-x', version: 1, maxTotal: 40 },
      });
      expect(r.clients[1]).toMatchObject({ status: 'no_data', totals: [], instrument: null });
    });
  });

  describe('each client is judged with the drop rules of the instrument version their totals are on', () => {
    // likert-3 v2: three items 1..7, totals 3..21 (18 points of range); the built-in one: totals 0..40, drops of 4.
    const text = (id: string) => ({ label: id, low: 'low', high: 'high' });
    const series = {
      // 3 below a baseline of 15 on the small scale: a sixth of its range, under the built-in 4 points.
      small: [15, 15, 15, 12],
      // 3 below a baseline of 34 on the 0..40 scale: under its own 4 points, over the small scale's 2.
      big: [34, 34, 34, 31],
    };

    /** A platform with `likert` registered, and therapist t's clients rated as in `series`. */
    async function seeded(likert: ReturnType<typeof likertInstrument>) {
      const p = await seedPlatform({ settings: { instruments: [likert] } });
      const on = { small: likert, big: DEFAULT_INSTRUMENT };
      for (const [cid, totals] of Object.entries(series))
        for (const [i, total] of totals.entries())
          await storeRaw(p.platformId, {
            sid: `${cid}-${i}`,
            tid: 't',
            cid,
            at: daysAgo(40 - i * 7),
            total,
            instrument: on[cid as keyof typeof on],
          });
      return p;
    }

    async function caseloadOn(likert: ReturnType<typeof likertInstrument>, ins?: string) {
      const p = await seeded(likert);
      const token = await caseloadToken(p, 't', ins ? { ins } : {});
      return caseloadOf(token, { clients: Object.keys(series) });
    }

    it('on the token’s 0..40 instrument, a client on the small scale falls by that scale’s own threshold', async () => {
      const r = await caseloadOn(likertInstrument('en', text, { dropFromMean: 2, dropFromPrevious: 2 }));
      expect(r.rules).toMatchObject({ baselineDrop: 4, fallsDrop: 4 });
      const [small, big] = r.clients;
      // Before: small was on_track, its 3-point drop measured against the built-in instrument's 4 points.
      expect(small).toMatchObject({ status: 'not_on_track', instrument: { id: 'likert-3', version: 2, maxTotal: 21 } });
      expect(small!.reasons).toEqual([{ rule: 'below_baseline', threshold: 2, baseline: 15, sessions: 3, latest: 12 }]);
      expect(small!.instrument!.rules).toEqual({ baselineDrop: 2, window: 10, minSessions: 3, fallsDrop: 2 });
      expect(big).toMatchObject({ status: 'on_track', reasons: [] });
      expect(big!.instrument!.rules).toEqual(r.rules);
    });

    it('on the token’s small-scale instrument, a client on the 0..40 scale is held to its 4 points', async () => {
      const r = await caseloadOn(likertInstrument('en', text, { dropFromMean: 2, dropFromPrevious: 2 }), 'likert-3');
      expect(r.rules).toMatchObject({ baselineDrop: 2, fallsDrop: 2 });
      const [small, big] = r.clients;
      // Before: big was not_on_track, below_baseline with a threshold of 2 (the small scale's) for a 3-point dip of 40.
      expect(big).toMatchObject({
        status: 'on_track',
        reasons: [],
        instrument: { id: 'attune-session-4', maxTotal: 40 },
      });
      expect(small).toMatchObject({ status: 'not_on_track' });
    });

    it('an instrument without drop rules stands in a tenth of its own range, as the built-in 4 is of 40', async () => {
      // likert-3 with both drop flags off: 1.8 points of its 3..21.
      const r = await caseloadOn(likertInstrument('en', text));
      const [small, big] = r.clients;
      // Before: small was on_track, against the stand-in of 4 points meant for 0..40.
      expect(small!.reasons).toEqual([
        { rule: 'below_baseline', threshold: 1.8, baseline: 15, sessions: 3, latest: 12 },
      ]);
      expect(big).toMatchObject({ status: 'on_track' });
    });

    it('the platform’s `flags` apply over each version’s own rules, as when its ratings are flagged', async () => {
      const p = await seedPlatform({
        settings: { instruments: [likertInstrument('en', text)], flags: { dropFromMean: 3 } },
      });
      for (const [i, total] of series.small.entries())
        await storeRaw(p.platformId, {
          sid: `s-${i}`,
          tid: 't',
          cid: 'small',
          at: daysAgo(40 - i * 7),
          total,
          instrument: likertInstrument('en', text),
        });
      const [small] = (await caseloadOf(await caseloadToken(p, 't'), { clients: ['small'] })).clients;
      // dropFromMean 3 from the platform; dropFromPrevious off on likert-3, so the falls rule takes the other drop.
      expect(small!.instrument!.rules).toEqual({ baselineDrop: 3, window: 10, minSessions: 3, fallsDrop: 3 });
      expect(small!.reasons).toEqual([{ rule: 'below_baseline', threshold: 3, baseline: 15, sessions: 3, latest: 12 }]);
    });

    it('resolves rules in memory: clients on two versions and an unknown one cost the same D1 statements as one', async () => {
      const p = await seeded(likertInstrument('en', text, { dropFromMean: 2 }));
      const token = await caseloadToken(p, 't');
      const counted = async (clients: string[]) => {
        const { db, log } = countingDb(env.DB);
        const ctx = createExecutionContext();
        const res = await worker.fetch(
          new Request('https://api.attune.test/v1/caseload', {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ clients }),
          }),
          { ...env, DB: db },
          ctx,
        );
        await waitOnExecutionContext(ctx);
        expect(res.status).toBe(200);
        return log.map((r) => [r.batch, r.sql]);
      };
      await counted(['small']); // anything the first request of a platform caches
      const one = await counted(['small']);
      expect(await counted(['small', 'big', 'nobody'])).toEqual(one);
      expect(one.length).toBeGreaterThan(0);
    });
  });

  describe('on a platform with two instruments on different scales', () => {
    // likert-3 v2: three items 1..7, totals 3..21; the built-in one: four items 0..10, totals 0..40.
    const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
    const likertAbove = [6, 7, 5, 8, 6, 7, 6, 5, 7, 6, 8, 6];
    const likertBelow = [15, 16, 14, 17, 15, 16, 15, 14, 16, 15, 17, 16];
    const builtinAbove = [36, 35, 37, 36, 34, 36, 35, 37, 36, 35];
    const builtinBelow = [38, 37, 39, 38, 36, 38, 37, 39, 38, 37];
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;

    async function twoInstruments() {
      const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
      const sessions: [string, number[], number, typeof LIKERT][] = [
        ['la', likertAbove, 0.7, LIKERT],
        ['lb', likertBelow, 0.4, LIKERT],
        ['ba', builtinAbove, 0.7, DEFAULT_INSTRUMENT],
        ['bb', builtinBelow, 0.4, DEFAULT_INSTRUMENT],
      ];
      for (const [prefix, totals, share, instrument] of sessions)
        for (const [i, total] of totals.entries())
          await storeRaw(p.platformId, {
            sid: `${prefix}${i}`,
            tid: 't',
            cid: `c${i % 4}`,
            at: daysAgo(i + 1),
            total,
            share,
            instrument,
          });
      return p;
    }

    it('compares within the instrument with the most sessions and says which; never averages across scales', async () => {
      const p = await twoInstruments();
      // The token's instrument is the built-in one; the comparison is on likert-3 (24 sessions against 20).
      const r = await caseloadOf(await caseloadToken(p, 't'), { clients: ['c0'] });
      const c = r.pacing.comparison;
      expect(c.above).toEqual({ sessions: 12, meanTotal: mean(likertAbove) });
      expect(c.atOrBelow).toEqual({ sessions: 12, meanTotal: mean(likertBelow) });
      expect(r.instrument).toMatchObject({ id: 'attune-session-4', maxTotal: 40 });
      expect(r.pacing.instrument).toEqual({ id: 'likert-3', version: 2, maxTotal: 21 });
      // Mixed with the other scale, the "above" mean would be 19.73: on neither instrument's terms.
      expect(mean([...likertAbove, ...builtinAbove])).toBe(19.73);
      expect(c.difference).toBeCloseTo(mean(likertAbove) - mean(likertBelow), 2);
      expect(r.pacing.sessions).toBe(24);
      expect(r.pacing.meanTotal).toBe(mean([...likertAbove, ...likertBelow]));
      for (const w of r.pacing.weeks) {
        expect(w.meanTotal).toBeGreaterThanOrEqual(3);
        expect(w.meanTotal).toBeLessThanOrEqual(21);
      }
      expect(r.pacing.weeks.reduce((n, w) => n + w.sessions, 0)).toBe(24);
    });

    it('compares on the instrument the body names; an unregistered one is a 422 that does not echo it', async () => {
      const p = await twoInstruments();
      const token = await caseloadToken(p, 't');
      const r = await caseloadOf(token, { clients: [], instrument: 'attune-session-4' });
      expect(r.pacing.instrument).toEqual({ id: 'attune-session-4', version: 1, maxTotal: 40 });
      expect(r.pacing.comparison.above).toEqual({ sessions: 10, meanTotal: mean(builtinAbove) });
      expect(r.pacing.comparison.atOrBelow).toEqual({ sessions: 10, meanTotal: mean(builtinBelow) });
      expect(r.pacing.comparison.difference).not.toBeNull(); // 10 on each side: the minimum
      expect(r.pacing.sessions).toBe(20);

      const unknown = await postCaseload(token, { clients: [], instrument: 'jane-doe-scale' });
      expect(unknown.status).toBe(422);
      const body = await unknown.text();
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'unknown_instrument' } });
      expect(body).not.toContain('jane');
      for (const instrument of ['', 7, 'x'.repeat(65), null]) {
        const res = await postCaseload(token, { clients: [], instrument });
        expect(res.status, JSON.stringify(instrument)).toBe(422);
      }

      // A registered instrument without sessions in the window: nothing to compare, still named.
      const empty = await seedPlatform({ settings: { instruments: [LIKERT] } });
      await storeRaw(empty.platformId, { sid: 's', tid: 't', cid: 'c', at: daysAgo(2), total: 30, share: 0.7 });
      const none = await caseloadOf(await caseloadToken(empty, 't'), { clients: [], instrument: 'likert-3' });
      expect(none.pacing).toMatchObject({
        instrument: { id: 'likert-3', version: 2, maxTotal: 21 },
        sessions: 0,
        meanTotal: null,
        weeks: [],
      });
    });
  });
});
