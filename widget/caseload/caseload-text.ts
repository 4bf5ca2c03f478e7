// The caseload's words from its numbers: pure functions (no DOM), so every rule of what may be claimed is tested
// on its own. The Worker computes the statistics (worker/caseload/); this only chooses the honest sentence.
import type { CaseloadClient, PaceComparison, TrackReason, TrackRules } from '../../schemas/caseload.ts';
import { fill, formatNumber, formatScore, percent } from '../shared/i18n.ts';
import type { CaseloadStrings } from './strings/index.ts';

/** A client as the host page named them. Names never leave the browser. */
export interface NamedClient {
  ref: string;
  name: string;
}

/** The host page's list, cleaned: refs unique, names trimmed and bounded, at most `max` entries. */
export function cleanClients(input: unknown, max = 200): NamedClient[] {
  if (!Array.isArray(input)) return [];
  const seen = new Set<string>();
  const out: NamedClient[] = [];
  for (const c of input) {
    if (!c || typeof c !== 'object') continue;
    const { ref, name } = c as { ref?: unknown; name?: unknown };
    if (typeof ref !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(ref) || seen.has(ref)) continue;
    seen.add(ref);
    out.push({ ref, name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 120) : ref });
    if (out.length >= max) break;
  }
  return out;
}

/** The two sentences about pacing and ratings: the claim (or why there is none yet) and its interval. */
export function comparisonSentences(c: PaceComparison, locale: string, s: CaseloadStrings): string[] {
  const n = (x: number) => x.toLocaleString(locale);
  const t = percent(c.thresholdShare, locale);
  const a = n(c.above.sessions);
  const b = n(c.atOrBelow.sessions);
  if (c.difference === null || c.ci95 === null) return [fill(s.notEnough, { a, b, t, min: n(c.minSessions) })];
  const d = Math.abs(c.difference);
  const shown = formatScore(d, locale);
  // "About the same" only when the difference rounds to zero at the one decimal shown.
  const main =
    Math.round(d * 10) === 0
      ? fill(s.sentenceSame, { t, a, b })
      : fill(c.difference < 0 ? s.sentenceLower : s.sentenceHigher, { t, d: shown, a, b });
  const [lo, hi] = c.ci95;
  const interval =
    hi < 0
      ? fill(s.intervalLower, { lo: formatScore(-hi, locale), hi: formatScore(-lo, locale) })
      : lo > 0
        ? fill(s.intervalHigher, { lo: formatScore(lo, locale), hi: formatScore(hi, locale) })
        : fill(s.intervalSpans, { lo: formatScore(-lo, locale), hi: formatScore(hi, locale) });
  return [main, interval];
}

/** When a client counts as not on track, under `rules` (points of one instrument version's totals). */
export function ruleText(rules: TrackRules, locale: string, s: CaseloadStrings): string {
  return fill(s.offRule, {
    drop: formatNumber(rules.baselineDrop, locale),
    window: rules.window.toLocaleString(locale),
    falls: formatNumber(rules.fallsDrop, locale),
  });
}

/** Why a client is not on track, in a sentence. */
export function reasonText(r: TrackReason, locale: string, s: CaseloadStrings): string {
  const f = (x: number) => formatScore(x, locale);
  if (r.rule === 'below_baseline')
    return fill(s.reasonBaseline, {
      latest: f(r.latest),
      d: f(r.baseline - r.latest),
      baseline: f(r.baseline),
      n: r.sessions.toLocaleString(locale),
    });
  const [x, y, z] = r.totals;
  return fill(s.reasonFalls, { a: f(x ?? 0), b: f(y ?? 0), c: f(z ?? 0) });
}

const ORDER: Record<CaseloadClient['status'], number> = { not_on_track: 0, on_track: 1, too_few: 2, no_data: 3 };

/** The host's clients joined to the answer, not on track first, then by name in the locale's order. */
export function joinClients(
  named: readonly NamedClient[],
  answer: readonly CaseloadClient[],
  locale: string,
): Array<NamedClient & { data: CaseloadClient | null }> {
  const byRef = new Map(answer.map((c) => [c.ref, c]));
  const collator = new Intl.Collator(locale);
  return named
    .map((c) => ({ ...c, data: byRef.get(c.ref) ?? null }))
    .sort(
      (x, y) =>
        ORDER[x.data?.status ?? 'no_data'] - ORDER[y.data?.status ?? 'no_data'] || collator.compare(x.name, y.name),
    );
}

export function statusText(status: CaseloadClient['status'] | undefined, s: CaseloadStrings): string {
  switch (status) {
    case 'not_on_track':
      return s.statusOff;
    case 'on_track':
      return s.statusOn;
    case 'too_few':
      return s.statusFew;
    default:
      return s.statusNone;
  }
}
