// Every word the therapist sees, per locale (one file each in ./locales). `{x}` placeholders are filled in; numbers
// arrive already formatted for the locale. One form of address per language: the therapist is addressed formally
// where the language has the choice (es usted, fr vous, de Sie), pt uses você, ar the singular second person.
import type { CueKey } from '../pacing/index.ts';
import { ar } from './locales/ar.ts';
import { de } from './locales/de.ts';
import { en } from './locales/en.ts';
import { es } from './locales/es.ts';
import { fr } from './locales/fr.ts';
import { pt } from './locales/pt.ts';

/** The summary card after the call. */
export interface TherapistStrings {
  title: string;
  /** The client may still rate (their page asked, or has not opened the rating yet). */
  waiting: string;
  /** Feedback fatigue skips this session: the client will not be asked. */
  notAsked: string;
  declined: string;
  total: string;
  /** What changed since the previous rated session: `{d}` the difference, `{prev}` that session's total. */
  changeDown: string;
  changeUp: string;
  changeSame: string;
  changeFirst: string;
  flagsTitle: string;
  noFlags: string;
  /** What a flag saw: `{total}`, `{threshold}`, `{items}` (names with values), `{d}`, `{mean}`, `{n}`. */
  flagTotalBelow: string;
  flagItemBelow: string;
  flagDropPrevious: string;
  flagDropMean: string;
  /** The rule that raised it: `{threshold}`. */
  ruleTotalBelow: string;
  ruleItemBelow: string;
  ruleDropPrevious: string;
  ruleDropMean: string;
  item: string;
  score: string;
  /** Column of each item's change since the previous rated session. */
  change: string;
}

/** The pacing strip (during the call) and the summary's pacing section. */
export interface PacingStrings {
  /** The strip's accessible name. */
  stripLabel: string;
  /** Shown on the strip: the client never sees it. */
  onlyYou: string;
  elapsed: string;
  minutesLeft: string;
  minutesOver: string;
  /** The window the balance covers: `{n}` minutes. */
  window: string;
  /** `{window}`, `{t}` and `{c}` (formatted percents). */
  balance: string;
  /** Before there is enough talk for the balance to mean something. */
  balanceWaiting: string;
  cueLabel: string;
  dismiss: string;
  sectionTitle: string;
  talkBalance: string;
  talkBalanceValue: string;
  longestMonologue: string;
  overlaps: string;
  overlapsValue: string;
  silences: string;
  silencesValue: string;
  duration: string;
  cuesShown: string;
  localOnly: string;
  cues: Record<CueKey, string>;
}

/** The trend section: the client's series across sessions and the therapist's rolling mean. */
export interface TrendStrings {
  title: string;
  /** `{n}` rated sessions, `{first}` and `{last}` totals. */
  chartName: string;
  /** `{last}` the only rated total. */
  chartNameOne: string;
  /** Appended when some sessions were not rated: `{n}`. */
  unrated: string;
  legendClient: string;
  /** `{days}` */
  legendMean: string;
  /** The flag line of the total: `{n}`. */
  legendFloor: string;
  showTable: string;
  hideTable: string;
  caption: string;
  date: string;
  total: string;
  share: string;
  thisSession: string;
  notRated: string;
  notRecorded: string;
  /** `{days}`, `{total}`, `{n}` sessions. */
  mean: string;
  /** The same with one session: `{days}`, `{total}`. */
  meanOne: string;
  /** `{share}` */
  meanShare: string;
}

export interface TherapistLocale {
  /** Right-to-left script. */
  rtl?: boolean;
  summary: TherapistStrings;
  pacing: PacingStrings;
  trend: TrendStrings;
}

export const THERAPIST_LOCALES: Record<string, TherapistLocale> = { en, es, fr, de, pt, ar };

const pick = <K extends keyof TherapistLocale>(k: K) =>
  Object.fromEntries(Object.entries(THERAPIST_LOCALES).map(([l, s]) => [l, s[k]])) as Record<string, TherapistLocale[K]>;

export const THERAPIST_STRINGS: Record<string, TherapistStrings> = pick('summary');
export const PACING_STRINGS: Record<string, PacingStrings> = pick('pacing');
export const TREND_STRINGS: Record<string, TrendStrings> = pick('trend');

/** The locale's strings: exact tag, then its language, then English. */
export function localeOf(locale: string): TherapistLocale {
  return THERAPIST_LOCALES[locale] ?? THERAPIST_LOCALES[locale.split('-')[0] ?? ''] ?? en;
}
