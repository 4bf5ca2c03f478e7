import { describe, expect, it } from 'vitest';
import type { CaseloadClient, PaceComparison } from '../../../schemas/caseload.ts';
import { cleanClients, comparisonSentences, joinClients, reasonText } from '../../../widget/caseload/caseload-text.ts';
import { en } from '../../../widget/caseload/strings/en.ts';

const comparison = (over: Partial<PaceComparison>): PaceComparison => ({
  thresholdShare: 0.6,
  minSessions: 10,
  above: { sessions: 14, meanTotal: 29 },
  atOrBelow: { sessions: 31, meanTotal: 31.1 },
  difference: -2.1,
  ci95: [-3.8, -0.4],
  ...over,
});

describe('the comparison sentence', () => {
  it('states a lower rating with its interval, as the issue words it', () => {
    expect(comparisonSentences(comparison({}), 'en', en)).toEqual([
      'In your sessions where you talked more than 60% of the time, clients rated the session 2.1 points lower on average (14 vs 31 sessions).',
      '95% interval: 0.4 to 3.8 points lower.',
    ]);
  });

  it('says higher, and says when the interval spans zero that it may be chance', () => {
    const [main, interval] = comparisonSentences(comparison({ difference: 1.2, ci95: [-0.5, 2.9] }), 'en', en);
    expect(main).toContain('1.2 points higher on average');
    expect(interval).toBe('The 95% interval runs from 0.5 points lower to 2.9 points higher, so this may be chance.');
    expect(comparisonSentences(comparison({ difference: 1.2, ci95: [0.3, 2.1] }), 'en', en)[1]).toBe(
      '95% interval: 0.3 to 2.1 points higher.',
    );
    expect(comparisonSentences(comparison({ difference: 0.04, ci95: [-1, 1.1] }), 'en', en)[0]).toContain(
      'about the same on average',
    );
  });

  it('makes no claim without enough sessions: says how many there are and how many are needed', () => {
    const s = comparisonSentences(
      comparison({ above: { sessions: 6, meanTotal: 28 }, difference: null, ci95: null }),
      'en',
      en,
    );
    expect(s).toEqual([
      'Not enough sessions yet to compare: 6 where you talked more than 60% of the time and 31 where you did not. At least 10 of each are needed.',
    ]);
    expect(s.join(' ')).not.toMatch(/lower|higher/);
  });

  it('formats numbers for the locale (a decimal comma in French and German)', () => {
    expect(comparisonSentences(comparison({}), 'de', en)[0]).toContain('2,1');
  });
});

describe('clients', () => {
  it('keeps the host page’s list to valid, unique refs, with a name (the ref when none)', () => {
    expect(
      cleanClients([
        { ref: 'a', name: ' Ana ' },
        { ref: 'a', name: 'dup' },
        { ref: 'has space', name: 'x' },
        { ref: 'b' },
        null,
        'c',
        { ref: 'c', name: 'x'.repeat(300) },
      ]),
    ).toEqual([
      { ref: 'a', name: 'Ana' },
      { ref: 'b', name: 'b' },
      { ref: 'c', name: 'x'.repeat(120) },
    ]);
    expect(cleanClients('nope')).toEqual([]);
    expect(cleanClients(Array.from({ length: 250 }, (_, i) => ({ ref: `r${i}` })))).toHaveLength(200);
  });

  it('lists not on track first, then on track, too few and none, each by name', () => {
    const data = (ref: string, status: CaseloadClient['status']): CaseloadClient => ({
      ref,
      status,
      reasons: [],
      rated: 3,
      lastAt: null,
      totals: [],
      instrument: null,
    });
    const joined = joinClients(
      [
        { ref: '1', name: 'Zoe' },
        { ref: '2', name: 'Ana' },
        { ref: '3', name: 'Bo' },
        { ref: '4', name: 'Cy' },
      ],
      [data('1', 'not_on_track'), data('2', 'on_track'), data('3', 'not_on_track')],
      'en',
    );
    expect(joined.map((c) => c.name)).toEqual(['Bo', 'Zoe', 'Ana', 'Cy']);
    expect(joined[3]!.data).toBeNull();
  });

  it('says why in a sentence', () => {
    expect(reasonText({ rule: 'below_baseline', threshold: 4, baseline: 34, sessions: 3, latest: 28 }, 'en', en)).toBe(
      'Latest 28.0, 6.0 below their mean of 34.0 over 3 sessions.',
    );
    expect(reasonText({ rule: 'two_falls', threshold: 4, totals: [36, 34, 32] }, 'en', en)).toBe(
      'Fell twice in a row: 36.0, 34.0, 32.0.',
    );
  });
});
