import type { Report, ReportInstrument, ReportRow } from '../../../schemas/admin.ts';
import type { DistinctClients, InstrumentSums, RollupSums } from '../../db/admin-queries.ts';
import { SHARE_UNITS, TOTAL_UNITS } from '../../db/rollup-units.ts';
import { instrumentKey } from '../instrument-choice.ts';
import { type CsvCell, toCsv } from './csv.ts';
import { type Split, suppressSplit } from './instrument-split.ts';
import { MIN_CELL, MIN_CLIENTS, type Suppression, suppress } from './suppress.ts';

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Sums of the report's instrument: its rated sessions and their totals (hundredths). */
interface InstrumentPart {
  rated: number;
  totalSum: number;
}

function measures(a: Accumulated): Omit<ReportRow, 'key'> {
  const s = a.sums;
  const hideSessions = !a.sessionsShown;
  const hideShare = !a.shareShown;
  const hideTotal = !a.instrumentShown;
  const shown = !hideSessions && s.rated > 0;
  return {
    sessions: hideSessions ? null : s.rated,
    asked: hideSessions ? null : s.asked,
    instrumentSessions: hideTotal ? null : a.instrument.rated,
    meanTotal:
      !hideTotal && a.instrument.rated > 0 ? round(a.instrument.totalSum / TOTAL_UNITS / a.instrument.rated, 2) : null,
    flaggedShare: shown ? round(s.flagged / s.rated, 3) : null,
    completionRate: !hideSessions && s.asked > 0 ? round(s.rated / s.asked, 3) : null,
    meanTherapistShare: !hideShare && s.shareN > 0 ? round(s.shareSum / SHARE_UNITS / s.shareN, 3) : null,
    suppressed: hideSessions,
    meanTotalSuppressed: hideTotal,
    talkShareSuppressed: hideShare,
  };
}

function add(a: RollupSums, b: RollupSums): RollupSums {
  return {
    asked: a.asked + b.asked,
    rated: a.rated + b.rated,
    declined: a.declined + b.declined,
    flagged: a.flagged + b.flagged,
    shareSum: a.shareSum + b.shareSum,
    shareN: a.shareN + b.shareN,
  };
}

const ZERO: RollupSums = { asked: 0, rated: 0, declined: 0, flagged: 0, shareSum: 0, shareN: 0 };
export const NO_INSTRUMENT_SUMS: InstrumentSums = { rated: 0, totalSum: 0, ratedClients: 0 };

/** One week's frozen cells (per therapist) with the week's own distinct clients. */
export interface WeekCells {
  week: number;
  /** The week's first day (YYYY-MM-DD): the key of its row in the weeks report. */
  key: string;
  /** `instruments`: the therapist's rated sessions of the week per instrument (instrumentKey; none when absent). */
  cells: {
    key: string;
    sums: RollupSums;
    clients: DistinctClients;
    instruments: ReadonlyMap<string, InstrumentSums>;
  }[];
  clients: DistinctClients;
  /**
   * The week's distinct clients of rated sessions per instrument (instrumentKey); null for a week frozen before
   * migration 0015, whose totals were frozen summed over every instrument: its mean total is never published.
   */
  instrumentClients: ReadonlyMap<string, number> | null;
}

/**
 * One week's suppression: its session measures, its talk share, and its rated sessions split by instrument (every
 * instrument at once, so that reports on two instruments cannot be set side by side; null before migration 0015).
 */
export function suppressWeek(
  w: WeekCells,
  min = MIN_CELL,
): { bySessions: Suppression; byShare: Suppression; split: Split | null } {
  // A therapist who reads the report knows their own cell (their trend, their summaries): ownCells.
  const bySessions = suppress(
    w.cells.map((c) => c.sums.rated),
    min,
    { cells: w.cells.map((c) => c.clients.ratedClients), total: w.clients.ratedClients },
    { ownCells: true },
  );
  const byShare = suppress(
    w.cells.map((c) => c.sums.shareN),
    min,
    { cells: w.cells.map((c) => c.clients.shareClients), total: w.clients.shareClients },
    { ownCells: true },
  );
  const split =
    w.instrumentClients === null
      ? null
      : suppressSplit(
          {
            cells: w.cells.map((c, i) => ({ parts: c.instruments, sessionsHidden: bySessions.cells[i]! })),
            instrumentClients: w.instrumentClients,
            totalHidden: bySessions.total,
          },
          min,
        );
  return { bySessions, byShare, split };
}

interface Accumulated {
  sums: RollupSums;
  instrument: InstrumentPart;
  sessionsShown: boolean;
  shareShown: boolean;
  instrumentShown: boolean;
}

