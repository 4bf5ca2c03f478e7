import { expect, it } from 'vitest';
import { summaryRank } from '../../../worker/live/session-live.ts';

it('summaryRank orders what a summary knows', () => {
  const base = { instrument: null, items: [], total: null, maxTotal: null, flags: [], ratedAt: null };
  expect(summaryRank({ ...base, status: 'pending', pacing: null })).toBe(0);
  expect(summaryRank({ ...base, status: 'pending', pacing: {} as never })).toBe(1);
  expect(summaryRank({ ...base, status: 'rated', pacing: null })).toBe(2);
  expect(summaryRank({ ...base, status: 'declined', pacing: {} as never })).toBe(3);
});
