import * as v from 'valibot';

/**
 * An item value: any finite number within a sanity bound. The session's instrument sets the real range and
 * step (min, max, step: e.g. 0..10 by 0.1, 1..7 by 1, 0..100 by 1); the Worker checks the value against it.
 */
export const Score = v.pipe(v.number(), v.finite(), v.minValue(-1e6), v.maxValue(1e6));

/** What the client's widget posts to `POST /v1/session/rating`. */
export const RatingSubmission = v.variant('kind', [
  v.object({
    kind: v.literal('rating'),
    instrument: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    version: v.pipe(v.number(), v.integer(), v.minValue(1)),
    items: v.pipe(
      v.array(v.object({ id: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,31}$/)), value: Score })),
      v.minLength(1),
      v.maxLength(12),
    ),
  }),
  /** The client chose not to rate this session; it counts toward the completion rate. */
  v.object({ kind: v.literal('declined') }),
]);
export type RatingSubmission = v.InferOutput<typeof RatingSubmission>;

/** Header carrying the widget's idempotency key (a UUID made once per submission). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IdempotencyKey = v.pipe(v.string(), v.minLength(16), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));
