import type { DistinctClients, RollupSums } from '../db/admin-queries.ts';
import { type CsvCell, toCsv } from './csv.ts';
import { MIN_CELL, MIN_CLIENTS, suppress } from './suppress.ts';

/** One published line of a report; every measure is null when suppressed. */
export interface ReportRow {
  /** Therapist pseudonym or week start (YYYY-MM-DD); 'total' for the total line. */
  key: string;
  /** Rated sessions (the n the session measures rest on). */
  sessions: number | null;
  /** Sessions in which the client was asked (declines included). */
  asked: number | null;
  meanTotal: number | null;
  flaggedShare: number | null;
  /** Rated / asked; a decline counts as asked and not rated. */
  completionRate: number | null;
  /** Mean therapist share of talk over sessions with pacing (its own n, suppressed on its own). */
  meanTherapistShare: number | null;
  suppressed: boolean;
  talkShareSuppressed: boolean;
}

export interface Report {
  report: 'therapists' | 'weeks';
  from: string;
  to: string;
  minCell: number;
  /** Fewest distinct clients a published cell rests on. */
  minClients: number;
  rows: ReportRow[];
  total: ReportRow;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function measures(s: RollupSums, hideSessions: boolean, hideShare: boolean): Omit<ReportRow, 'key'> {
  const shown = !hideSessions && s.rated > 0;
  return {
    sessions: hideSessions ? null : s.rated,
    asked: hideSessions ? null : s.asked,
    meanTotal: shown ? round(s.totalSum / 100 / s.rated, 2) : null,
    flaggedShare: shown ? round(s.flagged / s.rated, 3) : null,
    completionRate: !hideSessions && s.asked > 0 ? round(s.rated / s.asked, 3) : null,
    meanTherapistShare: !hideShare && s.shareN > 0 ? round(s.shareSum / 1e6 / s.shareN, 3) : null,
    suppressed: hideSessions,
    talkShareSuppressed: hideShare,
  };
}

function add(a: RollupSums, b: RollupSums): RollupSums {
  return {
    asked: a.asked + b.asked,
    rated: a.rated + b.rated,
    declined: a.declined + b.declined,
    totalSum: a.totalSum + b.totalSum,
    flagged: a.flagged + b.flagged,
    shareSum: a.shareSum + b.shareSum,
    shareN: a.shareN + b.shareN,
  };
}

const ZERO: RollupSums = { asked: 0, rated: 0, declined: 0, totalSum: 0, flagged: 0, shareSum: 0, shareN: 0 };

/**
 * Builds a report from grouped rollup sums with small-cell suppression: session measures rest on the rated
 * count and its distinct clients, the talk share on the count of sessions with pacing and theirs; each column
 * is suppressed (with its complementary cells and its total) on its own counts. A cell needs at least `min`
 * sessions AND `MIN_CLIENTS` distinct clients: 11 sessions of one client would otherwise publish that client.
 *
 * Residual risk (differencing): ranges are widened to whole ISO weeks, so two overlapping reports differ by
 * whole weeks; subtracting them still yields that difference's aggregate for a group, which may rest on
 * fewer than the floor. Suppression works within one report; it cannot stop an admin who queries ranges one
 * week apart. Every read is in the audit log, which is where such a pattern shows.
 */
export function buildReport(
  kind: Report['report'],
  range: { from: string; to: string },
  groups: { key: string; sums: RollupSums; clients: DistinctClients }[],
  totalClients: DistinctClients,
  min = MIN_CELL,
): Report {
  const bySessions = suppress(groups.map((g) => g.sums.rated), min, { cells: groups.map((g) => g.clients.ratedClients), total: totalClients.ratedClients });
  const byShare = suppress(groups.map((g) => g.sums.shareN), min, { cells: groups.map((g) => g.clients.shareClients), total: totalClients.shareClients });
  const rows = groups.map((g, i) => ({ key: g.key, ...measures(g.sums, bySessions.cells[i]!, byShare.cells[i]!) }));
  const sum = groups.reduce((acc, g) => add(acc, g.sums), ZERO);
  return { report: kind, ...range, minCell: min, minClients: MIN_CLIENTS, rows, total: { key: 'total', ...measures(sum, bySessions.total, byShare.total) } };
}

export const CSV_HEADER = ['key', 'sessions', 'asked', 'mean_total', 'flagged_share', 'completion_rate', 'mean_therapist_share'] as const;

/** CSV of the report: one line per row, then the total line; suppressed cells are empty. */
export function reportCsv(r: Report): string {
  const line = (row: ReportRow): CsvCell[] => [row.key, row.sessions, row.asked, row.meanTotal, row.flaggedShare, row.completionRate, row.meanTherapistShare];
  return toCsv([r.report === 'therapists' ? 'therapist' : 'week', ...CSV_HEADER.slice(1)], [...r.rows.map(line), line(r.total)]);
}
