import {
  DEFAULT_DROP_POINTS,
  DEFAULT_INSTRUMENT,
  type Instrument,
  instrumentRange,
  type TrackReason,
  type TrackRules,
  type TrackStatus,
} from '../../schemas/index.ts';

/** A drop of exactly the threshold counts although 0.1 steps are not exact in binary (as in flagsFor). */
const EPSILON = 1e-9;

export type { TrackRules };

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The default drop on this instrument's scale: DEFAULT_DROP_POINTS is that share of the default instrument's range
 * (4 of 40), so 1.8 on a 3..21 scale. Points meant for one scale say nothing on another.
 */
export function standInDrop(instrument: Pick<Instrument, 'min' | 'max' | 'items'>): number {
  return round2((instrumentRange(instrument) * DEFAULT_DROP_POINTS) / instrumentRange(DEFAULT_INSTRUMENT));
}

/**
 * The caseload's rules from an instrument's flag rules (the platform's `flags` already applied, see
 * withPlatformFlags), so "not on track" means what a flag means for that instrument. A platform that switched a drop
 * flag off still gets a caseload: the other drop rule, else the default drop on the instrument's scale, stands in
 * (the view is about the trajectory, not about flagging one session).
 */
export function trackRulesFor(instrument: Pick<Instrument, 'flags' | 'min' | 'max' | 'items'>): TrackRules {
  const { flags } = instrument;
  const standIn = flags.dropFromMean ?? flags.dropFromPrevious ?? standInDrop(instrument);
  return {
    baselineDrop: flags.dropFromMean ?? standIn,
    window: flags.meanWindow,
    minSessions: flags.meanMinSessions,
    fallsDrop: flags.dropFromPrevious ?? standIn,
  };
}

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
