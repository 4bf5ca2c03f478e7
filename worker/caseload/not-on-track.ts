import { DEFAULT_DROP_POINTS, type FlagRules, type TrackReason, type TrackStatus } from '../../schemas/index.ts';

/** A drop of exactly the threshold counts although 0.1 steps are not exact in binary (as in flagsFor). */
const EPSILON = 1e-9;

export interface TrackRules {
  /** Points below the running baseline that count (the instrument's dropFromMean). */
  baselineDrop: number;
  /** Earlier sessions the baseline covers at most, and needs at least. */
  window: number;
  minSessions: number;
  /** Points two consecutive falls must add up to (the instrument's dropFromPrevious). */
  fallsDrop: number;
}

/**
 * The caseload's rules from the instrument's flag rules, so "not on track" means what a flag means for that
 * instrument. A platform that switched a drop flag off still gets a caseload: the other drop rule, else the
 * default drop, stands in (the view is about the trajectory, not about flagging one session).
 */
export function trackRulesFor(flags: FlagRules): TrackRules {
  return {
    baselineDrop: flags.dropFromMean ?? flags.dropFromPrevious ?? DEFAULT_DROP_POINTS,
    window: flags.meanWindow,
    minSessions: flags.meanMinSessions,
    fallsDrop: flags.dropFromPrevious ?? flags.dropFromMean ?? DEFAULT_DROP_POINTS,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Whether a client is on track, from their rated totals with this therapist, oldest first:
 * - below_baseline: the latest total is at least `baselineDrop` points below the mean of up to `window` sessions
 *   before it, once there are at least `minSessions` of them;
 * - two_falls: each of the last two totals is below the one before it, and together they fell at least `fallsDrop`.
 * Fewer than three totals and no rule met: too_few (neither rule can speak yet); none: no_data.
 */
export function trackOf(totals: readonly number[], rules: TrackRules): { status: TrackStatus; reasons: TrackReason[] } {
  if (totals.length === 0) return { status: 'no_data', reasons: [] };
  const reasons: TrackReason[] = [];
  const latest = totals[totals.length - 1]!;
  const earlier = totals.slice(Math.max(0, totals.length - 1 - rules.window), -1);
  if (earlier.length >= rules.minSessions) {
    const baseline = earlier.reduce((s, t) => s + t, 0) / earlier.length;
    if (baseline - latest >= rules.baselineDrop - EPSILON)
      reasons.push({
        rule: 'below_baseline',
        threshold: rules.baselineDrop,
        baseline: round2(baseline),
        sessions: earlier.length,
        latest,
      });
  }
  if (totals.length >= 3) {
    const [a, b, c] = totals.slice(-3) as [number, number, number];
    if (b < a && c < b && a - c >= rules.fallsDrop - EPSILON)
      reasons.push({ rule: 'two_falls', threshold: rules.fallsDrop, totals: [a, b, c] });
  }
  if (reasons.length) return { status: 'not_on_track', reasons };
  return { status: totals.length < 3 ? 'too_few' : 'on_track', reasons };
}

/** A caseload_clients.recent cell: [created_at, client_seq, total] triples, in any order. Totals oldest first. */
export function totalsFromRecent(json: string): number[] {
  const rows = JSON.parse(json) as [number, number | null, number][];
  return rows
    .slice()
    .sort((x, y) => x[0] - y[0] || (x[1] ?? 0) - (y[1] ?? 0))
    .map((r) => r[2]);
}
