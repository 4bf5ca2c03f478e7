// Shared by the report tests on two instruments: the likert beside the built-in scale, a closed week, rated sessions.
import { expect } from 'vitest';
import type { Report } from '../../../schemas/admin.ts';
import { dayFromDate } from '../../../worker/admin/reports/range.ts';
import { likertInstrument } from '../../samples.ts';
import type { CaseloadSession } from '../caseload/seed.ts';
import { adminCall } from '../helpers.ts';

/** likert-3 v2: three items 1..7 (totals 3..21). */
export const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
export const DAY = 86_400;
/** 09:00 on Monday 2026-03-02, a week long closed. */
export const W1 = dayFromDate('2026-03-02')! * DAY + 9 * 3600;

/** `n` sessions of therapist `tid`, each with its own client, all rated `total` on `instrument`, with pacing. */
export function rated(
  tid: string,
  n: number,
  at: number,
  total: number,
  instrument?: CaseloadSession['instrument'],
): CaseloadSession[] {
  return Array.from({ length: n }, (_, i) => ({
    sid: `${tid}-${instrument?.id ?? 'builtin'}-${at}-${i}`,
    tid,
    cid: `${tid}-${instrument?.id ?? 'builtin'}-client-${i}`,
    at: at + 60 * i,
    total,
    share: 0.25,
    ...(instrument ? { instrument } : {}),
  }));
}

/** A report read with the admin key; it must answer 200. */
export async function readReport(key: string, path: string): Promise<Report> {
  const res = await adminCall(path, key);
  expect(res.status).toBe(200);
  return res.json<Report>();
}
