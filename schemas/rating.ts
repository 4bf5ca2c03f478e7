import * as v from 'valibot';

/** A score on the default 0..10 scale with at most one decimal. */
export const Score = v.pipe(
  v.number(),
  v.finite(),
  v.minValue(0),
  v.maxValue(10),
  v.check((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, 'at most one decimal'),
);

/** What the client's widget posts to `POST /v1/sessions/:sid/rating`. */
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
