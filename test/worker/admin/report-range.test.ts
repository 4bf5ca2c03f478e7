import { expect, it } from 'vitest';
import { dateOfDay, dayFromDate, weekStart } from '../../../worker/admin/reports/range.ts';

it('weekStart finds the Monday', () => {
  for (const d of ['2026-01-05', '2026-01-07', '2026-01-11'])
    expect(dateOfDay(weekStart(dayFromDate(d)!))).toBe('2026-01-05');
  expect(dateOfDay(weekStart(dayFromDate('1970-01-01')!))).toBe('1969-12-29');
});
