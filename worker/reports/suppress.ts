/** Smallest count a published cell may rest on. */
export const MIN_CELL = 11;

export interface Suppression {
  /** Per cell: true when the cell must not be published. */
  cells: boolean[];
  /** True when the total over all cells must not be published. */
  total: boolean;
}

/**
 * Small-cell suppression for one column of counts with its total.
 * Primary: every cell with n < min. Complementary: while exactly one cell is suppressed, or the suppressed
 * cells together rest on fewer than `min` (then total minus the published cells would reveal them, or a
 * group too small), the next smallest published cell is suppressed too. The total is published only when
 * it rests on at least `min`.
 */
export function suppress(counts: readonly number[], min = MIN_CELL): Suppression {
  const cells = counts.map((n) => n < min);
  const suppressedSum = () => counts.reduce((s, n, i) => s + (cells[i] ? n : 0), 0);
  const suppressedCount = () => cells.filter(Boolean).length;
  while (suppressedCount() > 0 && (suppressedCount() === 1 || suppressedSum() < min)) {
    let next = -1;
    for (let i = 0; i < counts.length; i++) {
      if (!cells[i] && (next < 0 || counts[i]! < counts[next]!)) next = i;
    }
    if (next < 0) break; // everything is suppressed already
    cells[next] = true;
  }
  const total = counts.reduce((s, n) => s + n, 0);
  return { cells, total: total < min };
}
