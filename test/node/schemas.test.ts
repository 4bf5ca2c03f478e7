import * as v from 'valibot';
import { expect, it } from 'vitest';
import { RatingSubmission } from '../../schemas/index.ts';
it('rejects two decimals', () => {
  const bad = { kind: 'rating', instrument: 'x', version: 1, items: [{ id: 'bond', value: 9.25 }] };
  expect(v.safeParse(RatingSubmission, bad).success).toBe(false);
  expect(v.safeParse(RatingSubmission, { ...bad, items: [{ id: 'bond', value: 9.2 }] }).success).toBe(true);
});
