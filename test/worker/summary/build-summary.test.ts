import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT, SRS_CUTOFFS } from '../../../schemas/index.ts';
import { flagsFor, isSkipped, storedFlags, summaryFromRow, totalOf } from '../../../worker/summary/build-summary.ts';

const items = (...values: number[]) => DEFAULT_INSTRUMENT.items.map((it, i) => ({ id: it.id, value: values[i]! }));

describe('summary', () => {
  it('totals at one decimal; flags name their rule: a low floor and drops from the client’s own sessions', () => {
    expect(totalOf(items(0.1, 0.2, 0, 0))).toBe(0.3);
    const rules = DEFAULT_INSTRUMENT;
    const none = { previous: null, mean: null, sessions: 0 };
    // 35.5 of 40 with no history: nothing (the SRS's 36 / 9 are not the default instrument's cut-offs).
    expect(flagsFor(rules, items(8.5, 9.2, 8.8, 9), 35.5, none)).toEqual([]);
    expect(flagsFor(rules, items(3.9, 6, 5, 4.1), 19, null)).toEqual([
      { rule: 'total_below', threshold: 20, total: 19 },
      { rule: 'item_below', threshold: 4, items: [{ id: 'bond', value: 3.9 }] },
    ]);
    // A small dip is no flag; a drop of the threshold (4.0 in 0.1 steps) is.
    expect(flagsFor(rules, items(9, 9, 9, 8.5), 35.5, { previous: 38, mean: 38, sessions: 1 })).toEqual([]);
    expect(flagsFor(rules, items(8.5, 8.5, 8.5, 8.5), 34, { previous: 38, mean: 38, sessions: 1 })).toEqual([
      { rule: 'drop_from_previous', threshold: 4, previous: 38, total: 34 },
    ]);
    // The running mean needs three earlier sessions.
    expect(flagsFor(rules, items(8, 8, 8, 8), 32, { previous: 33, mean: 36.33, sessions: 2 })).toEqual([]);
    expect(flagsFor(rules, items(8, 8, 8, 8), 32, { previous: 33, mean: 36.333, sessions: 3 })).toEqual([
      { rule: 'drop_from_mean', threshold: 4, mean: 36.33, sessions: 3, total: 32 },
    ]);
    const off = {
      ...rules,
      flags: { ...rules.flags, totalBelow: null, itemBelow: null, dropFromPrevious: null, dropFromMean: null },
    };
    expect(flagsFor(off, items(0, 0, 0, 0), 0, { previous: 40, mean: 40, sessions: 9 })).toEqual([]);
    const srs = { ...rules, flags: { ...rules.flags, ...SRS_CUTOFFS } };
    expect(flagsFor(srs, items(8.5, 9.2, 8.8, 9), 35.5, none).map((f) => f.rule)).toEqual([
      'total_below',
      'item_below',
    ]);
  });

  it('reads flags stored before they named their rules as the rules of the time', () => {
    expect(storedFlags('["total_low","item_low","dropped"]', items(9, 8, 9, 9), 35)).toEqual([
      { rule: 'total_below', threshold: 36, total: 35 },
      { rule: 'item_below', threshold: 9, items: [{ id: 'goals', value: 8 }] },
    ]);
  });

  it('tells a session that feedback fatigue skips from one whose client has not been asked yet', () => {
    const row = (clientSeq: number | null, askedAt: number | null = null) => ({ clientSeq, askedAt });
    expect(isSkipped({ mode: 'every' }, 'AAAA', null)).toBe(false);
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', null)).toBe(false); // not numbered yet: may still be asked
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', row(1))).toBe(false);
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', row(2))).toBe(true);
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', row(2, 5))).toBe(false); // asked after all: the page asked
    expect(isSkipped({ mode: 'share', share: 0 }, 'AAAA', null)).toBe(true);
    expect(isSkipped({ mode: 'share', share: 1 }, 'AAAA', null)).toBe(false);
  });

  it('no row is pending', () => {
    expect(summaryFromRow(null).status).toBe('pending');
  });
});
