/**
 * Small-cell suppression of one week's rated sessions split by instrument. The split is a table: a row per therapist
 * (its margin: the therapist's sessions over every instrument, published or not by the session measures), a column
 * per instrument (its margin: the week's total on it), and the week's row of those totals (its margin: the week's
 * sessions). Reports on different instruments publish different columns of the same table, and a reader can hold
 * them side by side, so every line is judged as the session column is: a line whose margin is published has no
 * hidden entry or at least two, resting together on MIN_CELL sessions and MIN_CLIENTS clients; a line whose margin
 * is hidden has at least one hidden entry. The same table is suppressed whatever instrument a report is on.
 */
import { MIN_CELL, MIN_CLIENTS } from './suppress.ts';

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

interface Line {
  counts: number[];
  clients: number[];
  hidden: boolean[];
  /** Entries that may be hidden as complements (hiding one whose value another published figure gives helps none). */
  eligible: boolean[];
  marginHidden: boolean;
  /** The margin may be hidden here (a column's total); a therapist's or the week's sessions are decided elsewhere. */
  marginHideable: boolean;
}

/** Hides entries (and maybe the margin) of one line until it gives nothing away; true when anything changed. */
function settle(line: Line, min: number): boolean {
  let changed = false;
  let count = 0;
  let sum = 0;
  let clients = 0;
  const hide = (i: number) => {
    if (!line.hidden[i]) changed = true;
    line.hidden[i] = true;
    count++;
    sum += line.counts[i]!;
    clients = Math.max(clients, line.clients[i]!);
  };
  // Primary, as suppress(): under `min` sessions or MIN_CLIENTS clients, or hidden already (by another line).
  line.counts.forEach((n, i) => {
    if (line.hidden[i] || n < min || line.clients[i]! < MIN_CLIENTS) hide(i);
  });
  for (;;) {
    const open = line.marginHidden
      ? count === 0 && line.counts.length > 0
      : count > 0 && (count === 1 || sum < min || clients < MIN_CLIENTS);
    if (!open) break;
    // Complementary, as suppress(): the next smallest entry that can be hidden; else the margin, where it may be.
    let next = -1;
    for (let i = 0; i < line.counts.length; i++)
      if (!line.hidden[i] && line.eligible[i] && (next < 0 || line.counts[i]! < line.counts[next]!)) next = i;
    if (next >= 0) hide(next);
    else if (line.marginHideable && !line.marginHidden) {
      line.marginHidden = true;
      changed = true;
    } else break;
  }
  return changed;
}

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
  for (let changed = true; changed; ) {
    changed = false;
    keys.forEach((k, j) => {
      const s = split.get(k)!;
      const idx = on.get(k)!;
      const line: Line = {
        counts: partsOf(k).map((x) => x.rated),
        clients: partsOf(k).map((x) => x.ratedClients),
        hidden: idx.map((i) => s.cells[i]!),
        eligible: idx.map(eligible),
        marginHidden: s.total || totals[j]! < min || (w.instrumentClients.get(k) ?? 0) < MIN_CLIENTS,
        marginHideable: true,
      };
      if (settle(line, min) || line.marginHidden !== s.total) changed = true;
      idx.forEach((i, at) => {
        s.cells[i] = line.hidden[at]!;
      });
      s.total = line.marginHidden;
    });
    w.cells.forEach((c, i) => {
      // A cell on one instrument: its part is its published sessions, nothing to settle.
      if (c.sessionsHidden || c.parts.size < 2) return;
      const own = keys.filter((k) => c.parts.has(k));
      const line: Line = {
        counts: own.map((k) => c.parts.get(k)!.rated),
        clients: own.map((k) => c.parts.get(k)!.ratedClients),
        hidden: own.map((k) => split.get(k)!.cells[i]!),
        eligible: own.map(() => true),
        marginHidden: false,
        marginHideable: false,
      };
      if (settle(line, min)) changed = true;
      own.forEach((k, j) => {
        split.get(k)!.cells[i] = line.hidden[j]!;
      });
    });
    if (!w.totalHidden) {
      const line: Line = {
        counts: totals,
        clients: keys.map((k) => w.instrumentClients.get(k) ?? 0),
        hidden: keys.map((k) => split.get(k)!.total),
        // A total whose every part is some cell's only part is given by published sessions: hiding it helps none.
        eligible: keys.map(columnOpen),
        marginHidden: false,
        marginHideable: false,
      };
      if (settle(line, min)) changed = true;
      keys.forEach((k, j) => {
        split.get(k)!.total = line.hidden[j]!;
      });
    }
  }
  return split;
}
