// Every word the therapist sees, per locale (one file each beside this one). `{x}` placeholders are filled in; numbers
// arrive already formatted for the locale. One form of address per language: the therapist is addressed formally
// where the language has the choice (es usted, fr vous, de Sie), pt uses você, ar the singular second person.
import type { CueKey } from '../../../pacing/index.ts';
import { en } from './en.ts';

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

/** English ships in the therapist chunk; every other language is a lazy chunk of its own (the size budget). */
const LOADERS: Record<string, () => Promise<TherapistLocale>> = {
  es: () => import('./es.ts').then((m) => m.es),
  fr: () => import('./fr.ts').then((m) => m.fr),
  de: () => import('./de.ts').then((m) => m.de),
  pt: () => import('./pt.ts').then((m) => m.pt),
  ar: () => import('./ar.ts').then((m) => m.ar),
};

export const THERAPIST_LANGS: readonly string[] = ['en', ...Object.keys(LOADERS)];

const loaded: Record<string, TherapistLocale> = { en };
const langOf = (locale: string) => (locale in LOADERS ? locale : (locale.split('-')[0] ?? ''));

/** The locale's strings once loaded (exact tag, then its language), else English. */
export function localeOf(locale: string): TherapistLocale {
  return loaded[locale] ?? loaded[langOf(locale)] ?? en;
}

/** Loads the locale's chunk (once); resolves to its strings, or English when it has none or its chunk fails. */
export function loadLocale(locale: string): Promise<TherapistLocale> {
  const lang = langOf(locale);
  const have = loaded[lang];
  if (have) return Promise.resolve(have);
  const load = LOADERS[lang];
  if (!load) return Promise.resolve(en);
  return load().then(
    (words) => (loaded[lang] = words),
    () => en,
  );
}
