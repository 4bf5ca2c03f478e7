import { ApiFailure } from '../../http/errors.ts';
import { DAY_SECONDS } from '../../summary/trend.ts';

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

/** The ISO week index of a day: week w runs from day 7w - 3 (a Monday) to day 7w + 3. */
export function weekOf(day: number): number {
  return Math.floor((day + 3) / 7);
}

/**
 * Days after a week ends before it is published (and frozen): a rating queued offline is taken up to 7 days past
 * its token's exp, so by then the week's facts are in; one more day for a token's lifetime.
 */
export const PUBLISH_DELAY_DAYS = 8;

/** The last week that may be published at `nowSeconds`: ended at least PUBLISH_DELAY_DAYS ago. Never the current one. */
export function lastPublishableWeek(nowSeconds: number): number {
  const today = Math.floor(nowSeconds / DAY_SECONDS);
  // Week w ends on day 7w + 3; it is publishable from day 7w + 4 + PUBLISH_DELAY_DAYS.
  return Math.floor((today - 4 - PUBLISH_DELAY_DAYS) / 7);
}

/**
 * The report's range from `from` and `to` (YYYY-MM-DD, inclusive; default the last 13 weeks), widened to
 * whole ISO weeks. Only weeks up to lastPublishableWeek are ever published (see buildPublishedReport).
 */
export function reportRange(
  from: string | undefined,
  to: string | undefined,
  nowSeconds: number,
): { fromDay: number; toDay: number } {
  const today = Math.floor(nowSeconds / DAY_SECONDS);
  const toDay = to === undefined ? today : dayFromDate(to);
  const fromDay = from === undefined ? (toDay ?? today) - DEFAULT_REPORT_DAYS + 1 : dayFromDate(from);
  if (toDay === null || fromDay === null)
    throw new ApiFailure(400, 'invalid_range', '`from` and `to` must be dates as YYYY-MM-DD.');
  if (fromDay > toDay) throw new ApiFailure(400, 'invalid_range', '`from` must not be after `to`.');
  const start = weekStart(fromDay);
  const end = weekStart(toDay) + 6;
  if (end - start + 1 > MAX_REPORT_DAYS)
    throw new ApiFailure(400, 'invalid_range', 'A report covers at most three years.');
  return { fromDay: start, toDay: end };
}
