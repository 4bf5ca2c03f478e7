import type { PacingAggregates } from '../../schemas/pacing.ts';
import type { PacingSnapshot } from '../../pacing/index.ts';

/** Seconds with two decimals, within the schema's 0..6 h (as the engine rounds its final aggregates). */
const sec = (ms: number) => Math.min(6 * 3600, Math.max(0, Math.round(ms / 10) / 100));
const cnt = (n: number) => Math.min(100_000, Math.max(0, Math.round(n)));

/**
 * The aggregates so far, from the latest live snapshot: what is kept when the tab may close mid-call (the
 * engine's own aggregates() would end the session). Speech still inside the engine's lag is not counted yet.
 */
export function aggregatesOf(s: PacingSnapshot): PacingAggregates {
  return {
    durationSeconds: sec(s.elapsedMs),
    therapistTalkSeconds: sec(s.therapistTalkMs),
    clientTalkSeconds: sec(s.clientTalkMs),
    overlapSeconds: sec(s.overlapMs),
    overlapCount: cnt(s.overlapCount),
    silenceSeconds: sec(s.silenceMs),
    silenceCount: cnt(s.silenceCount),
    longestSilenceSeconds: sec(s.longestSilenceMs),
    longestTherapistTurnSeconds: sec(s.longestTherapistTurnMs),
    therapistTurns: cnt(s.therapistTurns),
    clientTurns: cnt(s.clientTurns),
    cuesShown: cnt(s.cuesShown),
  };
}
