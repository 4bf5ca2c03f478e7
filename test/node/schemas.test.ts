import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Instrument, DEFAULT_INSTRUMENT, RatingSubmission } from '../../schemas/index.ts';

const rating = (value: unknown) => ({ kind: 'rating', instrument: 'x', version: 1, items: [{ id: 'bond', value }] });

describe('shared schemas', () => {
  it('take any finite score (the Worker checks it against the instrument) but nothing absurd', () => {
    expect(v.safeParse(RatingSubmission, rating(9.25)).success).toBe(true);
    for (const bad of [Number.NaN, Infinity, 2e6, '9', null])
      expect(v.safeParse(RatingSubmission, rating(bad)).success).toBe(false);
  });

  it('reject an instrument whose scale cannot be rated', () => {
    expect(v.safeParse(Instrument, DEFAULT_INSTRUMENT).success).toBe(true);
    expect(v.safeParse(Instrument, { ...DEFAULT_INSTRUMENT, step: 0 }).success).toBe(false);
    expect(v.safeParse(Instrument, { ...DEFAULT_INSTRUMENT, min: 10, max: 10 }).success).toBe(false);
  });
});
