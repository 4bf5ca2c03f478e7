import * as v from 'valibot';
import { Instrument } from './instrument.ts';
import { CueSettings, PacingAggregates } from './pacing.ts';

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

/** 201 answer of `POST /v1/sessions/:sid/rating` (and the identical answer to an idempotent retry). */
export const RatingReceipt = v.object({
  status: v.picklist(['rated', 'declined']),
  /** Epoch seconds when the Worker stored it. */
  receivedAt: v.number(),
});
export type RatingReceipt = v.InferOutput<typeof RatingReceipt>;

/** 201 answer of `POST /v1/sessions/:sid/pacing`. */
export const PacingReceipt = v.object({
  status: v.literal('recorded'),
  receivedAt: v.number(),
});
export type PacingReceipt = v.InferOutput<typeof PacingReceipt>;

/** `GET /v1/context`: what the widget needs at mount, for either role. */
export const SessionContext = v.object({
  role: v.picklist(['client', 'therapist']),
  instrument: Instrument,
  locale: v.string(),
  schedule: v.nullable(v.object({ start: v.number(), end: v.number() })),
  cues: CueSettings,
});
export type SessionContext = v.InferOutput<typeof SessionContext>;
