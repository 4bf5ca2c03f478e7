import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { RatingSubmission } from '../../../schemas/rating.ts';
import { isRatingSubmission } from '../../../widget/client/check-rating.ts';

const ok = { kind: 'rating', instrument: 'attune-session-4', version: 1, items: [{ id: 'bond', value: 7.5 }] };
const samples: unknown[] = [
  ok,
  { kind: 'declined' },
  { ...ok, items: Array.from({ length: 12 }, (_, i) => ({ id: 'i' + i, value: 0 })) },
  { ...ok, items: Array.from({ length: 13 }, (_, i) => ({ id: 'i' + i, value: 0 })) },
  { ...ok, items: [] },
  { ...ok, instrument: '' },
  { ...ok, instrument: 'x'.repeat(65) },
  { ...ok, instrument: 4 },
  { ...ok, version: 0 },
  { ...ok, version: 1.5 },
  { ...ok, version: '1' },
  { ...ok, items: [{ id: 'Bond', value: 5 }] },
  { ...ok, items: [{ id: 'a'.repeat(33), value: 5 }] },
  { ...ok, items: [{ id: 'bond', value: Number.NaN }] },
  { ...ok, items: [{ id: 'bond', value: Infinity }] },
  { ...ok, items: [{ id: 'bond', value: '5' }] },
  { ...ok, items: 'bond' },
  { kind: 'other' },
];

describe('isRatingSubmission', () => {
  it('accepts exactly what the RatingSubmission schema accepts (on samples valid under any instrument range)', () => {
    for (const s of samples)
      expect([s, isRatingSubmission(s as RatingSubmission)]).toEqual([s, v.is(RatingSubmission, s)]);
    expect(samples.filter((s) => isRatingSubmission(s as RatingSubmission))).toHaveLength(3);
  });
});
