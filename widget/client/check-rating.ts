import type { RatingSubmission } from '../../schemas/rating.ts';

/**
 * The shape `RatingSubmission` (schemas/rating.ts) accepts, checked by hand: valibot's validation of it would
 * cost the client about 2 KB gzip of its 10 KB budget. The Worker validates with the schema itself (and the
 * instrument's range and step); test/widget/client/check-rating.test.ts keeps the two in agreement.
 */
export function isRatingSubmission(b: RatingSubmission): boolean {
  if (b.kind === 'declined') return true;
  const { instrument: i, version: n, items } = b;
  return (
    b.kind === 'rating' &&
    typeof i === 'string' &&
    i.length > 0 &&
    i.length <= 64 &&
    Number.isInteger(n) &&
    n >= 1 &&
    Array.isArray(items) &&
    items.length > 0 &&
    items.length <= 12 &&
    items.every((x) => typeof x.id === 'string' && /^[a-z][a-z0-9_]{0,31}$/.test(x.id) && Number.isFinite(x.value))
  );
}
