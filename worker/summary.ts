import type { Flag, Instrument, PacingAggregates, SessionSummary } from '../schemas/index.ts';
import type { SummaryRow } from './db/queries.ts';

export interface ItemValue {
  id: string;
  value: number;
}

/** Sum rounded to the instrument's one-decimal resolution (0.1 + 0.2 must be 0.3). */
export function totalOf(items: ItemValue[]): number {
  return Math.round(items.reduce((sum, i) => sum + i.value, 0) * 100) / 100;
}

/**
 * Flags per the instrument's rules (already merged with the platform's): total below the threshold,
 * any item below the threshold, and a drop from the same client's previous total when known.
 */
export function flagsFor(instrument: Instrument, items: ItemValue[], total: number, previous: number | null): Flag[] {
  const flags: Flag[] = [];
  if (total < instrument.flags.totalBelow) flags.push('total_low');
  if (items.some((i) => i.value < instrument.flags.itemBelow)) flags.push('item_low');
  if (instrument.flags.dropFromPrevious && previous !== null && total < previous) flags.push('dropped');
  return flags;
}

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

export function summaryFromRow(row: SummaryRow | null): SessionSummary {
  if (!row) return { ...PENDING_SUMMARY, asked: false };
  const pacing: PacingAggregates | null =
    row.durationSeconds === null
      ? null
      : {
          durationSeconds: row.durationSeconds,
          therapistTalkSeconds: row.therapistTalkSeconds,
          clientTalkSeconds: row.clientTalkSeconds,
          overlapSeconds: row.overlapSeconds,
          overlapCount: row.overlapCount,
          silenceSeconds: row.silenceSeconds,
          silenceCount: row.silenceCount,
          longestSilenceSeconds: row.longestSilenceSeconds,
          longestTherapistTurnSeconds: row.longestTherapistTurnSeconds,
          therapistTurns: row.therapistTurns,
          clientTurns: row.clientTurns,
          cuesShown: row.cuesShown,
        };
  const asked = row.askedAt !== null;
  if (row.status === null || row.instrumentId === null || row.instrumentVersion === null) return { ...PENDING_SUMMARY, pacing, asked };
  return {
    status: row.status,
    instrument: { id: row.instrumentId, version: row.instrumentVersion },
    items: JSON.parse(row.items ?? '[]') as ItemValue[],
    total: row.total,
    maxTotal: row.maxTotal,
    flags: JSON.parse(row.flags ?? '[]') as Flag[],
    ratedAt: row.ratedAt,
    pacing,
    asked,
  };
}

