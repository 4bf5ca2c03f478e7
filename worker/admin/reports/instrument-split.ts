/**
 * Small-cell suppression of one week's rated sessions split by instrument. The split is a table: a row per therapist
 * (its margin: the therapist's sessions over every instrument, published or not by the session measures), a column
 * per instrument (its margin: the week's total on it), and the week's row of those totals (its margin: the week's
 * sessions). Reports on different instruments publish different columns of the same table, and a reader can hold
 * them side by side, so every line is judged as the session column is: a line whose margin is published has no
 * hidden entry or at least two, resting together on MIN_CELL sessions and MIN_CLIENTS clients; a line whose margin
 * is hidden has at least one hidden entry. The same table is suppressed whatever instrument a report is on.
 */
import { MIN_CELL, type SuppressOptions, suppress } from './suppress.ts';

/** One therapist's rated sessions (and their distinct clients) on one instrument. */
export interface SplitPart {
  rated: number;
  ratedClients: number;
}

export interface SplitWeek {
  /** Per therapist cell: its parts by instrument key, and whether its session measures are suppressed. */
  cells: readonly { parts: ReadonlyMap<string, SplitPart>; sessionsHidden: boolean }[];
  /** The week's distinct clients of rated sessions per instrument key. */
  instrumentClients: ReadonlyMap<string, number>;
  /** The week's session total is suppressed. */
  totalHidden: boolean;
}

/** Per instrument key: which cells' parts are hidden (by cell index; false where none) and whether its total is. */
export type Split = Map<string, { cells: boolean[]; total: boolean }>;

/** The week's split suppressed to a fixed point over its columns, its therapists' rows and its row of totals. */
export function suppressSplit(w: SplitWeek, min = MIN_CELL): Split {
  const keys = [...new Set(w.cells.flatMap((c) => [...c.parts.keys()]))].sort();
  const split: Split = new Map(
    keys.map((k) => [k, { cells: w.cells.map((c) => c.parts.has(k) && c.sessionsHidden), total: w.totalHidden }]),
  );
  // A part may be hidden as a complement only in a published cell split over two instruments or more: a cell's only
  // part is its published sessions.
  const eligible = (i: number) => !w.cells[i]!.sessionsHidden && w.cells[i]!.parts.size > 1;
  const on = new Map(keys.map((k) => [k, w.cells.flatMap((c, i) => (c.parts.has(k) ? [i] : []))]));
  const partsOf = (k: string) => on.get(k)!.map((i) => w.cells[i]!.parts.get(k)!);
  const totals = keys.map((k) => partsOf(k).reduce((n, x) => n + x.rated, 0));
  const columnOpen = (k: string) => on.get(k)!.some((i) => split.get(k)!.cells[i] || eligible(i));
  const judge = (parts: readonly SplitPart[], clientsTotal: number, options: SuppressOptions) =>
    suppress(
      parts.map((x) => x.rated),
      min,
      { cells: parts.map((x) => x.ratedClients), total: clientsTotal },
      options,
    );
  const snapshot = () => JSON.stringify([...split.values()]);
  let before: string;
  do {
    before = snapshot();
    for (const k of keys) {
      const s = split.get(k)!;
      const idx = on.get(k)!;
      const column = judge(partsOf(k), w.instrumentClients.get(k) ?? 0, {
        forced: idx.map((i) => s.cells[i]!),
        fixed: idx.map((i) => !eligible(i)),
        margin: { hidden: s.total, hideable: true },
        // A therapist who reads the report knows their own part.
        ownCells: true,
      });
      idx.forEach((i, at) => {
        s.cells[i] = column.cells[at]!;
      });
      s.total = column.total;
    }
    // A therapist's row and the row of totals have published margins (a therapist's sessions, the week's), decided
    // with their distinct clients by the session column: not judged again here.
    w.cells.forEach((c, i) => {
      // A cell on one instrument: its part is its published sessions, nothing to settle.
      if (c.sessionsHidden || c.parts.size < 2) return;
      const own = keys.filter((k) => c.parts.has(k));
      const row = judge(
        own.map((k) => c.parts.get(k)!),
        Infinity,
        { forced: own.map((k) => split.get(k)!.cells[i]!) },
      );
      own.forEach((k, j) => {
        split.get(k)!.cells[i] = row.cells[j]!;
      });
    });
    if (!w.totalHidden) {
      const row = judge(
        keys.map((k, j) => ({ rated: totals[j]!, ratedClients: w.instrumentClients.get(k) ?? 0 })),
        Infinity,
        {
          forced: keys.map((k) => split.get(k)!.total),
          // A total whose every part is some cell's only part is given by published sessions: hiding it helps none.
          fixed: keys.map((k) => !columnOpen(k)),
        },
      );
      keys.forEach((k, j) => {
        split.get(k)!.total = row.cells[j]!;
      });
    }
  } while (snapshot() !== before);
  return split;
}
