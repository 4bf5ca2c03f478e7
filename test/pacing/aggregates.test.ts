import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PacingAggregates } from '../../schemas/pacing.ts';
import { aggregatesOf, createPacingSession } from '../../pacing/index.ts';
import { runSpeaking } from './helpers.ts';

describe('aggregatesOf: one mapping from a snapshot to the posted aggregates', () => {
  it('is what the session posts at the end', () => {
    const s = runSpeaking(90, [[0, 30]], [[31, 80]]);
    const a = s.aggregates();
    expect(aggregatesOf(s.snapshot())).toEqual(a);
  });

  it('gives valid aggregates mid-call: seconds with two decimals, whole counts, within the schema', () => {
    const s = createPacingSession({ sources: { therapist: 'speaking', client: 'speaking' } });
    for (let t = 20; t <= 10_000; t += 20) s.pushSpeaking(t, t < 4000, t > 6000);
    const a = aggregatesOf({ ...s.snapshot(), therapistTalkMs: 1234.5678, overlapCount: 2.6, silenceCount: -1 });
    expect(v.parse(PacingAggregates, a)).toEqual(a);
    expect(a).toMatchObject({ therapistTalkSeconds: 1.23, overlapCount: 3, silenceCount: 0 });
  });
});
