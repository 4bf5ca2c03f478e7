import { useState } from 'preact/hooks';
import type { SessionSummary, Trend, TrendPoint } from '../../schemas/summary.ts';
import { formatScore } from '../shared/i18n.ts';
import { Sparkline } from './trend-sparkline.tsx';
import { fill, TREND_STRINGS, type TrendStrings } from './trend-strings.ts';

export const trendStrings = (locale: string): TrendStrings => TREND_STRINGS[locale] ?? TREND_STRINGS[locale.split('-')[0] ?? ''] ?? TREND_STRINGS.en!;

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

/** The previous rated total before this session, for the `dropped` flag's wording. */
export function previousTotal(trend: Trend, current: number): number | null {
  for (let i = (current < 0 ? trend.client.length : current) - 1; i >= 0; i--) {
    const t = trend.client[i]!.total;
    if (t !== null) return t;
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
      : fill(t.chartName, { n: totals.length, first: f(totals[0]!), last: f(totals.at(-1)!) });
  const missing = points.length - totals.length;
  return missing ? head + fill(t.unrated, { n: missing }) : head;
}

const percent = (share: number, locale: string) => share.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 0 });

export interface TrendSectionProps {
  summary: SessionSummary;
  trend: Trend;
  locale: string;
}

/** The client's totals across sessions (sparkline, with a table behind a disclosure button) and the therapist's mean. */
export function TrendSection({ summary, trend, locale }: TrendSectionProps) {
  const [open, setOpen] = useState(false);
  const t = trendStrings(locale);
  const points = trend.client;
  if (!points.some((p) => p.total !== null)) return null;
  const now = currentIndex(points, summary);
  const name = trendName(points, locale, t);
  const mine = trend.therapist;
  const mean = mine.sessions > 0 ? mine.meanTotal : null;
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  return (
    <section class="trend" aria-labelledby="attune-trend-title">
      <h3 id="attune-trend-title">{t.title}</h3>
      <Sparkline values={points.map((p) => p.total)} current={now} mean={mean} maxTotal={summary.maxTotal} label={name} />
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
            {fill(t.legendMean, { days: mine.days })}
          </li>
        )}
      </ul>
      {mean !== null && (
        <p>
          {fill(mine.sessions === 1 ? t.meanOne : t.mean, { days: mine.days, total: formatScore(mean, locale), n: mine.sessions })}
          {mine.meanTherapistShare !== null && ' ' + fill(t.meanShare, { share: percent(mine.meanTherapistShare, locale) })}
        </p>
      )}
      <button type="button" aria-expanded={open ? 'true' : 'false'} aria-controls="attune-trend-table" onClick={() => setOpen(!open)}>
        {open ? t.hideTable : t.showTable}
      </button>
      <div id="attune-trend-table" hidden={!open}>
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
              <tr key={p.at + ':' + i} class={i === now ? 'now' : undefined} aria-current={i === now ? 'true' : undefined}>
                <th scope="row">
                  {date.format(p.at * 1000)}
                  {i === now && ` (${t.thisSession})`}
                </th>
                <td>{p.total === null ? t.notRated : formatScore(p.total, locale)}</td>
                <td>{p.therapistShare === null ? t.notRecorded : percent(p.therapistShare, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
