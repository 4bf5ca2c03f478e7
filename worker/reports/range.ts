import { ApiFailure } from '../errors.ts';
import { DAY_SECONDS } from '../trend.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DEFAULT_REPORT_DAYS = 91;
export const MAX_REPORT_DAYS = 3 * 366 + 7;

export function dayFromDate(date: string): number | null {
  if (!DATE.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return null;
  return Math.floor(ms / 1000 / DAY_SECONDS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

/** Monday on or before `day` (day 0, 1970-01-01, was a Thursday). */
export function weekStart(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/**
 * The report's range from `from` and `to` (YYYY-MM-DD, inclusive; default the last 13 weeks), widened to
 * whole ISO weeks so that two overlapping queries never differ by less than a week. Residual risk: two
 * reports a week apart still difference to that week's aggregate per group (see buildReport).
 */
export function reportRange(from: string | undefined, to: string | undefined, nowSeconds: number): { fromDay: number; toDay: number } {
  const today = Math.floor(nowSeconds / DAY_SECONDS);
  const toDay = to === undefined ? today : dayFromDate(to);
  const fromDay = from === undefined ? (toDay ?? today) - DEFAULT_REPORT_DAYS + 1 : dayFromDate(from);
  if (toDay === null || fromDay === null) throw new ApiFailure(400, 'invalid_range', '`from` and `to` must be dates as YYYY-MM-DD.');
  if (fromDay > toDay) throw new ApiFailure(400, 'invalid_range', '`from` must not be after `to`.');
  const start = weekStart(fromDay);
  const end = weekStart(toDay) + 6;
  if (end - start + 1 > MAX_REPORT_DAYS) throw new ApiFailure(400, 'invalid_range', 'A report covers at most three years.');
  return { fromDay: start, toDay: end };
}
