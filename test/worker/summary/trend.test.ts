import { describe, expect, it } from 'vitest';
import { dayOf, talkShare, trendFrom } from '../../../worker/summary/trend.ts';

describe('trend', () => {
  it('trendFrom orders the series oldest first and turns rollup sums (hundredths, millionths) into means', () => {
    const series = [
      { createdAt: 300, ratedAt: null, total: null, items: null, therapistTalk: 10, clientTalk: 30 },
      {
        createdAt: 200,
        ratedAt: 260,
        total: 30.5,
        items: '[{"id":"bond","value":7.6}]',
        therapistTalk: null,
        clientTalk: null,
      },
    ];
    expect(trendFrom(series, { rated: 4, totalSum: 12_345, shareSum: 1_600_000, shareN: 4 }, 90)).toEqual({
      client: [
        { at: 260, total: 30.5, items: [{ id: 'bond', value: 7.6 }], therapistShare: null },
        { at: 300, total: null, items: [], therapistShare: 0.25 },
      ],
      therapist: { days: 90, sessions: 4, meanTotal: 30.86, meanTherapistShare: 0.4 },
    });
    expect(trendFrom([], { rated: 0, totalSum: 0, shareSum: 0, shareN: 0 }, 7).therapist).toEqual({
      days: 7,
      sessions: 0,
      meanTotal: null,
      meanTherapistShare: null,
    });
    expect(talkShare(0, 0)).toBeNull();
    expect(dayOf(86_399)).toBe(0);
    expect(dayOf(86_400)).toBe(1);
  });
});
