import type { ComponentChildren } from 'preact';
import type { Instrument } from '../../schemas/instrument.ts';
import type { SessionSummary } from '../../schemas/summary.ts';
import { formatScore } from '../shared/i18n.ts';
import type { TherapistStrings } from './strings.ts';
import { currentIndex, previousTotal, TrendSection, trendStrings } from './trend-section.tsx';
import { fill } from './trend-strings.ts';

export interface SummaryCardProps {
  summary: SessionSummary | null;
  instrument: Instrument;
  locale: string;
  strings: TherapistStrings;
  /** Later sections (this session's pacing) render below the scores, before the trend. */
  children?: ComponentChildren;
}


export function SummaryCard({ summary, instrument, locale, strings, children }: SummaryCardProps) {
  const label = (id: string) => {
    const it = instrument.items.find((i) => i.id === id);
    return (it && (it.text[locale] ?? Object.values(it.text)[0])?.label) || id;
  };
  const status = summary?.status ?? 'pending';
  const trend = summary?.trend;
  // The `dropped` flag says by how much when the trend holds the previous total.
  const prev = summary && trend ? previousTotal(trend, currentIndex(trend.client, summary)) : null;
  const dropped =
    prev !== null && summary?.total != null
      ? fill(trendStrings(locale).droppedFrom, { prev: formatScore(prev, locale), now: formatScore(summary.total, locale) })
      : strings.dropped;
  return (
    <section class="card summary" aria-labelledby="attune-sum-title">
      <h2 id="attune-sum-title">{strings.title}</h2>
      {/* Only the one line that changes is announced; the table and flags follow outside the live region. */}
      <div role="status" aria-live="polite">
        {status === 'pending' && <p class="muted">{summary?.asked === false ? trendStrings(locale).notAsked : strings.waiting}</p>}
        {status === 'declined' && <p>{strings.declined}</p>}
        {status === 'rated' && summary && (
          <p class="total">
            {strings.total}: <strong>{formatScore(summary.total ?? 0, locale)}</strong> / {summary.maxTotal}
          </p>
        )}
      </div>
      {status === 'rated' && summary && (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{strings.item}</th>
                <th scope="col">{strings.score}</th>
              </tr>
            </thead>
            <tbody>
              {summary.items.map((i) => (
                <tr key={i.id} class={i.value < instrument.flags.itemBelow ? 'low' : undefined}>
                  <th scope="row">{label(i.id)}</th>
                  <td>{formatScore(i.value, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{strings.flagsTitle}</h3>
          {summary.flags.length === 0 ? (
            <p class="muted">{strings.noFlags}</p>
          ) : (
            <ul class="flags">
              {summary.flags.map((f) => (
                <li key={f}>
                  {f === 'total_low'
                    ? fill(strings.totalLow, { n: instrument.flags.totalBelow, max: summary.maxTotal ?? '' })
                    : f === 'item_low'
                      ? fill(strings.itemLow, {
                          n: instrument.flags.itemBelow,
                          items: summary.items
                            .filter((i) => i.value < instrument.flags.itemBelow)
                            .map((i) => label(i.id))
                            .join(', '),
                        })
                      : dropped}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {children}
      {summary && trend && <TrendSection summary={summary} trend={trend} locale={locale} />}
    </section>
  );
}
