import * as v from 'valibot';
import { Count, Seconds } from './common.ts';

/** Session-level pacing aggregates the therapist's widget posts at session end. No audio, no transcript. */
export const PacingAggregates = v.object({
  durationSeconds: Seconds,
  therapistTalkSeconds: Seconds,
  clientTalkSeconds: Seconds,
  overlapSeconds: Seconds,
  overlapCount: Count,
  silenceSeconds: Seconds,
  silenceCount: Count,
  longestSilenceSeconds: Seconds,
  longestTherapistTurnSeconds: Seconds,
  therapistTurns: Count,
  clientTurns: Count,
  cuesShown: Count,
});
export type PacingAggregates = v.InferOutput<typeof PacingAggregates>;

export const CueKind = v.picklist(['balance', 'monologue', 'overlap', 'time']);
export type CueKind = v.InferOutput<typeof CueKind>;

/** Cue thresholds; every platform may override any of them. */
export const CueSettings = v.object({
  balanceShareAbove: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  balanceWindowSeconds: Seconds,
  monologueSeconds: Seconds,
  overlapCount: Count,
  overlapWindowSeconds: Seconds,
  timeLeftMinutes: v.array(v.pipe(v.number(), v.minValue(0))),
  ratingReserveMinutes: v.pipe(v.number(), v.minValue(0)),
  quietStartSeconds: Seconds,
  minGapSeconds: Seconds,
  autoHideSeconds: Seconds,
});
export type CueSettings = v.InferOutput<typeof CueSettings>;

export const DEFAULT_CUE_SETTINGS: CueSettings = {
  balanceShareAbove: 0.6,
  balanceWindowSeconds: 300,
  monologueSeconds: 90,
  overlapCount: 3,
  overlapWindowSeconds: 120,
  timeLeftMinutes: [10, 5],
  ratingReserveMinutes: 3,
  quietStartSeconds: 300,
  minGapSeconds: 180,
  autoHideSeconds: 12,
};
