// A second reader of published reports: from several reports of ONE week (therapists and weeks reports, on any of
// the platform's instruments) it writes down every linear equation the published figures give, and solves for each
// therapist's rated sessions (and the sum of their totals) on each instrument. A figure it can solve exactly that the
// report on that instrument does not publish is a leak.
import type { Report } from '../../../schemas/admin.ts';

interface Equation {
  coefficients: Map<string, number>;
  value: number;
}

const variable = (key: string, instrument: string) => `${key}|${instrument}`;

/** Variables solved exactly by Gaussian elimination (a reduced row that names one variable alone). */
function solve(equations: readonly Equation[]): Map<string, number> {
  const names = [...new Set(equations.flatMap((e) => [...e.coefficients.keys()]))];
  const rows = equations.map((e) => [...names.map((n) => e.coefficients.get(n) ?? 0), e.value]);
  let pivotRow = 0;
  for (let col = 0; col < names.length && pivotRow < rows.length; col++) {
    const at = rows.findIndex((r, i) => i >= pivotRow && Math.abs(r[col]!) > 1e-9);
    if (at < 0) continue;
    [rows[pivotRow], rows[at]] = [rows[at]!, rows[pivotRow]!];
    const p = rows[pivotRow]!;
    const lead = p[col]!;
    for (let j = 0; j < p.length; j++) p[j]! /= lead;
    for (let i = 0; i < rows.length; i++) {
      if (i === pivotRow) continue;
      const f = rows[i]![col]!;
      if (Math.abs(f) > 1e-9) for (let j = 0; j < p.length; j++) rows[i]![j]! -= f * p[j]!;
    }
    pivotRow++;
  }
  const solved = new Map<string, number>();
  for (const r of rows) {
    const nonzero = names.flatMap((n, j) => (Math.abs(r[j]!) > 1e-9 ? [n] : []));
    if (nonzero.length === 1) solved.set(nonzero[0]!, r[names.length]!);
  }
  return solved;
}

const sumOf = (vars: string[]) => new Map(vars.map((v) => [v, 1]));

/** A therapist's own figures on one instrument, as they know them (their trend, their summaries). */
export interface Known {
  key: string;
  instrument: string;
  sessions: number;
  /** The sum of their totals on it. */
  sum: number;
}

/**
 * What a reader learns from `reports` (each over the same single week) that those reports hide: every therapist row
 * key's rated sessions (`counts`) or sum of totals (`sums`) on an instrument, solved exactly, non-zero, and not
 * published by a report on that instrument. `instruments` are every instrument id the week's ratings used. A reader
 * who is in the report knows their own figures (`known`): those are no leak, and they solve the rest with them.
 */
export function leaks(
  reports: readonly Report[],
  instruments: readonly string[],
  known: readonly Known[] = [],
): string[] {
  const keys = [...new Set(reports.flatMap((r) => (r.report === 'therapists' ? r.rows.map((row) => row.key) : [])))];
  const counts: Equation[] = [];
  const sums: Equation[] = [];
  const everyKey = (instrument: string) => keys.map((k) => variable(k, instrument));
  for (const r of reports) {
    const i = r.instrument.id;
    const lines = r.report === 'therapists' ? r.rows : [];
    for (const row of lines) {
      if (row.sessions !== null)
        counts.push({ coefficients: sumOf(instruments.map((j) => variable(row.key, j))), value: row.sessions });
      if (row.instrumentSessions !== null) {
        counts.push({ coefficients: sumOf([variable(row.key, i)]), value: row.instrumentSessions });
        if (row.meanTotal !== null)
          sums.push({ coefficients: sumOf([variable(row.key, i)]), value: row.meanTotal * row.instrumentSessions });
      }
    }
    // The total line (and, for one week, the weeks report's row: the same figures) is over every therapist.
    for (const t of r.report === 'weeks' ? [...r.rows, r.total] : [r.total]) {
      if (t.sessions !== null)
        counts.push({ coefficients: sumOf(instruments.flatMap((j) => everyKey(j))), value: t.sessions });
      if (t.instrumentSessions !== null) {
        counts.push({ coefficients: sumOf(everyKey(i)), value: t.instrumentSessions });
        if (t.meanTotal !== null)
          sums.push({ coefficients: sumOf(everyKey(i)), value: t.meanTotal * t.instrumentSessions });
      }
    }
  }
  for (const k of known) {
    counts.push({ coefficients: sumOf([variable(k.key, k.instrument)]), value: k.sessions });
    sums.push({ coefficients: sumOf([variable(k.key, k.instrument)]), value: k.sum });
  }
  const isKnown = new Set(known.map((k) => variable(k.key, k.instrument)));
  const published = (v: string, what: 'instrumentSessions' | 'meanTotal') =>
    isKnown.has(v) ||
    reports.some(
      (r) =>
        r.report === 'therapists' &&
        r.rows.some((row) => variable(row.key, r.instrument.id) === v && row[what] !== null),
    );
  const found: string[] = [];
  const solvedCounts = solve(counts);
  // A reader who solved a count to 0 knows that sum is 0 too: nothing hidden, and not a leak however the rounding of
  // the means it is solved from puts it (0.005 a session: 0.68 over 136 sessions).
  const none = new Set<string>();
  for (const [v, value] of solvedCounts)
    if (Math.round(value) === 0) {
      none.add(v);
      sums.push({ coefficients: sumOf([v]), value: 0 });
    }
  for (const [v, value] of solvedCounts)
    if (Math.round(value) !== 0 && !published(v, 'instrumentSessions'))
      found.push(`sessions ${v} = ${Math.round(value)}`);
  // A sum is rounded (mean to 2 digits): a leak when solved to within the rounding of its equations.
  for (const [v, value] of solve(sums))
    if (!none.has(v) && Math.abs(value) > 0.5 && !published(v, 'meanTotal'))
      found.push(`sum ${v} ≈ ${value.toFixed(1)}`);
  return found;
}
