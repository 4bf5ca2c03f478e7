import type { Report, ReportRow } from '../../../schemas/admin.ts';
import type { DistinctClients, RollupSums } from '../../db/admin-queries.ts';
import { SHARE_UNITS, TOTAL_UNITS } from '../../db/rollup-units.ts';
import { type CsvCell, toCsv } from './csv.ts';
import { MIN_CELL, MIN_CLIENTS, suppress } from './suppress.ts';

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function measures(s: RollupSums, hideSessions: boolean, hideShare: boolean): Omit<ReportRow, 'key'> {
  const shown = !hideSessions && s.rated > 0;
  return {
    sessions: hideSessions ? null : s.rated,
    asked: hideSessions ? null : s.asked,
    meanTotal: shown ? round(s.totalSum / TOTAL_UNITS / s.rated, 2) : null,
    flaggedShare: shown ? round(s.flagged / s.rated, 3) : null,
    completionRate: !hideSessions && s.asked > 0 ? round(s.rated / s.asked, 3) : null,
    meanTherapistShare: !hideShare && s.shareN > 0 ? round(s.shareSum / SHARE_UNITS / s.shareN, 3) : null,
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

/** One week's frozen cells (per therapist) with the week's own distinct clients. */
export interface WeekCells {
  week: number;
  /** The week's first day (YYYY-MM-DD): the key of its row in the weeks report. */
  key: string;
  cells: { key: string; sums: RollupSums; clients: DistinctClients }[];
  clients: DistinctClients;
}

interface Accumulated {
  sums: RollupSums;
  sessionsShown: boolean;
  shareShown: boolean;
}

const sessionPart = (s: RollupSums): RollupSums => ({
  ...ZERO,
  asked: s.asked,
  rated: s.rated,
  declined: s.declined,
  totalSum: s.totalSum,
  flagged: s.flagged,
});
const sharePart = (s: RollupSums): RollupSums => ({ ...ZERO, shareSum: s.shareSum, shareN: s.shareN });

/**
 * Builds a report from published (frozen) weeks. Each week is a fixed period judged on its own: within it, a cell
 * resting on fewer than `min` sessions or MIN_CLIENTS distinct clients is suppressed with its complementary cells,
 * each column (session measures; talk share) on its own counts, and the week's total only when it rests on enough.
 * A row over several weeks (a therapist; the total line) adds up only that group's parts that were publishable in
 * their own week, so every figure is a sum of publishable weekly figures: no two reads, over any two ranges, can be
 * subtracted to reveal a suppressed week, and a published week never changes (frozen at first publication).
 */
export function buildPublishedReport(
  kind: Report['report'],
  range: { from: string; to: string },
  weeks: WeekCells[],
  min = MIN_CELL,
): Report {
  const rows = new Map<string, Accumulated>();
  const total: Accumulated = { sums: ZERO, sessionsShown: false, shareShown: false };
  const accOf = (key: string) => {
    const a = rows.get(key) ?? { sums: ZERO, sessionsShown: false, shareShown: false };
    rows.set(key, a);
    return a;
  };
  const addSessions = (a: Accumulated, s: RollupSums) => {
    a.sums = add(a.sums, sessionPart(s));
    a.sessionsShown = true;
  };
  const addShare = (a: Accumulated, s: RollupSums) => {
    a.sums = add(a.sums, sharePart(s));
    a.shareShown = true;
  };
  for (const w of weeks) {
    if (w.cells.length === 0) continue;
    const bySessions = suppress(
      w.cells.map((c) => c.sums.rated),
      min,
      { cells: w.cells.map((c) => c.clients.ratedClients), total: w.clients.ratedClients },
    );
    const byShare = suppress(
      w.cells.map((c) => c.sums.shareN),
      min,
      { cells: w.cells.map((c) => c.clients.shareClients), total: w.clients.shareClients },
    );
    const weekSum = w.cells.reduce((acc, c) => add(acc, c.sums), ZERO);
    if (kind === 'therapists') {
      w.cells.forEach((c, i) => {
        const a = accOf(c.key);
        if (!bySessions.cells[i]) addSessions(a, c.sums);
        if (!byShare.cells[i]) addShare(a, c.sums);
      });
    } else {
      const a = accOf(w.key);
      if (!bySessions.total) addSessions(a, weekSum);
      if (!byShare.total) addShare(a, weekSum);
    }
    if (!bySessions.total) addSessions(total, weekSum);
    if (!byShare.total) addShare(total, weekSum);
  }
  const line = (key: string, a: Accumulated): ReportRow => ({
    key,
    ...measures(a.sums, !a.sessionsShown, !a.shareShown),
  });
  const keys = [...rows.keys()].sort();
  return {
    report: kind,
    ...range,
    minCell: min,
    minClients: MIN_CLIENTS,
    rows: keys.map((k) => line(k, rows.get(k)!)),
    total: line('total', total),
  };
}

export const CSV_HEADER = [
  'key',
  'sessions',
  'asked',
  'mean_total',
  'flagged_share',
  'completion_rate',
  'mean_therapist_share',
] as const;

/** CSV of the report: one line per row, then the total line; suppressed cells are empty. */
export function reportCsv(r: Report): string {
  const line = (row: ReportRow): CsvCell[] => [
    row.key,
    row.sessions,
    row.asked,
    row.meanTotal,
    row.flaggedShare,
    row.completionRate,
    row.meanTherapistShare,
  ];
  return toCsv(
    [r.report === 'therapists' ? 'therapist' : 'week', ...CSV_HEADER.slice(1)],
    [...r.rows.map(line), line(r.total)],
  );
}
