import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../schemas/admin.ts';
import { suppressSplit } from '../../../worker/admin/reports/instrument-split.ts';
import { instrumentKey } from '../../../worker/admin/instrument-choice.ts';
import { buildPublishedReport, suppressWeek } from '../../../worker/admin/reports/report.ts';
import { MIN_CELL, MIN_CLIENTS } from '../../../worker/admin/reports/suppress.ts';
import { randomWeek } from './random-week.ts';
import { leaks } from './report-audit.ts';

const key = (id: string) => instrumentKey({ id, version: 1 });
const part = (rated: number, ratedClients = rated) => ({ rated, ratedClients });

describe('suppressSplit', () => {
  it('hides a part under 11 with another part of its cell and both columns’ totals when nothing else can go', () => {
    // a: 20 on x, 8 on y; b: 30 on y only; c: 14 on x only (the example of report-second-reader).
    const split = suppressSplit({
      cells: [
        {
          parts: new Map([
            [key('x'), part(20)],
            [key('y'), part(8)],
          ]),
          sessionsHidden: false,
        },
        { parts: new Map([[key('y'), part(30)]]), sessionsHidden: false },
        { parts: new Map([[key('x'), part(14)]]), sessionsHidden: false },
      ],
      instrumentClients: new Map([
        [key('x'), 34],
        [key('y'), 38],
      ]),
      totalHidden: false,
    });
    expect(split.get(key('x'))).toEqual({ cells: [true, false, false], total: true });
    expect(split.get(key('y'))).toEqual({ cells: [true, false, false], total: true });
  });

  it('hides nothing where every part and total rests on enough', () => {
    const split = suppressSplit({
      cells: [
        {
          parts: new Map([
            [key('x'), part(20)],
            [key('y'), part(12)],
          ]),
          sessionsHidden: false,
        },
        { parts: new Map([[key('y'), part(30)]]), sessionsHidden: false },
      ],
      instrumentClients: new Map([
        [key('x'), 20],
        [key('y'), 42],
      ]),
      totalHidden: false,
    });
    expect([...split.values()]).toEqual([
      { cells: [false, false], total: false },
      { cells: [false, false], total: false },
    ]);
  });

  it('a part hidden for its sessions takes a second part of its column, preferring a split cell to the total', () => {
    const split = suppressSplit({
      cells: [
        { parts: new Map([[key('x'), part(5)]]), sessionsHidden: true },
        {
          parts: new Map([
            [key('x'), part(40)],
            [key('y'), part(15)],
          ]),
          sessionsHidden: true,
        },
        {
          parts: new Map([
            [key('x'), part(25)],
            [key('y'), part(25)],
          ]),
          sessionsHidden: false,
        },
        { parts: new Map([[key('x'), part(60)]]), sessionsHidden: false },
      ],
      instrumentClients: new Map([
        [key('x'), 130],
        [key('y'), 40],
      ]),
      totalHidden: false,
    });
    // x: the hidden cells (5 + 40) rest on 45: enough; y: 15 hidden alone, so 25 goes with it, and with it x's 25 of
    // the same cell (else its 50 sessions less 25 would give it). The therapist of that cell knows their own 25, so
    // y's total, less it, would still give the 15: y's total goes too (no other part is left), and x's with it (the
    // week's sessions less x's total would give y's).
    expect(split.get(key('x'))).toEqual({ cells: [true, true, true, false], total: true });
    expect(split.get(key('y'))).toEqual({ cells: [false, true, true, false], total: true });
  });
});

const week = randomWeek({ minInstruments: 2, maxSessions: 40, maxTherapists: 6 }).map((w) => w.week);

describe('a second reader of every report of a week, on every instrument', () => {
  it('solves no part (sessions, or sum of totals) that the report on its instrument hides', () => {
    fc.assert(
      fc.property(week, (w) => {
        const ids = [...w.instrumentClients!.keys()].map((k) => (JSON.parse(k) as [string, number])[0]);
        const reports: Report[] = ids.flatMap((id) =>
          (['therapists', 'weeks'] as const).map((kind) => ({
            ...buildPublishedReport(kind, { from: '2026-03-02', to: '2026-03-08' }, { id, version: 1, maxTotal: 40 }, [
              w,
            ]),
          })),
        );
        expect(leaks(reports, ids)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('every line of the split table', () => {
  it('has no lone hidden entry, nor hidden entries resting on too few, beside a published margin', () => {
    fc.assert(
      fc.property(week, (w) => {
        const { bySessions, split } = suppressWeek(w);
        type Entry = { rated: number; ratedClients: number; hidden: boolean };
        const exposed = (line: Entry[]) => {
          const h = line.filter((e) => e.hidden);
          return (
            h.length > 0 &&
            (h.length === 1 ||
              h.reduce((s, e) => s + e.rated, 0) < MIN_CELL ||
              Math.max(...h.map((e) => e.ratedClients)) < MIN_CLIENTS)
          );
        };
        // A part of a published cell on one instrument is that cell's published sessions.
        const given = (i: number) => !bySessions.cells[i] && w.cells[i]!.instruments.size === 1;
        const columns = [...split!].map(([k, s]) => {
          const on = w.cells.flatMap((c, i) => (c.instruments.has(k) ? [i] : []));
          const parts = on.map((i) => ({ ...w.cells[i]!.instruments.get(k)!, hidden: s.cells[i]! }));
          const total = { rated: parts.reduce((n, x) => n + x.rated, 0), ratedClients: w.instrumentClients!.get(k)! };
          for (const [at, i] of on.entries()) {
            if (bySessions.cells[i]) expect(parts[at]!.hidden).toBe(true);
            if (given(i)) expect(parts[at]!.hidden).toBe(false);
          }
          if (bySessions.total) expect(s.total).toBe(true);
          // A hidden total needs a hidden part beside it, unless its parts are all given by published sessions.
          if (s.total) expect(parts.some((x) => x.hidden) || on.every(given)).toBe(true);
          else expect(exposed(parts)).toBe(false);
          return { ...total, hidden: s.total, given: on.every(given) };
        });
        w.cells.forEach((c, i) => {
          if (bySessions.cells[i] || c.instruments.size < 2) return;
          const row = [...split!].flatMap(([k, s]) =>
            c.instruments.has(k) ? [{ ...c.instruments.get(k)!, hidden: s.cells[i]! }] : [],
          );
          // All of a row hidden may rest on too few clients by its largest part: nothing more can go.
          if (!row.every((x) => x.hidden)) expect(exposed(row)).toBe(false);
        });
        if (!bySessions.total && exposed(columns))
          expect(columns.filter((x) => !x.hidden).every((x) => x.given)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
