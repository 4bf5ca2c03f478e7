import { useId, useState } from 'preact/hooks';
import type { CaseloadClient, CaseloadResponse } from '../../schemas/caseload.ts';
import { fill, formatNumber, formatScore, percent } from '../shared/i18n.ts';
import { Sparkline } from '../therapist/trend-sparkline.tsx';
import {
  comparisonSentences,
  joinClients,
  type NamedClient,
  reasonText,
  ruleText,
  statusText,
} from './caseload-text.ts';
import { PaceChart } from './pace-chart.tsx';
import type { CaseloadStrings } from './strings/index.ts';

export type CaseloadState = { kind: 'loading' } | { kind: 'failed' } | { kind: 'ready'; answer: CaseloadResponse };

export interface CaseloadViewProps {
  state: CaseloadState;
  clients: readonly NamedClient[];
  locale: string;
  strings: CaseloadStrings;
  onRetry: () => void;
}

const dateOf = (epochSeconds: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(epochSeconds * 1000));

export function CaseloadView({ state, clients, locale, strings: s, onRetry }: CaseloadViewProps) {
  const id = useId();
  return (
    <section class="card caseload" aria-labelledby={`${id}-h`} dir={s.rtl ? 'rtl' : 'ltr'}>
      <h2 id={`${id}-h`}>{s.title}</h2>
      <p class="muted">{s.private}</p>
      {state.kind === 'loading' && (
        <p role="status" aria-live="polite">
          {s.loading}
        </p>
      )}
      {state.kind === 'failed' && (
        <div role="alert">
          <p class="error">{s.failed}</p>
          <button type="button" onClick={onRetry}>
            {s.retry}
          </button>
        </div>
      )}
      {state.kind === 'ready' && <Ready answer={state.answer} clients={clients} locale={locale} s={s} />}
    </section>
  );
}

