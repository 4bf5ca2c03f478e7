import {
  type CaseloadClient,
  type CaseloadResponse,
  type InstrumentVersionKey,
  instrumentMaxTotal,
  type PaceWeek,
  type PlatformSettings,
} from '../../schemas/index.ts';
import { instrumentKey } from '../admin/instrument-choice.ts';
import { instrumentVersionFor, withPlatformFlags } from '../admin/platform-settings.ts';
import type { CaseloadClientRow, PaceRow } from '../db/caseload-queries.ts';
import { SHARE_UNITS, TOTAL_UNITS } from '../db/rollup-units.ts';
import { DAY_SECONDS } from '../summary/trend.ts';
import { totalsFromRecent, trackOf, type TrackRules, trackRulesFor } from './not-on-track.ts';
import { type Sums, welch } from './welch.ts';

/** Totals shown per client (the sparkline). */
export const SHOWN_TOTALS = 12;

/** The 5 % band from which a share counts as "more than `threshold`" (threshold snapped to the 5 % grid). */
export function aboveBandOf(threshold: number): number {
  return Math.min(20, Math.max(0, Math.round(threshold * 20)));
}

/** What a client's totals are judged and drawn on: the highest total of their instrument version, and its rules. */
export interface ClientScale {
  /** null: the platform no longer keeps that version. */
  maxTotal: number | null;
  rules: TrackRules;
}

/**
 * Each instrument version's scale, resolved once per version however many clients are on it: its highest total and
 * the rules of its own flag rules with the platform's `flags` over them (as its ratings are flagged). A version the
 * platform no longer keeps has neither; its clients are judged with `fallback` (the token's instrument's rules).
 */
export function scalesOf(settings: PlatformSettings, fallback: TrackRules): (key: InstrumentVersionKey) => ClientScale {
  const known = new Map<string, ClientScale>();
  return (key) => {
    const k = instrumentKey(key);
    let scale = known.get(k);
    if (!scale) {
      const found = instrumentVersionFor(settings, key.id, key.version);
      scale = found
        ? { maxTotal: instrumentMaxTotal(found), rules: trackRulesFor(withPlatformFlags(settings, found)) }
        : { maxTotal: null, rules: fallback };
      known.set(k, scale);
    }
    return scale;
  };
}

/**
 * One entry per ref asked about, in the caller's order; `hashes[i]` is the hash of `refs[i]`. A row's totals are all
 * on its instrument version (migration 0016), judged with that version's rules and named with its highest total.
 */
export function clientsFrom(
  refs: readonly string[],
  hashes: readonly string[],
  rows: readonly CaseloadClientRow[],
  scaleOf: (key: InstrumentVersionKey) => ClientScale,
): CaseloadClient[] {
  const byHash = new Map(rows.map((r) => [r.clientHash, r]));
  return refs.map((ref, i): CaseloadClient => {
    const row = byHash.get(hashes[i]!);
    if (!row) return { ref, status: 'no_data', reasons: [], rated: 0, lastAt: null, totals: [], instrument: null };
    const key = { id: row.instrumentId, version: row.instrumentVersion };
    const scale = scaleOf(key);
    const totals = totalsFromRecent(row.recent);
    const { status, reasons } = trackOf(totals, scale.rules);
    return {
      ref,
      status,
      reasons,
      rated: row.rated,
      lastAt: row.lastAt,
      totals: totals.slice(-SHOWN_TOTALS),
      instrument: { ...key, maxTotal: scale.maxTotal, rules: scale.rules },
    };
  });
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const mean = (sum: number, n: number, scale: number, places: number) => (n > 0 ? round(sum / n / scale, places) : null);

/**
 * The pacing part of the answer from the weekly rows (stored units: hundredths, millionths, tenths), on the rows of
 * `q.instrument` only: totals of different instruments are on different scales.
 */
export function pacingFrom(
  allRows: readonly PaceRow[],
  q: {
    toDay: number;
    thresholdShare: number;
    minSessions: number;
    instrument: CaseloadResponse['pacing']['instrument'];
  },
): CaseloadResponse['pacing'] {
  const rows = allRows.filter(
    (r) => r.instrumentId === q.instrument.id && r.instrumentVersion === q.instrument.version,
  );
  const weeks = new Map<number, PaceRow>();
  const side = { above: { n: 0, sum: 0, sumSq: 0 }, below: { n: 0, sum: 0, sumSq: 0 } };
  const all = { n: 0, totalSum: 0, shareSum: 0, turnSum: 0, overlapSum: 0 };
  for (const r of rows) {
    const s: Sums = r.above ? side.above : side.below;
    s.n += r.n;
    s.sum += r.totalSum / TOTAL_UNITS;
    s.sumSq += r.totalSq / TOTAL_UNITS ** 2;
    all.n += r.n;
    all.totalSum += r.totalSum;
    all.shareSum += r.shareSum;
    all.turnSum += r.turnSum;
    all.overlapSum += r.overlapSum;
    const w = weeks.get(r.weeksAgo);
    if (!w) weeks.set(r.weeksAgo, { ...r });
    else for (const k of ['n', 'totalSum', 'shareSum', 'turnSum', 'overlapSum'] as const) w[k] += r[k];
  }
  const weekList: PaceWeek[] = [...weeks.values()]
    .filter((w) => w.n > 0)
    .sort((a, b) => b.weeksAgo - a.weeksAgo)
    .map((w) => ({
      start: (q.toDay - 7 * w.weeksAgo - 6) * DAY_SECONDS,
      sessions: w.n,
      meanTotal: round(w.totalSum / w.n / TOTAL_UNITS, 2),
      meanShare: round(w.shareSum / w.n / SHARE_UNITS, 4),
      meanLongestTurnSeconds: round(w.turnSum / w.n / 10, 1),
      meanOverlaps: round(w.overlapSum / w.n, 2),
    }));
  const test = welch(side.above, side.below, q.minSessions);
  return {
    instrument: q.instrument,
    sessions: all.n,
    meanTotal: mean(all.totalSum, all.n, TOTAL_UNITS, 2),
    meanShare: mean(all.shareSum, all.n, SHARE_UNITS, 4),
    meanLongestTurnSeconds: mean(all.turnSum, all.n, 10, 1),
    meanOverlaps: mean(all.overlapSum, all.n, 1, 2),
    weeks: weekList,
    comparison: {
      thresholdShare: aboveBandOf(q.thresholdShare) / 20,
      minSessions: q.minSessions,
      above: { sessions: side.above.n, meanTotal: side.above.n ? round(side.above.sum / side.above.n, 2) : null },
      atOrBelow: { sessions: side.below.n, meanTotal: side.below.n ? round(side.below.sum / side.below.n, 2) : null },
      difference: test ? round(test.difference, 2) : null,
      ci95: test ? [round(test.ci95[0], 2), round(test.ci95[1], 2)] : null,
    },
  };
}
