import type { PacingAggregates } from '../../schemas/pacing.ts';
import { fill } from '../shared/i18n.ts';
import { duration, sharePercentText } from './cue-text.ts';
import type { PacingStrings } from './strings/index.ts';

export interface PacingSectionProps {
  pacing: PacingAggregates;
  /** False while only the local measurement is known (the server has not returned it in the summary yet). */
  confirmed: boolean;
  locale: string;
  strings: PacingStrings;
}

/** This session's pacing beside the client's rating: a child of SummaryCard. */
export function PacingSection({ pacing: p, confirmed, locale, strings }: PacingSectionProps) {
  const talk = p.therapistTalkSeconds + p.clientTalkSeconds;
  const n = (x: number) => x.toLocaleString(locale);
  const rows: Array<[string, string]> = [
    [
      strings.talkBalance,
      talk > 0 ? fill(strings.talkBalanceValue, sharePercentText(p.therapistTalkSeconds / talk, locale)) : '–',
    ],
    [strings.longestMonologue, duration(p.longestTherapistTurnSeconds, locale)],
    [strings.overlaps, fill(strings.overlapsValue, { n: n(p.overlapCount), s: duration(p.overlapSeconds, locale) })],
    [
      strings.silences,
      fill(strings.silencesValue, { n: n(p.silenceCount), s: duration(p.longestSilenceSeconds, locale) }),
    ],
    [strings.duration, duration(p.durationSeconds, locale)],
    [strings.cuesShown, n(p.cuesShown)],
  ];
  return (
    <section class="pacing" aria-labelledby="attune-pacing-title">
      <h3 id="attune-pacing-title">{strings.sectionTitle}</h3>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {!confirmed && <p class="muted">{strings.localOnly}</p>}
    </section>
  );
}
