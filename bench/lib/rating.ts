/** A valid rating of the default instrument, as the client widget posts it. */
export const SAMPLE_RATING = {
  kind: 'rating',
  instrument: 'attune-session-4',
  version: 1,
  items: [
    { id: 'bond', value: 9.5 },
    { id: 'goals', value: 8.2 },
    { id: 'approach', value: 9.1 },
    { id: 'overall', value: 9.4 },
  ],
} as const;
