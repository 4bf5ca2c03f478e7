/**
 * Which instrument a read that averages rated totals is on (the caseload's pacing comparison, the admin reports):
 * never a mix, since totals of different instruments (or versions) are on different scales.
 */
import type { Instrument, InstrumentVersionKey, PlatformSettings } from '../../schemas/index.ts';
import { ApiFailure } from '../http/errors.ts';
import { instrumentFor } from './platform-settings.ts';

/** The instrument a request names (its id), with the platform's rules; null when it names none. */
export function instrumentAsked(settings: PlatformSettings, id: string | undefined): Instrument | null {
  if (id === undefined) return null;
  const found = instrumentFor(settings, id);
  if (!found)
    throw new ApiFailure(422, 'unknown_instrument', 'The instrument asked for is not registered for this platform.');
  return found;
}

/** The key of an instrument version in a Map (the reports' week cells, the counts below). */
export const instrumentKey = (k: InstrumentVersionKey) => JSON.stringify([k.id, k.version]);

/** Rated sessions of one instrument version (a row may be one of several of the same version: they are added). */
export interface InstrumentSessions {
  instrumentId: string;
  instrumentVersion: number;
  n: number;
}

/**
 * Of the rows' instruments (restricted to id `wanted` when the caller named one), the one with the most sessions;
 * ties go to `fallback`, then to the lowest id and the newest version. Without rows: `fallback` (the caller passes
 * the wanted id's registered version when it named one).
 */
export function instrumentWithMostSessions(
  rows: readonly InstrumentSessions[],
  wanted: string | undefined,
  fallback: InstrumentVersionKey,
): InstrumentVersionKey {
  const counts = new Map<string, { key: InstrumentVersionKey; n: number }>();
  for (const r of rows) {
    if (wanted !== undefined && r.instrumentId !== wanted) continue;
    const key = { id: r.instrumentId, version: r.instrumentVersion };
    const k = instrumentKey(key);
    const c = counts.get(k) ?? { key, n: 0 };
    c.n += r.n;
    counts.set(k, c);
  }
  const isFallback = (k: InstrumentVersionKey) => k.id === fallback.id && k.version === fallback.version;
  const best = [...counts.values()].sort(
    (a, b) =>
      b.n - a.n ||
      Number(isFallback(b.key)) - Number(isFallback(a.key)) ||
      (a.key.id < b.key.id ? -1 : a.key.id > b.key.id ? 1 : 0) ||
      b.key.version - a.key.version,
  )[0];
  return best?.key ?? fallback;
}
