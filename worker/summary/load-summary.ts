import type { SessionSummary, Trend, AskSetting } from '../../schemas/index.ts';
import { sessionParticipantsStatement, summaryRowStatement, type SummaryRow } from '../db/queries.ts';
import type { Participants } from '../sessions/participants.ts';
import { clientSeries, therapistRolling, type RollingRow, type SeriesRow } from '../db/trend-queries.ts';
import { summaryFromRow } from './build-summary.ts';
import { dayOf, trendFrom } from './trend.ts';

/** Which session's summary, whose trend, and how far back (all hashed; the Durable Object gets the same). */
export interface SummaryTarget {
  platformId: string;
  sidHash: string;
  therapistHash: string;
  clientHash: string;
  trendDays: number;
  trendPoints: number;
  /**
   * The token's instrument: the trend's totals are on the session's recorded instrument, this one until the
   * session is recorded (a write naming another instrument is refused, so they agree once it is).
   */
  instrumentId: string;
  instrumentVersion: number;
  /** The platform's feedback-fatigue setting, to tell "not asked this time" from "not asked yet". */
  ask?: AskSetting;
}

/** The three reads a summary is built from (the session row, then the trend's two reads). */
export function summaryStatements(
  db: D1Database,
  t: SummaryTarget,
  nowSeconds = Math.floor(Date.now() / 1000),
): D1PreparedStatement[] {
  return [summaryRowStatement(db, t.platformId, t.sidHash), ...trendStatements(db, t, nowSeconds)];
}

/** The trend's two reads: the client's series and the therapist's rolling mean, both on the session's instrument. */
function trendStatements(db: D1Database, t: SummaryTarget, nowSeconds: number): D1PreparedStatement[] {
  const today = dayOf(nowSeconds);
  const instrument = { id: t.instrumentId, version: t.instrumentVersion };
  return [
    clientSeries(db, {
      platformId: t.platformId,
      clientHash: t.clientHash,
      therapistHash: t.therapistHash,
      currentSid: t.sidHash,
      limit: t.trendPoints,
      instrument,
    }),
    therapistRolling(db, {
      platformId: t.platformId,
      therapistHash: t.therapistHash,
      currentSid: t.sidHash,
      fromDay: today - t.trendDays,
      toDay: today,
      instrument,
    }),
  ];
}

export interface LoadedSummary {
  summary: SessionSummary;
  /** The participants the session was first recorded with; null before anything was recorded. */
  recorded: Participants | null;
}

/** The summary from the results of summaryStatements (run on their own or at the end of a write's batch). */
export function summaryFromResults(
  t: SummaryTarget,
  results: readonly (D1Result<unknown> | undefined)[],
): LoadedSummary {
  const [row, series, rolling] = results;
  const summaryRow = (row?.results[0] as SummaryRow | undefined) ?? null;
  const summary = summaryFromRow(summaryRow, t.sidHash, t.ask);
  summary.trend = trendFromResults(t, series, rolling);
  return {
    summary,
    recorded: summaryRow ? { therapistHash: summaryRow.therapistHash, clientHash: summaryRow.clientHash } : null,
  };
}

/**
 * The session summary with its trend, read in one D1 round trip (a batch of three reads).
 * `recorded` is who the session was recorded with: a caller must check it (assertParticipants) before showing it.
 */
export async function loadSummary(
  db: D1Database,
  t: SummaryTarget,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<LoadedSummary> {
  return summaryFromResults(t, await db.batch<unknown>(summaryStatements(db, t, nowSeconds)));
}

/** Only the trend (GET /v1/trends): two reads in one round trip. */
export async function loadTrend(
  db: D1Database,
  t: SummaryTarget,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<Trend> {
  const [series, rolling] = await db.batch<unknown>(trendStatements(db, t, nowSeconds));
  return trendFromResults(t, series, rolling);
}

/**
 * The trend with who the session was recorded with (GET /v1/trends), three reads in one round trip; as with
 * loadSummary, the caller must check `recorded` (assertParticipants) before showing it.
 */
export async function loadCheckedTrend(
  db: D1Database,
  t: SummaryTarget,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<{ trend: Trend; recorded: Participants | null }> {
  const [participants, series, rolling] = await db.batch<unknown>([
    sessionParticipantsStatement(db, t.platformId, t.sidHash),
    ...trendStatements(db, t, nowSeconds),
  ]);
  const row = participants?.results[0] as Participants | undefined;
  return {
    trend: trendFromResults(t, series, rolling),
    recorded: row ? { therapistHash: row.therapistHash, clientHash: row.clientHash } : null,
  };
}

function trendFromResults(t: SummaryTarget, series?: D1Result<unknown>, rolling?: D1Result<unknown>): Trend {
  return trendFrom(
    (series?.results ?? []) as SeriesRow[],
    (rolling?.results[0] as RollingRow | undefined) ?? { rated: 0, totalSum: 0, shareSum: 0, shareN: 0 },
    t.trendDays,
  );
}
