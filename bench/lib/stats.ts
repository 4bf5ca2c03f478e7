/** Nearest-rank percentile. */
export function pct(xs: readonly number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}

export function summary(xs: readonly number[]) {
  return { n: xs.length, p50: round(pct(xs, 50)), p95: round(pct(xs, 95)), max: round(Math.max(...xs)) };
}

const round = (x: number) => Math.round(x * 100) / 100;

export function fmt(xs: readonly number[]): string {
  const s = summary(xs);
  return `p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms (n=${s.n})`;
}

/** To the microsecond, for figures from a fine clock. */
export function fmtFine(xs: readonly number[]): string {
  return `p50 ${pct(xs, 50).toFixed(3)} ms, p95 ${pct(xs, 95).toFixed(3)} ms, max ${Math.max(...xs).toFixed(3)} ms`;
}
