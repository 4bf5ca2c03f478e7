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

/**
 * Small-cell suppression for one column of counts with its total.
 * Primary: every cell with n < min, or (with `clients`) resting on fewer than `clients.min` distinct clients, or
 * marked in `forced` (a cell another column depends on is suppressed there: a figure over a subset of a suppressed
 * cell's sessions is suppressed too).
 * Complementary: while exactly one cell is suppressed, or the suppressed cells together rest on fewer than
 * `min` (then total minus the published cells would reveal them, or a group too small), or on fewer distinct
 * clients than the floor (the largest single cell's count is a lower bound of their union), the next smallest
 * published cell is suppressed too. The total is published only when it rests on at least `min` and the floor.
 */
export function suppress(
  counts: readonly number[],
  min = MIN_CELL,
  clients?: ClientCounts,
  forced?: readonly boolean[],
): Suppression {
  const minClients = clients?.min ?? MIN_CLIENTS;
  const clientsOf = (i: number) => (clients ? (clients.cells[i] ?? 0) : Infinity);
  const cells = counts.map((n, i) => n < min || clientsOf(i) < minClients || forced?.[i] === true);
  const suppressedSum = () => counts.reduce((s, n, i) => s + (cells[i] ? n : 0), 0);
  const suppressedCount = () => cells.filter(Boolean).length;
  const suppressedClients = () => counts.reduce((m, _, i) => (cells[i] ? Math.max(m, clientsOf(i)) : m), 0);
  while (
    suppressedCount() > 0 &&
    (suppressedCount() === 1 || suppressedSum() < min || suppressedClients() < minClients)
  ) {
    let next = -1;
    for (let i = 0; i < counts.length; i++) {
      if (!cells[i] && (next < 0 || counts[i]! < counts[next]!)) next = i;
    }
    if (next < 0) break; // everything is suppressed already
    cells[next] = true;
  }
  const total = counts.reduce((s, n) => s + n, 0);
  return { cells, total: total < min || (clients !== undefined && clients.total < minClients) };
}
