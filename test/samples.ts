// Request bodies shared by the worker and browser tests and the benches (plain data: no Worker or browser imports).
import type { Instrument } from '../schemas/instrument.ts';

/** A valid rating of the default instrument, as the client widget posts it. */
export const GOOD_RATING = {
  kind: 'rating',
  instrument: 'attune-session-4',
  version: 1,
  items: [
    { id: 'bond', value: 9.5 },
    { id: 'goals', value: 8.2 },
    { id: 'approach', value: 9.1 },
    { id: 'overall', value: 9.4 },
  ],
};

/** Pacing aggregates with every figure zero: spread it and set the figures a test is about. */
export const ZERO_PACING = {
  durationSeconds: 0,
  therapistTalkSeconds: 0,
  clientTalkSeconds: 0,
  overlapSeconds: 0,
  overlapCount: 0,
  silenceSeconds: 0,
  silenceCount: 0,
  longestSilenceSeconds: 0,
  longestTherapistTurnSeconds: 0,
  therapistTurns: 0,
  clientTurns: 0,
  cuesShown: 0,
};

/**
 * A platform's own integer instrument (1..7 by 1, version 2) with three items a, b, c written in one language, and no
 * flag rule on unless `flags` sets one.
 */
export function likertInstrument(
  lang: string,
  text: (id: string) => { label: string; low: string; high: string },
  flags: Partial<Instrument['flags']> = {},
): Instrument {
  return {
    id: 'likert-3',
    version: 2,
    min: 1,
    max: 7,
    step: 1,
    items: ['a', 'b', 'c'].map((id) => ({ id, text: { [lang]: text(id) } })),
    flags: {
      totalBelow: null,
      itemBelow: null,
      dropFromPrevious: null,
      dropFromMean: null,
      meanWindow: 10,
      meanMinSessions: 3,
      ...flags,
    },
  };
}
