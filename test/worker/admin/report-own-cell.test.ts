// A second reader who is also in the report: a therapist (a clinical lead with the platform's admin key, or handed
// its CSV) knows their own week exactly: their trend (GET /v1/trends) gives their rated sessions and mean total, and
// every summary their flags. Subtracting that from the week's total less the published cells must not leave one
// other therapist's suppressed cell.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report, ReportRow } from '../../../schemas/admin.ts';
import type { Trend } from '../../../schemas/index.ts';
import { instrumentKey } from '../../../worker/admin/instrument-choice.ts';
import { dateOfDay, weekStart } from '../../../worker/admin/reports/range.ts';
import { buildPublishedReport } from '../../../worker/admin/reports/report.ts';
import { DAY, daysAgo, storeRaw } from '../caseload/seed.ts';
import { adminCall, call, seedAdminKey, seedPlatform } from '../helpers.ts';
import { type Known, leaks } from './report-audit.ts';
import { randomWeek } from './random-week.ts';
import { rated, readReport } from './report-seed.ts';

/** What a reader who knows row `own`'s sessions and mean total solves from one week's therapists report. */
function othersSolved(
  report: Report,
  own: { key: string; sessions: number; meanTotal: number },
): { sessions: number; meanTotal: number } | null {
  const t = report.total;
  if (t.sessions === null || t.instrumentSessions === null || t.meanTotal === null) return null;
  const hidden = report.rows.filter((r) => r.sessions === null && r.key !== own.key);
  if (hidden.length !== 1) return null;
  const published = report.rows.filter((r) => r.sessions !== null && r.key !== own.key);
  const sum = (rows: ReportRow[], f: (r: ReportRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const ownIn = report.rows.some((r) => r.key === own.key && r.sessions === null);
  const sessions = t.sessions - sum(published, (r) => r.sessions!) - (ownIn ? own.sessions : 0);
  const totals =
    t.meanTotal * t.instrumentSessions -
    sum(published, (r) => (r.meanTotal ?? 0) * (r.instrumentSessions ?? 0)) -
    (ownIn ? own.meanTotal * own.sessions : 0);
  return { sessions, meanTotal: Math.round((totals / sessions) * 100) / 100 };
}

describe('a therapist who reads the report and knows their own week', () => {
  it('attack: the week total, less the published cells and their own (from their trend), gives a suppressed cell', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    // A closed, published week inside the trend's 90 days.
    const monday = weekStart(Math.floor(daysAgo(21) / DAY));
    const at = monday * DAY + 9 * 3600;
    // a: 3 sessions (suppressed); c: 12 (its complement); d: 30; e: 40.
    for (const s of [
      ...rated('a', 3, at, 8),
      ...rated('c', 12, at + 3000, 30),
      ...rated('d', 30, at + 6000, 25),
      ...rated('e', 40, at + 9000, 20),
    ])
      await storeRaw(p.platformId, s);
    const report = await readReport(
      admin.key,
      `/v1/reports/therapists?from=${dateOfDay(monday)}&to=${dateOfDay(monday + 6)}`,
    );
    // c's own figures, as c reads them beside a summary of one of their sessions.
    const token = await p.mint({
      sid: `c-builtin-${at + 3000}-0`,
      tid: 'c',
      cid: 'c-builtin-client-0',
      role: 'therapist',
    });
    const trendRes = await call('/v1/trends', { token });
    expect(trendRes.status).toBe(200);
    const trend = await trendRes.json<Trend>();
    expect(trend.therapist).toMatchObject({ sessions: 12, meanTotal: 30 });
    const pseudonyms = await adminCall('/v1/reports/pseudonyms', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ therapists: ['c'] }),
    });
    const { pseudonyms: list } = await pseudonyms.json<{ pseudonyms: { pseudonym: string }[] }>();
    const own = { key: list[0]!.pseudonym, sessions: trend.therapist.sessions, meanTotal: trend.therapist.meanTotal! };
    expect(othersSolved(report, own)).toBeNull();
    // d goes with them (c less its own then leaves a and d: 33 sessions of two therapists); e and the total stay.
    expect(report.rows.filter((r) => r.sessions !== null)).toMatchObject([{ sessions: 40, meanTotal: 20 }]);
    expect(report.total).toMatchObject({ sessions: 85 });
  });
});

const key = (id: string) => instrumentKey({ id, version: 1 });

const week = randomWeek({ minInstruments: 1, maxSessions: 45, maxTherapists: 7 });

describe('every therapist of a week as the second reader', () => {
  it('solves no other therapist’s suppressed part (sessions, or sum of totals) with their own, on any instrument', () => {
    fc.assert(
      fc.property(week, ({ ids, week: w }) => {
        const range = { from: '2026-03-02', to: '2026-03-08' };
        const reports: Report[] = ids.flatMap((id) =>
          (['therapists', 'weeks'] as const).map((kind) => ({
            ...buildPublishedReport(kind, range, { id, version: 1, maxTotal: 40 }, [w]),
            publishedThrough: '2026-03-11',
          })),
        );
        for (const c of w.cells) {
          const own: Known[] = ids.map((id) => {
            const part = c.instruments.get(key(id));
            return { key: c.key, instrument: id, sessions: part?.rated ?? 0, sum: (part?.totalSum ?? 0) / 100 };
          });
          expect([c.key, leaks(reports, ids, own)]).toEqual([c.key, []]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
