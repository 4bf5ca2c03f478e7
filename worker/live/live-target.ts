/**
 * The summary target the Worker hands the live object (TARGET_HEADER), completed where an older Worker left it short.
 * Workers from before the trend compared like with like (migration 0014) send no instrument id and version, and during
 * a deploy such a Worker may still connect sockets to a newer object. Without them the summary read would fail (close
 * 1011, and the widget would reconnect, likely through the same Worker, and fail again). The object falls back as the
 * trend does before a session is recorded (worker/db/trend-queries.ts): the session's recorded instrument wins in the
 * trend's own SQL, and until then the instrument a token naming none gets on the platform (`instrumentFor`).
 */
import type { InstrumentVersionKey } from '../../schemas/index.ts';
import { instrumentFor, parsePlatformSettings } from '../admin/platform-settings.ts';
import { getPlatformSettings } from '../db/queries.ts';
import type { SummaryTarget } from '../summary/load-summary.ts';

/** A target as a Worker sends it: the current shape, or the one from before 0014 without the instrument. */
export type SentTarget = Omit<SummaryTarget, 'instrumentId' | 'instrumentVersion'> &
  Partial<Pick<SummaryTarget, 'instrumentId' | 'instrumentVersion'>>;

/** The instrument a token that names none gets on the platform: its own version of the built-in id, or the built-in. */
export async function defaultInstrumentOf(db: D1Database, platformId: string): Promise<InstrumentVersionKey> {
  const settings = parsePlatformSettings((await getPlatformSettings(db, platformId)) ?? '{}');
  // Never null: without an id instrumentFor always finds the built-in instrument, registered or not.
  const instrument = instrumentFor(settings, undefined);
  if (!instrument) throw new Error('live: the platform has no default instrument');
  return { id: instrument.id, version: instrument.version };
}

/**
 * The target with its instrument. Only the shape from before 0014 (neither field) is completed; a target naming one of
 * the two came from no Worker and fails, as the summary read would (the socket closes with 1011).
 */
export async function completeTarget(db: D1Database, t: SentTarget): Promise<SummaryTarget> {
  const { instrumentId, instrumentVersion, ...rest } = t;
  if (instrumentId !== undefined && instrumentVersion !== undefined)
    return { ...rest, instrumentId, instrumentVersion };
  if (instrumentId !== undefined || instrumentVersion !== undefined)
    throw new Error('live: the target names half an instrument');
  const instrument = await defaultInstrumentOf(db, t.platformId);
  return { ...rest, instrumentId: instrument.id, instrumentVersion: instrument.version };
}
