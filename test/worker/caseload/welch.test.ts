import { describe, expect, it } from 'vitest';
import { t975, welch } from '../../../worker/caseload/welch.ts';

const sums = (xs: number[]) => ({
  n: xs.length,
  sum: xs.reduce((a, b) => a + b, 0),
  sumSq: xs.reduce((a, b) => a + b * b, 0),
});

describe('Welch’s interval', () => {
  it('t975 matches the published t table from 9 degrees of freedom', () => {
    const table: [number, number][] = [
      [9, 2.262157],
      [10, 2.228139],
      [15, 2.13145],
      [20, 2.085963],
      [30, 2.042272],
      [60, 2.000298],
      [120, 1.97993],
      [1e6, 1.959966],
    ];
    for (const [df, t] of table) expect(Math.abs(t975(df) - t), `df ${df}`).toBeLessThan(2e-4);
    expect(() => t975(8)).toThrow(RangeError);
  });

  it('gives the difference of means and Welch’s interval from sums as from the raw values', () => {
    const a = [28, 29, 31, 27, 30, 26, 29, 28, 30, 27, 28, 25];
    const b = [31, 30, 32, 29, 33, 30, 31, 28, 32, 30, 31, 29, 30, 31];
    const r = welch(sums(a), sums(b))!;
    const meanA = a.reduce((x, y) => x + y) / a.length;
    const meanB = b.reduce((x, y) => x + y) / b.length;
    expect(r.difference).toBeCloseTo(meanA - meanB, 10);
    // Recomputed by the textbook formulas from the raw values (not the sums).
    const va = a.reduce((s, x) => s + (x - meanA) ** 2, 0) / (a.length - 1);
    const vb = b.reduce((s, x) => s + (x - meanB) ** 2, 0) / (b.length - 1);
    const se = Math.sqrt(va / a.length + vb / b.length);
    const df =
      (va / a.length + vb / b.length) ** 2 /
      ((va / a.length) ** 2 / (a.length - 1) + (vb / b.length) ** 2 / (b.length - 1));
    expect(r.df).toBeCloseTo(df, 8);
    expect(r.ci95[0]).toBeCloseTo(r.difference - t975(df) * se, 8);
    expect(r.ci95[1]).toBeCloseTo(r.difference + t975(df) * se, 8);
    expect(r.ci95[0]).toBeLessThan(r.difference);
  });

  it('agrees with the published worked example (Wikipedia, Welch’s t-test, example 1: t = -2.46, df = 24.99, p = 0.021)', () => {
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const r = welch(sums(a), sums(b))!;
    expect(r.df).toBeCloseTo(24.99, 2);
    const se = (r.ci95[1] - r.ci95[0]) / 2 / t975(r.df);
    expect(r.difference / se).toBeCloseTo(-2.46, 2);
    // p = 0.021 < 0.05: the 95 % interval leaves zero out.
    expect(r.ci95[1]).toBeLessThan(0);
  });

  it('makes no claim below 10 on either side', () => {
    const ten = sums([30, 31, 29, 30, 32, 28, 30, 31, 29, 30]);
    expect(welch(sums([30, 31, 29, 30, 32, 28, 30, 31, 29]), ten)).toBeNull();
    expect(welch(ten, ten)).not.toBeNull();
  });

  it('survives identical values (zero variance)', () => {
    const r = welch(sums(Array(12).fill(30)), sums(Array(10).fill(32)))!;
    expect(r.difference).toBe(-2);
    expect(r.ci95).toEqual([-2, -2]);
  });
});
