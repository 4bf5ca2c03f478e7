/** Sufficient statistics of one group: count, sum and sum of squares. */
export interface Sums {
  n: number;
  sum: number;
  sumSq: number;
}

/** Two-sided 95 % normal quantile. */
const Z975 = 1.959963984540054;

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (df may be fractional, as Welch's is), by the
 * Cornish-Fisher expansion to the fourth order: within 2e-4 of the exact value from df = 9 up, which the caseload's
 * rule of at least 10 sessions per side guarantees (Welch's df >= min(n) - 1). Not for smaller df.
 */
export function t975(df: number): number {
  if (!(df >= 9)) throw new RangeError('t975 is accurate from 9 degrees of freedom');
  const z = Z975;
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

export interface Welch {
  meanA: number;
  meanB: number;
  /** meanA - meanB */
  difference: number;
  df: number;
  ci95: [number, number];
}

/**
 * Welch's two-sample comparison of means from sums (no equal-variance assumption): the difference of means and its
 * 95 % confidence interval. Both groups need at least 10 members (see t975); null otherwise.
 */
export function welch(a: Sums, b: Sums, minN = 10): Welch | null {
  if (a.n < Math.max(minN, 10) || b.n < Math.max(minN, 10)) return null;
  const meanA = a.sum / a.n;
  const meanB = b.sum / b.n;
  // Sample variances; rounding in the sums can leave a tiny negative for identical values.
  const varA = Math.max(0, (a.sumSq - a.n * meanA * meanA) / (a.n - 1));
  const varB = Math.max(0, (b.sumSq - b.n * meanB * meanB) / (b.n - 1));
  const qa = varA / a.n;
  const qb = varB / b.n;
  const se = Math.sqrt(qa + qb);
  const df = se === 0 ? a.n + b.n - 2 : (qa + qb) ** 2 / (qa ** 2 / (a.n - 1) + qb ** 2 / (b.n - 1));
  const difference = meanA - meanB;
  const half = t975(df) * se;
  return { meanA, meanB, difference, df, ci95: [difference - half, difference + half] };
}
