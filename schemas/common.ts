import * as v from 'valibot';

/** An opaque reference given by the platform (session, participant, therapist, client). Never stored raw. */
export const Ref = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(128),
  v.regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
);

/** Seconds since the Unix epoch. */
export const EpochSeconds = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(32503680000));

/** A non-negative duration in seconds (six hours at most: no call is longer). */
export const Seconds = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(6 * 3600));

export const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000));

/** The JSON body of every 4xx/5xx answer. It never echoes what the caller sent. */
export const ApiError = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
  }),
});
