import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INSTRUMENT,
  Instrument,
  RatingSubmission,
  type SessionContext,
  type SessionSummary,
} from '../../../schemas/index.ts';
import { call, postJson, seedPlatform, sessionPath } from '../helpers.ts';

const text = (label: string) => ({ en: { label, low: 'not at all', high: 'completely' } });

const LIKERT_7: Instrument = {
  id: 'likert-7',
  version: 1,
  min: 1,
  max: 7,
  step: 1,
  items: [
    { id: 'helpful', text: text('Helpful') },
    { id: 'understood', text: text('Understood') },
  ],
  flags: {
    totalBelow: 6,
    itemBelow: 3,
    dropFromPrevious: null,
    dropFromMean: null,
    meanWindow: 10,
    meanMinSessions: 3,
  },
};

const VAS_100: Instrument = {
  id: 'vas-100',
  version: 2,
  min: 0,
  max: 100,
  step: 1,
  items: [{ id: 'overall', text: text('Overall') }],
  flags: {
    totalBelow: 50,
    itemBelow: 50,
    dropFromPrevious: null,
    dropFromMean: null,
    meanWindow: 10,
    meanMinSessions: 3,
  },
};

const rating = (ins: Instrument, values: number[]) => ({
  kind: 'rating',
  instrument: ins.id,
  version: ins.version,
  items: ins.items.map((item, i) => ({ id: item.id, value: values[i] })),
});

describe('instruments other than the default 0..10 scale', () => {
  it('a 1–7 instrument registered for the platform: context, rating end to end, range and step enforced', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT_7, VAS_100] } });
    const sid = 'likert-session';
    const client = await p.mint({ sid, ins: 'likert-7' });
    const ctx = await (await call('/v1/context', { token: client })).json<SessionContext>();
    expect(ctx.instrument).toMatchObject({ id: 'likert-7', min: 1, max: 7, step: 1 });

    for (const bad of [
      [0, 5],
      [8, 5],
      [3.5, 5],
      [7, -1],
    ]) {
      const res = await postJson(sessionPath('rating'), client, rating(LIKERT_7, bad));
      expect(res.status, String(bad)).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_items');
    }
    const res = await postJson(sessionPath('rating'), client, rating(LIKERT_7, [7, 2]));
    expect(res.status).toBe(201);
    const summary = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid, role: 'therapist', ins: 'likert-7' }) })
    ).json<SessionSummary>();
    expect(summary).toMatchObject({
      status: 'rated',
      instrument: { id: 'likert-7', version: 1 },
      total: 9,
      maxTotal: 14,
    });
    expect(summary.flags.map((f) => f.rule)).toEqual(['item_below']);
  });

  it('a 0–100 instrument accepts whole numbers up to 100 and nothing off its step or range', async () => {
    const p = await seedPlatform({ settings: { instruments: [VAS_100] } });
    const client = await p.mint({ sid: 'vas-session', ins: 'vas-100' });
    for (const bad of [100.5, 101, 42.5, -1]) {
      expect((await postJson(sessionPath('rating'), client, rating(VAS_100, [bad]))).status, String(bad)).toBe(422);
    }
    expect((await postJson(sessionPath('rating'), client, rating(VAS_100, [85]))).status).toBe(201);
  });

  it('the default instrument still takes one decimal and nothing finer (tolerant float check)', async () => {
    const p = await seedPlatform();
    const client = await p.mint({});
    const off = rating(DEFAULT_INSTRUMENT, [9.55, 8, 8, 8]);
    expect((await postJson(sessionPath('rating'), client, off)).status).toBe(422);
    expect(
      (await postJson(sessionPath('rating'), client, rating(DEFAULT_INSTRUMENT, [0.1 + 0.2, 10, 0, 7.7]))).status,
    ).toBe(201);
  });

  it('schemas: a value is any finite number within ±1e6; an instrument needs step > 0 and min < max', () => {
    expect(v.is(RatingSubmission, rating(VAS_100, [85]))).toBe(true);
    expect(v.is(RatingSubmission, rating(VAS_100, [Number.NaN]))).toBe(false);
    expect(v.is(RatingSubmission, rating(VAS_100, [2e6]))).toBe(false);
    expect(v.is(Instrument, LIKERT_7)).toBe(true);
    expect(v.is(Instrument, { ...LIKERT_7, step: 0 })).toBe(false);
    expect(v.is(Instrument, { ...LIKERT_7, step: -1 })).toBe(false);
    expect(v.is(Instrument, { ...LIKERT_7, min: 7, max: 7 })).toBe(false);
    expect(v.is(Instrument, { ...LIKERT_7, min: 8, max: 1 })).toBe(false);
  });
});
