// Every word of the therapist's caseload view, per locale (one file each beside this one). Its own chunk: the
// in-call therapist strings (widget/therapist/strings) do not grow with it. `{x}` placeholders are filled in;
// numbers arrive already formatted for the locale. Forms of address as in the therapist's strings (es usted,
// fr vous, de Sie, pt você).
import { en } from './en.ts';

export interface CaseloadStrings {
  /** Right-to-left script. */
  rtl?: boolean;
  title: string;
  /** Who sees this, and that names stay in the browser. */
  private: string;
  loading: string;
  failed: string;
  retry: string;
  noClients: string;
  offTitle: string;
  /** `{drop}` points below the baseline of up to `{window}` sessions; `{falls}` points over two falls. */
  offRule: string;
  offNone: string;
  /** `{latest}`, `{baseline}`, `{n}` sessions, `{d}` points. */
  reasonBaseline: string;
  /** `{a}`, `{b}`, `{c}` the three totals, oldest first. */
  reasonFalls: string;
  /** `{date}` */
  lastSession: string;
  allTitle: string;
  client: string;
  rated: string;
  latest: string;
  trend: string;
  status: string;
  statusOff: string;
  statusOn: string;
  statusFew: string;
  statusNone: string;
  /** A client's totals as a chart name: `{n}` sessions, `{first}`, `{last}`. */
  sparkName: string;
  /**
   * Beside a client's totals when they are on another instrument or version than the caseload's (the one of their
   * newest rating, which their totals and status are on): `{instrument}` its id, `{version}` its version.
   */
  clientScale: string;
  paceTitle: string;
  /** The comparison, when both sides have enough: `{t}` percent, `{d}` points, `{a}` and `{b}` sessions. */
  sentenceLower: string;
  sentenceHigher: string;
  sentenceSame: string;
  /** Welch's 95 % interval: `{lo}` and `{hi}` points. */
  intervalLower: string;
  intervalHigher: string;
  intervalSpans: string;
  /** Not enough yet: `{a}` above, `{b}` at or below `{t}`, `{min}` needed on each side. */
  notEnough: string;
  association: string;
  shareLabel: string;
  turnLabel: string;
  overlapsLabel: string;
  ratingLabel: string;
  /** `{s}` seconds */
  seconds: string;
  /** `{days}` */
  window: string;
  /** Which instrument's ratings the pacing part is on: `{instrument}` is its id. */
  instrumentScale: string;
  /** The chart's name: `{n}` weeks, ratings `{r1}` to `{r2}`, talk share `{s1}` to `{s2}`. */
  chartName: string;
  legendRating: string;
  legendShare: string;
  /** The threshold line: `{t}` */
  legendThreshold: string;
  showTable: string;
  hideTable: string;
  caption: string;
  week: string;
  sessions: string;
  noPacing: string;
}

const LOADERS: Record<string, () => Promise<CaseloadStrings>> = {
  es: () => import('./es.ts').then((m) => m.es),
  fr: () => import('./fr.ts').then((m) => m.fr),
  de: () => import('./de.ts').then((m) => m.de),
  pt: () => import('./pt.ts').then((m) => m.pt),
  ar: () => import('./ar.ts').then((m) => m.ar),
};

export const CASELOAD_LANGS: readonly string[] = ['en', ...Object.keys(LOADERS)];

/** The locale's strings (exact tag, then its language), loaded once; English when it has none or its chunk fails. */
export function loadCaseloadStrings(locale: string): Promise<CaseloadStrings> {
  const lang = locale in LOADERS ? locale : (locale.split('-')[0] ?? '');
  const load = LOADERS[lang];
  if (!load) return Promise.resolve(en);
  return load().catch(() => en);
}

export { en };
