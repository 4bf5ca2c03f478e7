import * as v from 'valibot';
import { Ref } from './common.ts';

/** Most clients one caseload request may ask about (a full-time caseload is 20 to 40). */
export const MAX_CASELOAD_CLIENTS = 200;
/** No claim about pacing and ratings is made below this many sessions on either side of the comparison. */
export const MIN_COMPARISON_SESSIONS = 10;
export const DEFAULT_CASELOAD_DAYS = 365;

/**
 * POST /v1/caseload body: the platform's own refs of the therapist's clients, as the host page holds them (in the
 * body, never in a URL). Names never leave the browser (an unknown key such as `names` is refused); the Worker hashes
 * the refs and answers for those it knows. An empty list still gets the therapist's own pacing.
 */
export const CaseloadRequest = v.strictObject({
  clients: v.pipe(v.array(Ref), v.maxLength(MAX_CASELOAD_CLIENTS)),
  /** Days of the therapist's own sessions the pacing comparison covers (default 365). */
  days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(28), v.maxValue(1830))),
  /**
   * The instrument (id) whose ratings the pacing part compares; one the platform registered, else 422
   * `unknown_instrument`. Default: the instrument with the most sessions in the window. Totals of different
   * instruments are on different scales and are never averaged together.
   */
  instrument: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
});
export type CaseloadRequest = v.InferOutput<typeof CaseloadRequest>;

const Score = v.pipe(v.number(), v.finite());

/** Why a client is not on track: the rule and the numbers it compared (points of the instrument's total). */
export const TrackReason = v.variant('rule', [
  /** The latest total is `threshold` or more points below the mean of the client's `sessions` earlier sessions. */
  v.object({
    rule: v.literal('below_baseline'),
    threshold: Score,
    baseline: Score,
    sessions: v.number(),
    latest: Score,
  }),
  /** Each of the last two totals fell, by `threshold` or more points together: `totals` oldest first. */
  v.object({ rule: v.literal('two_falls'), threshold: Score, totals: v.array(Score) }),
]);
export type TrackReason = v.InferOutput<typeof TrackReason>;

/** The rules "not on track" applies on one instrument version (from its flag rules), in points of its totals. */
export const TrackRules = v.object({
  /** Points below the running baseline that count (the instrument's dropFromMean). */
  baselineDrop: Score,
  /** Earlier sessions the baseline covers at most, and needs at least. */
  window: v.number(),
  minSessions: v.number(),
  /** Points two consecutive falls must add up to (the instrument's dropFromPrevious). */
  fallsDrop: Score,
});
export type TrackRules = v.InferOutput<typeof TrackRules>;

export const TrackStatus = v.picklist(['not_on_track', 'on_track', 'too_few', 'no_data']);
export type TrackStatus = v.InferOutput<typeof TrackStatus>;

/** One client the caller asked about, by the caller's own ref. An unknown ref is simply `no_data`. */
export const CaseloadClient = v.object({
  ref: Ref,
  status: TrackStatus,
  reasons: v.array(TrackReason),
  /** Rated sessions with this therapist, all time. */
  rated: v.number(),
  /** Epoch seconds of the newest rated session, or null. */
  lastAt: v.nullable(v.number()),
  /**
   * The most recent totals on `instrument`, oldest first (at most 12). "Not on track" compares these too: only
   * ratings on one instrument version (a new version may have another scale).
   */
  totals: v.array(Score),
  /**
   * The instrument (id and version) of the client's most recent rated session with this therapist, which every total
   * above is on, its highest total (null when the platform no longer keeps that version) and the rules the client was
   * judged with: that version's (a version no longer kept: the response's `rules`); null without ratings. It may
   * differ from the response's `instrument` (a client not rated since the platform moved to a new version).
   */
  instrument: v.nullable(
    v.object({ id: v.string(), version: v.number(), maxTotal: v.nullable(Score), rules: TrackRules }),
  ),
});
export type CaseloadClient = v.InferOutput<typeof CaseloadClient>;

/** The therapist's own pacing over a week of sessions that have both a rating and pacing. */
export const PaceWeek = v.object({
  /** Epoch seconds of the week's first day (UTC midnight). */
  start: v.number(),
  sessions: v.number(),
  meanTotal: Score,
  /** The therapist's mean share of talk, 0..1. */
  meanShare: Score,
  meanLongestTurnSeconds: Score,
  meanOverlaps: Score,
});
export type PaceWeek = v.InferOutput<typeof PaceWeek>;

const Side = v.object({ sessions: v.number(), meanTotal: v.nullable(Score) });

/**
 * Clients' ratings in sessions where the therapist talked more than `thresholdShare` of the time, against the rest.
 * `difference` is above minus atOrBelow (negative: rated lower); `ci95` is Welch's 95 % interval of it. Both are
 * null unless each side has at least `minSessions` sessions.
 */
export const PaceComparison = v.object({
  thresholdShare: Score,
  minSessions: v.number(),
  above: Side,
  atOrBelow: Side,
  difference: v.nullable(Score),
  ci95: v.nullable(v.tuple([Score, Score])),
});
export type PaceComparison = v.InferOutput<typeof PaceComparison>;

export const CaseloadResponse = v.object({
  days: v.number(),
  /** The instrument whose totals these are, and its highest total. */
  instrument: v.object({ id: v.string(), version: v.number(), maxTotal: Score }),
  /** The rules of `instrument`, so the view can say them; each client is judged with its own version's. */
  rules: TrackRules,
  clients: v.array(CaseloadClient),
  /** Only sessions rated on `pacing.instrument`: every total below is on that instrument's scale. */
  pacing: v.object({
    /**
     * The instrument (id and version) these sessions were rated on, and its highest total (null when the platform
     * no longer keeps that version). See the request's `instrument` for how it is chosen.
     */
    instrument: v.object({ id: v.string(), version: v.number(), maxTotal: v.nullable(Score) }),
    sessions: v.number(),
    meanTotal: v.nullable(Score),
    meanShare: v.nullable(Score),
    meanLongestTurnSeconds: v.nullable(Score),
    meanOverlaps: v.nullable(Score),
    /** Oldest first; weeks without such sessions are left out. */
    weeks: v.array(PaceWeek),
    comparison: PaceComparison,
  }),
});
export type CaseloadResponse = v.InferOutput<typeof CaseloadResponse>;
