import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT, SRS_CUTOFFS, type SessionSummary } from '../../../schemas/index.ts';
import { likertInstrument } from '../../samples.ts';
import { storeRaw } from '../caseload/seed.ts';
import { call, postJson, seedPlatform, sessionPath, type TestPlatform } from '../helpers.ts';

/** A rating whose four items sum to `total` (each item total / 4). */
const ratingOf = (total: number, instrument = 'attune-session-4') => ({
  kind: 'rating',
  instrument,
  version: 1,
  items: ['bond', 'goals', 'approach', 'overall'].map((id) => ({ id, value: total / 4 })),
});

async function rate(p: TestPlatform, sid: string, tid: string, total: number, ins?: string) {
  const res = await postJson(
    sessionPath('rating'),
    await p.mint({ sid, tid, ...(ins ? { ins } : {}) }),
    ratingOf(total, ins),
  );
  expect(res.status).toBe(201);
}

async function flagsOf(p: TestPlatform, sid: string, tid: string, ins?: string) {
  const token = await p.mint({ sid, tid, role: 'therapist', ...(ins ? { ins } : {}) });
  const summary = await (await call(sessionPath('summary'), { token })).json<SessionSummary>();
  return summary.flags;
}
const rulesOf = async (...args: Parameters<typeof flagsOf>) => (await flagsOf(...args)).map((f) => f.rule);

