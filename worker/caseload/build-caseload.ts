import type { CaseloadClient, CaseloadResponse, InstrumentVersionKey, PaceWeek } from '../../schemas/index.ts';
import type { CaseloadClientRow, PaceRow } from '../db/caseload-queries.ts';
import { SHARE_UNITS, TOTAL_UNITS } from '../db/rollup-units.ts';
import { DAY_SECONDS } from '../summary/trend.ts';
import { totalsFromRecent, trackOf, type TrackRules } from './not-on-track.ts';
import { type Sums, welch } from './welch.ts';

/** Totals shown per client (the sparkline). */
export const SHOWN_TOTALS = 12;

/** The 5 % band from which a share counts as "more than `threshold`" (threshold snapped to the 5 % grid). */
export function aboveBandOf(threshold: number): number {
  return Math.min(20, Math.max(0, Math.round(threshold * 20)));
}

/**
 * One entry per ref asked about, in the caller's order; `hashes[i]` is the hash of `refs[i]`. A row's totals are all
 * on its instrument (migration 0016), named with its highest total by `maxTotalOf` (null: no longer kept).
 */
export function clientsFrom(
  refs: readonly string[],
  hashes: readonly string[],
  rows: readonly CaseloadClientRow[],
  rules: TrackRules,
  maxTotalOf: (key: InstrumentVersionKey) => number | null,
): CaseloadClient[] {
  const byHash = new Map(rows.map((r) => [r.clientHash, r]));
  return refs.map((ref, i) => {
    const row = byHash.get(hashes[i]!);
    const totals = row ? totalsFromRecent(row.recent) : [];
    const { status, reasons } = trackOf(totals, rules);
    const key = row ? { id: row.instrumentId, version: row.instrumentVersion } : null;
    return {
      ref,
      status,
      reasons,
      rated: row?.rated ?? 0,
      lastAt: row?.lastAt ?? null,
      totals: totals.slice(-SHOWN_TOTALS),
      instrument: key && { ...key, maxTotal: maxTotalOf(key) },
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
