/** Smallest count a published cell may rest on. */
export const MIN_CELL = 11;

export interface Suppression {
  /** Per cell: true when the cell must not be published. */
  cells: boolean[];
  /** True when the total over all cells must not be published. */
  total: boolean;
}

/** Fewest distinct clients a published cell may rest on (11 sessions of one client would publish that client). */
export const MIN_CLIENTS = 5;

/** Distinct clients per cell and over all cells, with their floor. */
export interface ClientCounts {
  cells: readonly number[];
  total: number;
  min?: number;
}

/** For a line of a table, whose cells and total other lines publish too. */
export interface SuppressOptions {
  /** Cells suppressed already (a figure over a subset of a suppressed cell's sessions is suppressed too). */
  forced?: readonly boolean[];
  /** Cells never suppressed as complements: another published figure gives each, so hiding one protects nothing. */
  fixed?: readonly boolean[];
  /**
   * The total as a cell of the table's margin: suppressed already there when `hidden`; with `hideable` it is the last
   * complement, where no cell can be. A suppressed total needs just one suppressed cell (else the cells give it).
   * Without this, the cells are protected as though the total were published, whether it is or not.
   */
  margin?: { hidden: boolean; hideable: boolean };
  /**
   * Each cell is one party's own figure, and that party may read the report (a therapist knows their own week from
   * their trend and summaries): with the total published, the hidden cells less any one of them must still be
   * protected as a group wherever they hold a primary cell (two cells or more, resting on `min` sessions and the
   * client floor), and when no cell is left to hide, the total goes.
   */
  ownCells?: boolean;
}

/**
 * Small-cell suppression for one column of counts with its total.
 * Primary: every cell with n < min, or (with `clients`) resting on fewer than `clients.min` distinct clients, or
 * marked in `forced`.
 * Complementary: while exactly one cell is suppressed, or the suppressed cells together rest on fewer than
 * `min` (then total minus the published cells would reveal them, or a group too small), or on fewer distinct
 * clients than the floor (the largest single cell's count is a lower bound of their union), the next smallest
 * published cell (not `fixed`) is suppressed too; with `ownCells`, also while the suppressed cells less any one of
 * them leave a primary cell in a group that small. The total is published only when it rests on at least `min` and
 * the floor (and, with `margin`, is not suppressed there or here; with `margin.hideable` or `ownCells`, it is
 * suppressed when no cell is left to take).
 */
export function suppress(
  counts: readonly number[],
  min = MIN_CELL,
  clients?: ClientCounts,
  { forced, fixed, margin, ownCells }: SuppressOptions = {},
): Suppression {
  const minClients = clients?.min ?? MIN_CLIENTS;
  const clientsOf = (i: number) => (clients ? (clients.cells[i] ?? 0) : Infinity);
  const primary = counts.map((n, i) => n < min || clientsOf(i) < minClients || forced?.[i] === true);
  const cells = [...primary];
  const hidden = () => counts.flatMap((_, i) => (cells[i] ? [i] : []));
  /** A group of hidden cells whose sum a reader holds: too small when it is one cell or rests on too few. */
  const tooSmall = (group: number[]) =>
    group.length === 1 ||
    group.reduce((s, i) => s + counts[i]!, 0) < min ||
    group.reduce((m, i) => Math.max(m, clientsOf(i)), 0) < minClients;
  // The hidden cells less one party's own: exposed where that leaves a primary cell in too small a group. tooSmall of
  // each rest from the whole group's sums (linear: a week may have thousands of small cells).
  const lessOwnExposed = (h: number[]) => {
    const sum = h.reduce((s, i) => s + counts[i]!, 0);
    const primaries = h.filter((i) => primary[i]).length;
    let [top, second, topAt] = [0, 0, -1];
    for (const i of h) {
      const c = clientsOf(i);
      if (c > top || topAt < 0) [top, second, topAt] = [c, topAt < 0 ? 0 : top, i];
      else if (c > second) second = c;
    }
    return h.some(
      (own) =>
        primaries - (primary[own] ? 1 : 0) > 0 &&
        (h.length === 2 || sum - counts[own]! < min || (own === topAt ? second : top) < minClients),
    );
  };
  let total =
    margin?.hidden === true ||
    counts.reduce((s, n) => s + n, 0) < min ||
    (clients !== undefined && clients.total < minClients);
  const exposed = () => {
    const h = hidden();
    if (margin && total) return h.length === 0;
    if (h.length === 0) return false;
    if (tooSmall(h)) return true;
    return ownCells === true && !total && lessOwnExposed(h);
  };
  while (exposed()) {
    let next = -1;
    for (let i = 0; i < counts.length; i++) {
      if (!cells[i] && fixed?.[i] !== true && (next < 0 || counts[i]! < counts[next]!)) next = i;
    }
    if (next >= 0) cells[next] = true;
    else if ((margin?.hideable || ownCells) && !total) total = true;
    else break; // nothing left that can be suppressed
  }
  return { cells, total };
}
