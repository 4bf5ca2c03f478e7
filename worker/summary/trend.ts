import type { Trend, TrendPoint } from '../../schemas/index.ts';
import { SHARE_UNITS, TOTAL_UNITS } from '../db/rollup-units.ts';
import type { RollingRow, SeriesRow } from '../db/trend-queries.ts';

export const DAY_SECONDS = 86_400;

export function dayOf(epochSeconds: number): number {
  return Math.floor(epochSeconds / DAY_SECONDS);
}

/** Therapist share of talk (0..1, four decimals), or null without talk. */
export function talkShare(therapist: number | null, client: number | null): number | null {
  if (therapist === null || client === null || therapist + client <= 0) return null;
  return Math.round((therapist / (therapist + client)) * 10_000) / 10_000;
}

/** Builds the Trend from the series rows (newest first, as queried) and the rollup sums. */
export function trendFrom(series: SeriesRow[], rolling: RollingRow, days: number): Trend {
  const client: TrendPoint[] = series
    .slice()
    .reverse()
    .map((r) => ({
      at: r.ratedAt ?? r.createdAt,
      total: r.total,
      items: r.total === null ? [] : (JSON.parse(r.items ?? '[]') as TrendPoint['items']),
      therapistShare: talkShare(r.therapistTalk, r.clientTalk),
    }));
  return {
    client,
    therapist: {
      days,
      sessions: rolling.rated,
      // The mean total with two decimals, the mean share with four.
      meanTotal: rolling.rated > 0 ? Math.round(rolling.totalSum / rolling.rated) / TOTAL_UNITS : null,
      meanTherapistShare:
        rolling.shareN > 0 ? Math.round(rolling.shareSum / rolling.shareN / (SHARE_UNITS / 10_000)) / 10_000 : null,
    },
  };
}
