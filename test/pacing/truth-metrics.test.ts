import { describe, expect, it } from 'vitest';
import { truthMetrics } from '../../scripts/lib-analyze.ts';

describe('truthMetrics', () => {
  // The therapist talks 0-10 s and 12-20 s; the client answers for 0.95 s in the pause between.
  const truth = {
    durationSeconds: 25,
    spans: {
      therapist: [
        [0, 10],
        [12, 20],
      ] as [number, number][],
      client: [[10.5, 11.45]] as [number, number][],
    },
  };

  it('judges turns by the default rules: a 0.95 s reply is a backchannel inside the turn', () => {
    expect(truthMetrics(truth).longestTherapistTurnSeconds).toBeCloseTo(20, 1);
  });

  it('judges turns by the rules given (scripts/turn-edges.ts): with a 0.9 s takeover the reply ends the turn', () => {
    expect(truthMetrics(truth, 10, { takeoverMs: 900 }).longestTherapistTurnSeconds).toBeCloseTo(10, 1);
    expect(truthMetrics(truth, 10, { turnPauseMs: 1500 }).longestTherapistTurnSeconds).toBeCloseTo(10, 1);
  });
});
