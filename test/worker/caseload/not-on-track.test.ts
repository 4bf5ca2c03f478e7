import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import { standInDrop, totalsFromRecent, trackOf, trackRulesFor } from '../../../worker/caseload/not-on-track.ts';
import { likertInstrument } from '../../samples.ts';

const rules = trackRulesFor(DEFAULT_INSTRUMENT); // drop 4 from the mean of up to 10 earlier (3 at least); falls 4

describe('not on track', () => {
  it('takes its thresholds from the instrument’s flag rules', () => {
    expect(rules).toEqual({ baselineDrop: 4, window: 10, minSessions: 3, fallsDrop: 4 });
    const flags = DEFAULT_INSTRUMENT.flags;
    expect(
      trackRulesFor({ ...DEFAULT_INSTRUMENT, flags: { ...flags, dropFromMean: null, dropFromPrevious: 6 } }),
    ).toMatchObject({ baselineDrop: 6, fallsDrop: 6 });
  });

  it('with both drop flags off, stands in the default drop on the instrument’s own scale (a tenth of its range)', () => {
    const off = { ...DEFAULT_INSTRUMENT.flags, dropFromMean: null, dropFromPrevious: null };
    expect(trackRulesFor({ ...DEFAULT_INSTRUMENT, flags: off })).toMatchObject({ baselineDrop: 4, fallsDrop: 4 });
    // likert-3: three items 1..7, totals 3..21.
    const likert = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
    expect(trackRulesFor(likert)).toMatchObject({ baselineDrop: 1.8, fallsDrop: 1.8 });
    expect(standInDrop({ min: 0, max: 10, items: likert.items })).toBe(3);
  });

  it('flags a latest total at least the drop below the running baseline, once the baseline has 3 sessions', () => {
    expect(trackOf([32, 33, 34, 29], rules)).toEqual({
      status: 'not_on_track',
      reasons: [{ rule: 'below_baseline', threshold: 4, baseline: 33, sessions: 3, latest: 29 }],
    });
    // 3.9 below is not enough; exactly 4.0 is (0.1 steps are not exact in binary).
    expect(trackOf([32, 33, 34, 29.1], rules).status).toBe('on_track');
    expect(trackOf([30.1, 30.2, 30.3, 26.2], rules).status).toBe('not_on_track');
    // Two earlier sessions are not a baseline yet, and a single drop is not two falls.
    expect(trackOf([34, 33, 20], rules)).toEqual({
      status: 'not_on_track',
      reasons: [expect.objectContaining({ rule: 'two_falls' })],
    });
    expect(trackOf([30, 34, 20], rules).status).toBe('on_track');
  });

  it('the baseline is the mean of at most `window` sessions before the latest', () => {
    // Ten old 20s, then ten 36s, then 33: against the last ten (36) it dropped 3, against all it rose.
    const totals = [...Array(10).fill(20), ...Array(10).fill(36), 31.9];
    expect(trackOf(totals, rules).reasons).toEqual([
      { rule: 'below_baseline', threshold: 4, baseline: 36, sessions: 10, latest: 31.9 },
    ]);
    expect(trackOf([...Array(10).fill(20), ...Array(10).fill(36), 33], rules).status).toBe('on_track');
  });

  it('flags two consecutive falls that add up to the drop', () => {
    expect(trackOf([36, 34, 32], rules)).toEqual({
      status: 'not_on_track',
      reasons: [{ rule: 'two_falls', threshold: 4, totals: [36, 34, 32] }],
    });
    expect(trackOf([36, 34, 32.5], rules).status).toBe('on_track'); // fell 3.5 in all
    expect(trackOf([36, 32, 32], rules).status).toBe('on_track'); // the second was no fall
    expect(trackOf([36, 37, 30], rules).status).toBe('on_track');
  });

  it('can give both reasons, and says when there is too little or nothing to go on', () => {
    expect(trackOf([35, 35, 35, 33, 30], rules).reasons.map((r) => r.rule)).toEqual(['below_baseline', 'two_falls']);
    expect(trackOf([], rules)).toEqual({ status: 'no_data', reasons: [] });
    expect(trackOf([30], rules)).toEqual({ status: 'too_few', reasons: [] });
    expect(trackOf([30, 31], rules)).toEqual({ status: 'too_few', reasons: [] });
  });

  it('orders the stored recent totals by session, whatever order SQLite aggregated them in', () => {
    expect(totalsFromRecent('[[300,3,25],[100,1,30],[200,2,28],[200,1,29]]')).toEqual([30, 29, 28, 25]);
  });
});
