import type { ComponentChildren } from 'preact';
import { type Instrument, instrumentMaxTotal } from '../../schemas/instrument.ts';
import type { Flag, SessionSummary } from '../../schemas/summary.ts';
import { fill, formatScore } from '../shared/i18n.ts';
import type { TherapistStrings } from './strings/index.ts';
import { currentIndex, previousPoint, TrendChart, TrendDetails } from './trend-section.tsx';

export interface SummaryCardProps {
  summary: SessionSummary | null;
  /** Null until the context (or, when it fails, the default instrument's chunk) has arrived: items show their ids. */
  instrument: Instrument | null;
  locale: string;
  strings: TherapistStrings;
  /** Right-to-left locale. */
  rtl?: boolean;
  /** Later sections (this session's pacing) render below the scores, before the trend's details. */
  children?: ComponentChildren;
}

/** A signed difference with one decimal, as the locale writes it ("+1.5", "−0,5"; 0 unsigned). */
function signedScore(d: number, locale: string): string {
  return d.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
}

/** What a flag saw, and the rule that raised it, in the therapist's words. */
function flagText(
  f: Flag,
  strings: TherapistStrings,
  locale: string,
  label: (id: string) => string,
): { saw: string; rule: string } {
  const s = (n: number) => formatScore(n, locale);
  switch (f.rule) {
    case 'total_below':
      return {
        saw: fill(strings.flagTotalBelow, { total: s(f.total), threshold: s(f.threshold) }),
        rule: fill(strings.ruleTotalBelow, { threshold: s(f.threshold) }),
      };
    case 'item_below':
      return {
        saw: fill(strings.flagItemBelow, {
          threshold: s(f.threshold),
          items: f.items.map((i) => `${label(i.id)} (${s(i.value)})`).join(', '),
        }),
        rule: fill(strings.ruleItemBelow, { threshold: s(f.threshold) }),
      };
    case 'drop_from_previous':
      return {
        saw: fill(strings.flagDropPrevious, { d: s(f.previous - f.total) }),
        rule: fill(strings.ruleDropPrevious, { threshold: s(f.threshold) }),
      };
    case 'drop_from_mean':
      return {
        saw: fill(strings.flagDropMean, {
          d: s(f.mean - f.total),
          mean: s(f.mean),
          n: f.sessions.toLocaleString(locale),
        }),
        rule: fill(strings.ruleDropMean, { threshold: s(f.threshold) }),
      };
  }
}

/**
 * The summary after the call. It leads with what changed since last time, then what is worth checking in about
 * and the trend, so that all three fit in a narrow pane without scrolling; the item table, this session's pacing
 * and the trend's details follow. Nothing is styled as an alarm.
 */
export function SummaryCard({ summary, instrument, locale, strings, rtl = false, children }: SummaryCardProps) {
  const label = (id: string) => {
    const it = instrument?.items.find((i) => i.id === id);
    return (it && (it.text[locale] ?? it.text[locale.split('-')[0] ?? ''] ?? Object.values(it.text)[0])?.label) || id;
  };
  const status = summary?.status ?? 'pending';
  const trend = summary?.trend;
  const rated = status === 'rated' && summary !== null && summary.total !== null ? summary : null;
  const prev = rated && trend ? previousPoint(trend, currentIndex(trend.client, rated)) : null;
  const s = (n: number) => formatScore(n, locale);
  let change: string | null = null;
  if (rated && trend) {
    const d = prev?.total == null ? null : Math.round((rated.total! - prev.total) * 10) / 10;
    change =
      d === null
        ? strings.changeFirst
        : d === 0
          ? strings.changeSame
          : fill(d < 0 ? strings.changeDown : strings.changeUp, { d: s(Math.abs(d)), prev: s(prev!.total!) });
  }
  const prevItem = (id: string) => prev?.items.find((i) => i.id === id)?.value ?? null;
  const showChange = !!prev && prev.items.length > 0;
  return (
    <section class="card summary" aria-labelledby="attune-sum-title" dir={rtl ? 'rtl' : 'ltr'}>
      <h2 id="attune-sum-title">{strings.title}</h2>
      {/* Only the lead lines are announced; the flags, the chart and the table follow outside the live region. */}
      <div role="status" aria-live="polite">
        {status === 'pending' && <p class="muted">{summary?.skipped ? strings.notAsked : strings.waiting}</p>}
        {status === 'declined' && <p>{strings.declined}</p>}
        {rated && (
          <>
            <p class="total">
              {strings.total}: <strong>{s(rated.total!)}</strong> /{' '}
              {rated.maxTotal === null ? '' : rated.maxTotal.toLocaleString(locale)}
            </p>
            {change && <p class="change">{change}</p>}
          </>
        )}
      </div>
      {rated && (
        <section class="flag-list" aria-labelledby="attune-flags-title">
          <h3 id="attune-flags-title">{strings.flagsTitle}</h3>
          {rated.flags.length === 0 ? (
            <p class="muted">{strings.noFlags}</p>
          ) : (
            <ul class="flags">
              {rated.flags.map((f) => {
                const t = flagText(f, strings, locale, label);
                return (
                  <li key={f.rule}>
                    {t.saw} <span class="rule">{t.rule}</span>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
      {summary && trend && (
        <TrendChart
          summary={summary}
          trend={trend}
          locale={locale}
          floor={instrument?.flags.totalBelow ?? null}
          // Pending or declined summaries carry no maxTotal: the instrument's keeps the chart on its whole scale.
          maxTotal={summary.maxTotal ?? (instrument && instrumentMaxTotal(instrument))}
        />
      )}
      {rated && (
        <table class="items">
          <thead>
            <tr>
              <th scope="col">{strings.item}</th>
              <th scope="col">
                {strings.score}
                {/* Word joiners: the range never breaks at its dash. */}
                {instrument &&
                  ` (${instrument.min.toLocaleString(locale)}\u2060–\u2060${instrument.max.toLocaleString(locale)})`}
              </th>
              {showChange && <th scope="col">{strings.change}</th>}
            </tr>
          </thead>
          <tbody>
            {rated.items.map((i) => {
              const before = prevItem(i.id);
              return (
                <tr key={i.id}>
                  <th scope="row">{label(i.id)}</th>
                  <td>{s(i.value)}</td>
                  {showChange && (
                    <td>{before === null ? '–' : signedScore(Math.round((i.value - before) * 10) / 10, locale)}</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {children}
      {summary && trend && <TrendDetails summary={summary} trend={trend} locale={locale} />}
    </section>
  );
}