function Ready({
  answer,
  clients,
  locale,
  s,
}: {
  answer: CaseloadResponse;
  clients: readonly NamedClient[];
  locale: string;
  s: CaseloadStrings;
}) {
  const id = useId();
  const rows = joinClients(clients, answer.clients, locale);
  const off = rows.filter((r) => r.data?.status === 'not_on_track');
  const f = (n: number) => formatScore(n, locale);
  const rule = ruleText(answer.rules, locale, s);
  return (
    <>
      <section class="block" aria-labelledby={`${id}-off`}>
        <h3 id={`${id}-off`}>
          {s.offTitle} <span class="count">({off.length.toLocaleString(locale)})</span>
        </h3>
        <p class="muted">{rule}</p>
        {off.length === 0 ? (
          <p>{s.offNone}</p>
        ) : (
          <ul class="off">
            {off.map((r) => {
              const totals = r.data!.totals;
              const scale = clientScale(r.data!, answer, locale, s);
              // The rule this client was judged by, when their instrument version's says something else.
              const own = r.data!.instrument && ruleText(r.data!.instrument.rules, locale, s);
              return (
                <li key={r.ref}>
                  <strong class="name">{r.name}</strong>
                  {r.data!.reasons.map((reason) => (
                    <p key={reason.rule}>{reasonText(reason, locale, s)}</p>
                  ))}
                  <Sparkline
                    values={totals}
                    current={totals.length - 1}
                    mean={null}
                    maxTotal={r.data!.instrument ? r.data!.instrument.maxTotal : answer.instrument.maxTotal}
                    label={fill(s.sparkName, {
                      n: totals.length.toLocaleString(locale),
                      first: f(totals[0] ?? 0),
                      last: f(totals.at(-1) ?? 0),
                    })}
                    format={(n) => formatNumber(n, locale)}
                  />
                  {scale && <p class="muted">{scale}</p>}
                  {own && own !== rule && <p class="muted">{own}</p>}
                  {r.data!.lastAt !== null && (
                    <p class="muted">{fill(s.lastSession, { date: dateOf(r.data!.lastAt, locale) })}</p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section class="block" aria-labelledby={`${id}-all`}>
        <h3 id={`${id}-all`}>{s.allTitle}</h3>
        {rows.length === 0 ? (
          <p>{s.noClients}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard
          <section class="scroll" aria-labelledby={`${id}-all`} tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{s.client}</th>
                  <th scope="col">{s.status}</th>
                  <th scope="col">{s.latest}</th>
                  <th scope="col">{s.trend}</th>
                  <th scope="col">{s.rated}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const scale = r.data && clientScale(r.data, answer, locale, s);
                  return (
                    <tr key={r.ref} class={r.data?.status === 'not_on_track' ? 'is-off' : undefined}>
                      <th scope="row">{r.name}</th>
                      <td>{statusText(r.data?.status, s)}</td>
                      <td>{r.data?.totals.length ? f(r.data.totals.at(-1)!) : '–'}</td>
                      <td>
                        {r.data?.totals.length ? r.data.totals.slice(-3).map(f).join('\u00a0·\u00a0') : '–'}
                        {scale && <span class="muted"> ({scale})</span>}
                      </td>
                      <td>{(r.data?.rated ?? 0).toLocaleString(locale)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        )}
      </section>
      <Pacing answer={answer} locale={locale} s={s} />
    </>
  );
}

/**
 * The client's scale, named when their totals are on another instrument or version than the caseload's, or when
 * "too few ratings yet" sits beside a higher "Rated sessions" (which counts every scale): their newest rating moved to
 * a new scale, and only the ratings on it count. Else null.
 */
function clientScale(c: CaseloadClient, answer: CaseloadResponse, locale: string, s: CaseloadStrings): string | null {
  const ins = c.instrument;
  if (!ins) return null;
  const other = ins.id !== answer.instrument.id || ins.version !== answer.instrument.version;
  const moved = c.status === 'too_few' && c.rated > c.totals.length;
  return other || moved
    ? fill(s.clientScale, { instrument: ins.id, version: ins.version.toLocaleString(locale) })
    : null;
}

function Pacing({ answer, locale, s }: { answer: CaseloadResponse; locale: string; s: CaseloadStrings }) {
  const id = useId();
  const [table, setTable] = useState(false);
  const p = answer.pacing;
  const pc = (x: number) => percent(x, locale);
  const f = (n: number) => formatScore(n, locale);
  const weeks = p.weeks;
  const range = (xs: number[], fmt: (n: number) => string): [string, string] =>
    xs.length ? [fmt(Math.min(...xs)), fmt(Math.max(...xs))] : ['', ''];
  const [r1, r2] = range(
    weeks.map((w) => w.meanTotal),
    f,
  );
  const [s1, s2] = range(
    weeks.map((w) => w.meanShare),
    pc,
  );
  return (
    <section class="block" aria-labelledby={`${id}-pace`}>
      <h3 id={`${id}-pace`}>{s.paceTitle}</h3>
      <p class="muted">{fill(s.window, { days: answer.days.toLocaleString(locale) })}</p>
      {p.sessions === 0 ? (
        <p>{s.noPacing}</p>
      ) : (
        <>
          <p class="muted">{fill(s.instrumentScale, { instrument: p.instrument.id })}</p>
          <div class="sentence">
            {comparisonSentences(p.comparison, locale, s).map((line) => (
              <p key={line}>{line}</p>
            ))}
            {p.comparison.difference !== null && <p class="muted">{s.association}</p>}
          </div>
          <dl class="facts">
            <div>
              <dt>{s.ratingLabel}</dt>
              <dd>
                {p.meanTotal === null ? '–' : f(p.meanTotal)}
                {p.meanTotal !== null &&
                  p.instrument.maxTotal !== null &&
                  ` / ${formatNumber(p.instrument.maxTotal, locale)}`}
              </dd>
            </div>
            <div>
              <dt>{s.shareLabel}</dt>
              <dd>{p.meanShare === null ? '–' : pc(p.meanShare)}</dd>
            </div>
            <div>
              <dt>{s.turnLabel}</dt>
              <dd>
                {p.meanLongestTurnSeconds === null
                  ? '–'
                  : fill(s.seconds, { s: Math.round(p.meanLongestTurnSeconds).toLocaleString(locale) })}
              </dd>
            </div>
            <div>
              <dt>{s.overlapsLabel}</dt>
              <dd>{p.meanOverlaps === null ? '–' : formatNumber(p.meanOverlaps, locale)}</dd>
            </div>
          </dl>
          <PaceChart
            weeks={weeks}
            maxTotal={p.instrument.maxTotal ?? Math.max(...weeks.map((w) => w.meanTotal))}
            threshold={p.comparison.thresholdShare}
            label={fill(s.chartName, { n: weeks.length.toLocaleString(locale), r1, r2, s1, s2 })}
            format={(n) => formatNumber(n, locale)}
            percent={pc}
          />
          <ul class="legend">
            <li>
              <span class="sw" aria-hidden="true" />
              {s.legendRating}
            </li>
            <li>
              <span class="sw bar" aria-hidden="true" />
              {s.legendShare}
            </li>
            <li>
              <span class="sw threshold" aria-hidden="true" />
              {fill(s.legendThreshold, { t: pc(p.comparison.thresholdShare) })}
            </li>
          </ul>
          <button type="button" aria-expanded={table} aria-controls={`${id}-table`} onClick={() => setTable(!table)}>
            {table ? s.hideTable : s.showTable}
          </button>
          <div id={`${id}-table`} hidden={!table}>
            {table && (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard
              <section class="scroll" aria-label={s.caption} tabIndex={0}>
                <table>
                  <caption>{s.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{s.week}</th>
                      <th scope="col">{s.sessions}</th>
                      <th scope="col">{s.ratingLabel}</th>
                      <th scope="col">{s.shareLabel}</th>
                      <th scope="col">{s.turnLabel}</th>
                      <th scope="col">{s.overlapsLabel}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {weeks.map((w) => (
                      <tr key={w.start}>
                        <th scope="row" class="day">
                          {dateOf(w.start, locale)}
                        </th>
                        <td>{w.sessions.toLocaleString(locale)}</td>
                        <td>{f(w.meanTotal)}</td>
                        <td>{pc(w.meanShare)}</td>
                        <td>{fill(s.seconds, { s: Math.round(w.meanLongestTurnSeconds).toLocaleString(locale) })}</td>
                        <td>{formatNumber(w.meanOverlaps, locale)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
          </div>
        </>
      )}
    </section>
  );
}
