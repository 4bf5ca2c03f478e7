import {
  PENDING_SUMMARY,
  type Flag,
  type Instrument,
  type PacingAggregates,
  type SessionSummary,
  type AskSetting,
} from '../../schemas/index.ts';
import { shouldAsk } from '../sessions/feedback-fatigue.ts';
import type { ClientHistory, SummaryRow } from '../db/queries.ts';

export interface ItemValue {
  id: string;
  value: number;
}

/** Sum rounded to the instrument's one-decimal resolution (0.1 + 0.2 must be 0.3). */
export function totalOf(items: ItemValue[]): number {
  return Math.round(items.reduce((sum, i) => sum + i.value, 0) * 100) / 100;
}

/**
 * Flags per the instrument's rules (already merged with the platform's), each naming its rule and the numbers it
 * compared: the total or an item below a floor (or a licensed instrument's cut-off), a drop of at least the
 * configured points from the client's previous session, or from their running mean once it rests on enough sessions.
 */
export function flagsFor(
  instrument: Instrument,
  items: ItemValue[],
  total: number,
  history: ClientHistory | null,
): Flag[] {
  const rules = instrument.flags;
  const flags: Flag[] = [];
  const round = (n: number) => Math.round(n * 100) / 100;
  if (rules.totalBelow !== null && total < rules.totalBelow)
    flags.push({ rule: 'total_below', threshold: rules.totalBelow, total });
  const low = rules.itemBelow === null ? [] : items.filter((i) => i.value < rules.itemBelow!);
  if (rules.itemBelow !== null && low.length)
    flags.push({ rule: 'item_below', threshold: rules.itemBelow, items: low });
  // 1e-9: a drop of exactly the threshold counts although 0.1 steps are not exact in binary.
  if (
    rules.dropFromPrevious !== null &&
    history?.previous != null &&
    history.previous - total >= rules.dropFromPrevious - 1e-9
  ) {
    flags.push({ rule: 'drop_from_previous', threshold: rules.dropFromPrevious, previous: history.previous, total });
  }
  if (
    rules.dropFromMean !== null &&
    history?.mean != null &&
    history.sessions >= rules.meanMinSessions &&
    history.mean - total >= rules.dropFromMean - 1e-9
  ) {
    flags.push({
      rule: 'drop_from_mean',
      threshold: rules.dropFromMean,
      mean: round(history.mean),
      sessions: history.sessions,
      total,
    });
  }
  return flags;
}

/** Whether the rating needs the client's earlier sessions (one read before the write). */
export const needsHistory = (instrument: Instrument): boolean =>
  instrument.flags.dropFromPrevious !== null || instrument.flags.dropFromMean !== null;

/**
 * Flags as stored. Ratings stored before flags named their rules hold bare codes; those rules were the old
 * defaults (total below 36, any item below 9, any drop), which is what they are read back as.
 */
export function storedFlags(json: string | null, items: ItemValue[], total: number | null): Flag[] {
  const raw = JSON.parse(json ?? '[]') as unknown[];
  return raw.flatMap((f): Flag[] => {
    if (typeof f === 'object' && f !== null) return [f as Flag];
    if (f === 'total_low' && total !== null) return [{ rule: 'total_below', threshold: 36, total }];
    if (f === 'item_low') return [{ rule: 'item_below', threshold: 9, items: items.filter((i) => i.value < 9) }];
    return []; // 'dropped' without the previous total: nothing honest to show
  });
}

/**
 * Feedback fatigue skips this session: the client will not be asked. Known from the platform's setting (it is
 * deterministic per session); for 'nth' only once the session's number among the client's sessions is known.
 */
export function isSkipped(
  ask: AskSetting | undefined,
  sidHash: string,
  row: Pick<SummaryRow, 'askedAt' | 'clientSeq'> | null,
): boolean {
  if (!ask || row?.askedAt != null) return false;
  if (ask.mode === 'nth' && row?.clientSeq == null) return false;
  return !shouldAsk(ask, sidHash, (row?.clientSeq ?? 1) - 1);
}

/** The summary of a session row; `ask` (the platform's feedback-fatigue setting) tells "not asked this time". */
export function summaryFromRow(row: SummaryRow | null, sidHash = '', ask?: AskSetting): SessionSummary {
  const skipped = isSkipped(ask, sidHash, row);
  if (!row) return { ...PENDING_SUMMARY, asked: false, skipped };
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
  if (row.status === null || row.instrumentId === null || row.instrumentVersion === null)
    return { ...PENDING_SUMMARY, pacing, asked, skipped };
  const items = JSON.parse(row.items ?? '[]') as ItemValue[];
  return {
    status: row.status,
    instrument: { id: row.instrumentId, version: row.instrumentVersion },
    items,
    total: row.total,
    maxTotal: row.maxTotal,
    flags: storedFlags(row.flags, items, row.total),
    ratedAt: row.ratedAt,
    pacing,
    asked,
    skipped,
  };
}
