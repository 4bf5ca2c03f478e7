import * as v from 'valibot';
import { Instrument } from './instrument.ts';
import { CueSettings, PacingAggregates } from './pacing.ts';

const Score = v.pipe(v.number(), v.finite());

/**
 * Why a rating was flagged: the rule that raised it (`rule`, with its `threshold` as configured when the rating
 * was stored) and the numbers it compared. A flag invites a conversation; it is not an alarm.
 */
export const Flag = v.variant('rule', [
  /** The total is below the threshold. */
  v.object({ rule: v.literal('total_below'), threshold: Score, total: Score }),
  /** These items are below the threshold. */
  v.object({
    rule: v.literal('item_below'),
    threshold: Score,
    items: v.array(v.object({ id: v.string(), value: Score })),
  }),
  /** The total is `threshold` or more points below the client's previous session's `previous`. */
  v.object({ rule: v.literal('drop_from_previous'), threshold: Score, previous: Score, total: Score }),
  /** The total is `threshold` or more points below the client's running `mean` over their last `sessions` sessions. */
  v.object({ rule: v.literal('drop_from_mean'), threshold: Score, mean: Score, sessions: v.number(), total: Score }),
]);
export type Flag = v.InferOutput<typeof Flag>;
export type FlagRule = Flag['rule'];

/** One earlier or current session of the same client, oldest first. */
export const TrendPoint = v.object({
  /** Epoch seconds of the rating (or of the session when not rated). */
  at: v.number(),
  total: v.nullable(v.number()),
  items: v.array(v.object({ id: v.string(), value: v.number() })),
  /** Therapist share of talk (0..1) from that session's pacing, when recorded. */
  therapistShare: v.nullable(v.number()),
});
export type TrendPoint = v.InferOutput<typeof TrendPoint>;

/**
 * The trend beside a summary: the client's series and the therapist's rolling mean over recent sessions, both on the
 * summarised session's instrument (id and version; the token's before the session is recorded). `sessions` and
 * `meanTotal` count that instrument's ratings only; `meanTherapistShare` is over every session with pacing.
 */
export const Trend = v.object({
  client: v.array(TrendPoint),
  therapist: v.object({
    /** Days the rolling window covers. */
    days: v.number(),
    sessions: v.number(),
    meanTotal: v.nullable(v.number()),
    meanTherapistShare: v.nullable(v.number()),
  }),
});
export type Trend = v.InferOutput<typeof Trend>;

/** What the therapist's widget shows after the session (`GET /v1/session/summary`, and the live push). */
export const SessionSummary = v.object({
  status: v.picklist(['pending', 'rated', 'declined']),
  instrument: v.nullable(v.object({ id: v.string(), version: v.number() })),
  items: v.array(v.object({ id: v.string(), value: v.number() })),
  total: v.nullable(v.number()),
  maxTotal: v.nullable(v.number()),
  flags: v.array(Flag),
  ratedAt: v.nullable(v.number()),
  pacing: v.nullable(PacingAggregates),
  /** The client's series and the therapist's rolling mean; absent from Workers older than trends. */
  trend: v.optional(Trend),
  /** Whether the client was asked to rate this session (their page asked); absent from older Workers. */
  asked: v.optional(v.boolean()),
  /**
   * True when the platform's feedback-fatigue setting skips this session: the client will not be asked. False or
   * absent while the client may still be asked (their page has not opened the rating yet).
   */
  skipped: v.optional(v.boolean()),
});
export type SessionSummary = v.InferOutput<typeof SessionSummary>;

/** The summary of a session with nothing recorded yet (no rating, no pacing). */
export const PENDING_SUMMARY: SessionSummary = {
  status: 'pending',
  instrument: null,
  items: [],
  total: null,
  maxTotal: null,
  flags: [],
  ratedAt: null,
  pacing: null,
};

/** 201 answer of `POST /v1/session/rating` (and the identical answer to an idempotent retry). */
export const RatingReceipt = v.object({
  status: v.picklist(['rated', 'declined']),
  /** Epoch seconds when the Worker stored it. */
  receivedAt: v.number(),
  /** True when the summary was pushed to the therapist's open widget at the time of storing. */
  delivered: v.optional(v.boolean()),
});
export type RatingReceipt = v.InferOutput<typeof RatingReceipt>;

/** 201 answer of `POST /v1/session/pacing`. */
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
  /** Client role: whether to ask for a rating in this session (the platform's feedback-fatigue setting). */
  ask: v.optional(v.boolean()),
});
export type SessionContext = v.InferOutput<typeof SessionContext>;
