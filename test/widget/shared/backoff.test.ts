import { expect, it } from 'vitest';
import { backoff } from '../../../widget/shared/backoff.ts';

it('doubles from the base with each attempt, up to the cap', () => {
  expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoff(n, 1000, 30_000))).toEqual([
    1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
  ]);
  expect(backoff(100, 1000, 60_000)).toBe(60_000);
});
