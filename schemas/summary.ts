import * as v from 'valibot';
import { PacingAggregates } from './pacing.ts';

export const Flag = v.picklist(['total_low', 'item_low', 'dropped']);
export type Flag = v.InferOutput<typeof Flag>;

/** What the therapist's widget shows after the session (`GET /v1/sessions/:sid/summary`, and the live push). */
export const SessionSummary = v.object({
  status: v.picklist(['pending', 'rated', 'declined']),
  instrument: v.nullable(v.object({ id: v.string(), version: v.number() })),
  items: v.array(v.object({ id: v.string(), value: v.number() })),
  total: v.nullable(v.number()),
  maxTotal: v.nullable(v.number()),
  flags: v.array(Flag),
  ratedAt: v.nullable(v.number()),
  pacing: v.nullable(PacingAggregates),
});
export type SessionSummary = v.InferOutput<typeof SessionSummary>;