const sessionPart = (s: RollupSums): RollupSums => ({
  ...ZERO,
  asked: s.asked,
  rated: s.rated,
  declined: s.declined,
  flagged: s.flagged,
});
const sharePart = (s: RollupSums): RollupSums => ({ ...ZERO, shareSum: s.shareSum, shareN: s.shareN });

/**
 * Builds a report from published (frozen) weeks. Each week is a fixed period judged on its own: within it, a cell
 * resting on fewer than `min` sessions or MIN_CLIENTS distinct clients is suppressed with its complementary cells,
 * each column on its own counts: session measures (over every instrument), talk share (likewise), and the mean total
 * on the report's instrument (its sessions on that instrument; a cell whose session measures are suppressed is
 * suppressed there too, and the split is suppressed over every instrument at once (instrument-split.ts), so that a
 * cell's sessions less its part on one instrument, or the reports on two instruments, never give a part the other
 * report hides); the week's total only when it rests on enough. A row over several weeks (a therapist; the total
 * line) adds up only that group's parts that were publishable in their own week, so every figure is a sum of
 * publishable weekly figures: no two reads, over any two ranges, can be subtracted to reveal a suppressed week, and a
 * published week never changes (frozen at first publication).
 */
export function buildPublishedReport(
  kind: Report['report'],
  range: { from: string; to: string },
  instrument: ReportInstrument,
  weeks: WeekCells[],
  min = MIN_CELL,
): Omit<Report, 'publishedThrough'> {
  const rows = new Map<string, Accumulated>();
  const fresh = (): Accumulated => ({
    sums: ZERO,
    instrument: { rated: 0, totalSum: 0 },
    sessionsShown: false,
    shareShown: false,
    instrumentShown: false,
  });
  const total = fresh();
  const accOf = (key: string) => {
    const a = rows.get(key) ?? fresh();
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
  const addInstrument = (a: Accumulated, s: InstrumentPart) => {
    a.instrument = { rated: a.instrument.rated + s.rated, totalSum: a.instrument.totalSum + s.totalSum };
    a.instrumentShown = true;
  };
  const weeksWithoutInstrument: string[] = [];
  const wanted = instrumentKey(instrument);
  for (const w of weeks) {
    if (w.cells.length === 0) continue;
    const { bySessions, byShare, split } = suppressWeek(w, min);
    // Named only where something of the week is published: else the name would say a suppressed week had ratings.
    if (split === null && !bySessions.total) weeksWithoutInstrument.push(w.key);
    const column = split?.get(wanted);
    const partOf = (c: WeekCells['cells'][number]) => c.instruments.get(wanted) ?? NO_INSTRUMENT_SUMS;
    const instrumentShown = (i: number) =>
      column !== undefined && w.cells[i]!.instruments.has(wanted) && !column.cells[i];
    const weekSum = w.cells.reduce((acc, c) => add(acc, c.sums), ZERO);
    const weekInstrument = w.cells.reduce(
      (acc, c) => ({ rated: acc.rated + partOf(c).rated, totalSum: acc.totalSum + partOf(c).totalSum }),
      { rated: 0, totalSum: 0 },
    );
    const weekInstrumentShown = column !== undefined && !column.total;
    if (kind === 'therapists') {
      w.cells.forEach((c, i) => {
        const a = accOf(c.key);
        if (!bySessions.cells[i]) addSessions(a, c.sums);
        if (!byShare.cells[i]) addShare(a, c.sums);
        if (instrumentShown(i)) addInstrument(a, partOf(c));
      });
    } else {
      const a = accOf(w.key);
      if (!bySessions.total) addSessions(a, weekSum);
      if (!byShare.total) addShare(a, weekSum);
      if (weekInstrumentShown) addInstrument(a, weekInstrument);
    }
    if (!bySessions.total) addSessions(total, weekSum);
    if (!byShare.total) addShare(total, weekSum);
    if (weekInstrumentShown) addInstrument(total, weekInstrument);
  }
  const line = (key: string, a: Accumulated): ReportRow => ({ key, ...measures(a) });
  const keys = [...rows.keys()].sort();
  return {
    report: kind,
    ...range,
    instrument,
    minCell: min,
    minClients: MIN_CLIENTS,
    weeksWithoutInstrument,
    rows: keys.map((k) => line(k, rows.get(k)!)),
    total: line('total', total),
  };
}

export const CSV_HEADER = [
  'key',
  'sessions',
  'asked',
  'instrument',
  'instrument_version',
  'instrument_sessions',
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
    r.instrument.id,
    r.instrument.version,
    row.instrumentSessions,
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