describe('flags relative to the client’s own sessions', () => {
  it('compares with the same client’s previous session with the same therapist, not another therapist’s', async () => {
    const p = await seedPlatform();
    await rate(p, 'drop-a1', 'therapist-a', 39.2);
    await rate(p, 'drop-b1', 'therapist-b', 30);
    // Therapist A's next session: 5.2 below A's previous (39.2), above B's (30), which is more recent.
    await rate(p, 'drop-a2', 'therapist-a', 34);
    expect(await flagsOf(p, 'drop-a2', 'therapist-a')).toEqual([
      { rule: 'drop_from_previous', threshold: 4, previous: 39.2, total: 34 },
    ]);
  });

  it('follows the session order (client_seq), not the order the ratings came in', async () => {
    const p = await seedPlatform();
    // Sessions 1 and 2 are recorded in that order (context at mount), but session 1 is rated after session 2.
    for (const sid of ['order-1', 'order-2'])
      expect((await call('/v1/context', { token: await p.mint({ sid }) })).status).toBe(200);
    await rate(p, 'order-2', p.refs.tid, 30);
    await rate(p, 'order-1', p.refs.tid, 39.2);
    // Make the rating times say the opposite of the session order, whatever second they fell in.
    await env.DB.prepare('UPDATE ratings SET rated_at = rated_at - 100 WHERE platform_id = ?1 AND total = 30')
      .bind(p.platformId)
      .run();
    // Session 3 follows session 2 (30): 34 is no drop, although the latest rating (session 1) was 39.2.
    await rate(p, 'order-3', p.refs.tid, 34);
    expect(await rulesOf(p, 'order-3', p.refs.tid)).not.toContain('drop_from_previous');
  });

  it('a small dip is no flag; a slide below the running mean is, once three earlier sessions carry it', async () => {
    const p = await seedPlatform();
    const tid = p.refs.tid;
    // 36, 35.2, 34.4: each only 0.8 below the last. The mean of the last three is 35.2.
    for (const [i, total] of [36, 35.2, 34.4].entries()) await rate(p, `slide-${i}`, tid, total);
    expect(await flagsOf(p, 'slide-1', tid)).toEqual([]);
    expect(await flagsOf(p, 'slide-2', tid)).toEqual([]); // mean of two sessions: too few
    await rate(p, 'slide-3', tid, 31.2); // 3.2 below the previous, 4.0 below the mean
    expect(await flagsOf(p, 'slide-3', tid)).toEqual([
      { rule: 'drop_from_mean', threshold: 4, mean: 35.2, sessions: 3, total: 31.2 },
    ]);
  });

  it('8.5 / 9.2 / 8.8 / 9.0 raises nothing on the default instrument', async () => {
    const p = await seedPlatform();
    const items = [8.5, 9.2, 8.8, 9].map((value, i) => ({ id: DEFAULT_INSTRUMENT.items[i]!.id, value }));
    const res = await postJson(sessionPath('rating'), await p.mint({ sid: 'calm' }), {
      kind: 'rating',
      instrument: DEFAULT_INSTRUMENT.id,
      version: 1,
      items,
    });
    expect(res.status).toBe(201);
    expect(await flagsOf(p, 'calm', p.refs.tid)).toEqual([]);
  });

  it('a platform that registers the licensed SRS gets its 36 / 9 cut-offs for that instrument only', async () => {
    const srs = { ...DEFAULT_INSTRUMENT, id: 'srs-licensed', flags: { ...DEFAULT_INSTRUMENT.flags, ...SRS_CUTOFFS } };
    const p = await seedPlatform({ settings: { instruments: [srs] } });
    await rate(p, 'srs-1', p.refs.tid, 35.2, 'srs-licensed');
    expect(await flagsOf(p, 'srs-1', p.refs.tid, 'srs-licensed')).toEqual([
      { rule: 'total_below', threshold: 36, total: 35.2 },
      {
        rule: 'item_below',
        threshold: 9,
        items: ['bond', 'goals', 'approach', 'overall'].map((id) => ({ id, value: 8.8 })),
      },
    ]);
    await rate(p, 'default-1', p.refs.tid, 35.2);
    expect(await flagsOf(p, 'default-1', p.refs.tid)).toEqual([]);
  });

  it('compares only with sessions on the same instrument version: a new version may have another scale', async () => {
    // scale-x v1 is the 0..40 four-item scale; v2 (first: tokens get it now) a 1..7 three-item one, totals 3..21.
    const v1 = { ...DEFAULT_INSTRUMENT, id: 'scale-x', version: 1 };
    const v2 = {
      ...likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }), { dropFromPrevious: 4 }),
      id: 'scale-x',
    };
    const p = await seedPlatform({ settings: { instruments: [v2, v1] } });
    const { tid, cid } = p.refs;
    const at = Math.floor(Date.now() / 1000) - 7 * 86_400;
    for (const [i, total] of [36, 36].entries())
      await storeRaw(p.platformId, { sid: `v1-${i}`, tid, cid, at: at + i * 86_400, total, instrument: v1 });
    const items = ['a', 'b', 'c'].map((id) => ({ id, value: 5 }));
    const rate2 = async (sid: string, value: number) =>
      expect(
        (
          await postJson(sessionPath('rating'), await p.mint({ sid, tid, ins: 'scale-x' }), {
            kind: 'rating',
            instrument: 'scale-x',
            version: 2,
            items: items.map((it) => ({ ...it, value })),
          })
        ).status,
      ).toBe(201);
    // 15 on the 3..21 scale is no drop from 36 on the 0..40 one.
    await rate2('v2-1', 5);
    expect(await rulesOf(p, 'v2-1', tid, 'scale-x')).not.toContain('drop_from_previous');
    // Within v2, a drop is still a drop: 15 -> 9.
    await rate2('v2-2', 3);
    expect(await flagsOf(p, 'v2-2', tid, 'scale-x')).toEqual([
      { rule: 'drop_from_previous', threshold: 4, previous: 15, total: 9 },
    ]);
  });

  it('every rule is configurable per platform, and null switches one off', async () => {
    const p = await seedPlatform({ settings: { flags: { dropFromPrevious: 1, dropFromMean: false } } });
    await rate(p, 'cfg-1', p.refs.tid, 36);
    await rate(p, 'cfg-2', p.refs.tid, 34.8);
    expect(await rulesOf(p, 'cfg-2', p.refs.tid)).toEqual(['drop_from_previous']);
    const off = await seedPlatform({
      settings: { flags: { totalBelow: null, itemBelow: null, dropFromPrevious: null } },
    });
    await rate(off, 'off-1', off.refs.tid, 36);
    await rate(off, 'off-2', off.refs.tid, 2);
    expect(await flagsOf(off, 'off-2', off.refs.tid)).toEqual([]);
  });
});
