import { useState } from 'preact/hooks';
import type { SessionSummary, Trend, TrendPoint } from '../../schemas/summary.ts';
import { fill, formatScore, percent } from '../shared/i18n.ts';
import { localeOf, type TrendStrings } from './strings/index.ts';
import { Sparkline } from './trend-sparkline.tsx';

export const trendStrings = (locale: string): TrendStrings => localeOf(locale).trend;

/**
 * Which point of the series is this session. The series runs oldest first and includes this session; a rated
 * session is found by its time, otherwise it is the last point if that point agrees with the summary.
 */
export function currentIndex(points: TrendPoint[], s: Pick<SessionSummary, 'status' | 'total' | 'ratedAt'>): number {
  if (s.ratedAt !== null) {
    for (let i = points.length - 1; i >= 0; i--) if (points[i]!.at === s.ratedAt) return i;
  }
  const last = points.at(-1);
  if (!last) return -1;
  const agrees = s.status === 'rated' ? last.total === s.total : last.total === null;
  return agrees ? points.length - 1 : -1;
}

/** The last rated point before this session (before the end of the series when this session is not in it). */
export function previousPoint(trend: Trend, current: number): TrendPoint | null {
  for (let i = (current < 0 ? trend.client.length : current) - 1; i >= 0; i--) {
    if (trend.client[i]!.total !== null) return trend.client[i]!;
  }
  return null;
}

/** The chart in one sentence: its accessible name, also shown under it. */
export function trendName(points: TrendPoint[], locale: string, t: TrendStrings): string {
  const totals = points.map((p) => p.total).filter((x): x is number => x !== null);
  const f = (n: number) => formatScore(n, locale);
  const head =
    totals.length === 1
      ? fill(t.chartNameOne, { last: f(totals[0]!) })
      : fill(t.chartName, { n: totals.length.toLocaleString(locale), first: f(totals[0]!), last: f(totals.at(-1)!) });
  const missing = points.length - totals.length;
  return missing ? head + fill(t.unrated, { n: missing.toLocaleString(locale) }) : head;
}

export interface TrendSectionProps {
  summary: SessionSummary;
  trend: Trend;
  locale: string;
  /** The flag line of the total (the instrument's `totalBelow`), or null. */
  floor?: number | null;
  /** The highest total of the scale (the summary's, else the instrument's), or null when unknown. */
  maxTotal?: number | null;
}

const hasRated = (trend: Trend) => trend.client.some((p) => p.total !== null);

/** The client's totals across sessions: the sparkline on the scale, named in one sentence, with its legend. */
export function TrendChart({ summary, trend, locale, floor = null, maxTotal = summary.maxTotal }: TrendSectionProps) {
  const t = trendStrings(locale);
  if (!hasRated(trend)) return null;
  const points = trend.client;
  const current = currentIndex(points, summary);
  // A session whose rating is still awaited is not "not rated" (yet).
  const awaited = summary.status === 'pending' && !summary.skipped ? current : -1;
  const name = trendName(
    points.filter((_, i) => i !== awaited),
    locale,
    t,
  );
  const mine = trend.therapist;
  const mean = mine.sessions > 0 ? mine.meanTotal : null;
  const shownFloor = maxTotal !== null ? floor : null;
  const n = (x: number) => x.toLocaleString(locale);
  return (
    <section class="trend" aria-labelledby="attune-trend-title">
      <h3 id="attune-trend-title">{t.title}</h3>
      <Sparkline
        values={points.map((p) => p.total)}
        current={current}
        mean={mean}
        maxTotal={maxTotal}
        floor={shownFloor}
        label={name}
        format={n}
      />
      <p class="muted" aria-hidden="true">
        {name}
      </p>
      <ul class="legend" aria-hidden="true">
        <li>
          <span class="sw" />
          {t.legendClient}
        </li>
        {mean !== null && (
          <li>
            <span class="sw mean" />
            {fill(t.legendMean, { days: n(mine.days) })}
          </li>
        )}
        {shownFloor != null && (
          <li>
            <span class="sw floor" />
            {fill(t.legendFloor, { n: n(shownFloor) })}
          </li>
        )}
      </ul>
    </section>
  );
}

/**
 * Below the fold: the therapist's own mean and the series as a table behind a disclosure button. Sessions on the
 * same day are told apart by their time.
 */
export function TrendDetails({ summary, trend, locale }: TrendSectionProps) {
  const [open, setOpen] = useState(false);
  const t = trendStrings(locale);
  if (!hasRated(trend)) return null;
  const points = trend.client;
  const now = currentIndex(points, summary);
  const mine = trend.therapist;
  const mean = mine.sessions > 0 ? mine.meanTotal : null;
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  const dayTime = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  const days = points.map((p) => day.format(p.at * 1000));
  const stamps = points.map((p, i) =>
    (days.filter((d) => d === days[i]).length > 1 ? dayTime : day).format(p.at * 1000),
  );
  // Sessions within the same minute: numbered in their order.
  const dateOf = (_: TrendPoint, i: number) => {
    const same = stamps.flatMap((s, j) => (s === stamps[i] ? [j] : []));
    return same.length > 1 ? `${stamps[i]} (${(same.indexOf(i) + 1).toLocaleString(locale)})` : stamps[i]!;
  };
  return (
    <div class="trend-more">
      {mean !== null && (
        <p>
          {fill(mine.sessions === 1 ? t.meanOne : t.mean, {
            days: mine.days.toLocaleString(locale),
            total: formatScore(mean, locale),
            n: mine.sessions.toLocaleString(locale),
          })}
          {mine.meanTherapistShare !== null &&
            ' ' + fill(t.meanShare, { share: percent(mine.meanTherapistShare, locale) })}
        </p>
      )}
      <button
        type="button"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls="attune-trend-table"
        onClick={() => setOpen(!open)}
      >
        {open ? t.hideTable : t.showTable}
      </button>
      <div id="attune-trend-table" class="trend" hidden={!open}>
        <table>
          <caption>{t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.date}</th>
              <th scope="col">{t.total}</th>
              <th scope="col">{t.share}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr
                key={p.at + ':' + i}
                class={i === now ? 'now' : undefined}
                aria-current={i === now ? 'true' : undefined}
              >
                <th scope="row">
                  {dateOf(p, i)}
                  {i === now && ` (${t.thisSession})`}
                </th>
                <td>{p.total === null ? t.notRated : formatScore(p.total, locale)}</td>
                <td>{p.therapistShare === null ? t.notRecorded : percent(p.therapistShare, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
