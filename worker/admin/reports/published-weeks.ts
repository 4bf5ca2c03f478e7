import type { ReportInstrument } from '../../../schemas/admin.ts';
import {
  DEFAULT_INSTRUMENT,
  type InstrumentVersionKey,
  instrumentMaxTotal,
  type PlatformSettings,
} from '../../../schemas/index.ts';
import { freezeThenRead } from '../../db/published-queries.ts';
import { instrumentAsked, instrumentWithMostSessions } from '../instrument-choice.ts';
import { instrumentFor, instrumentVersionFor } from '../platform-settings.ts';
import { dateOfDay, lastPublishableWeek, weekOf } from './range.ts';
import { NO_INSTRUMENT_SUMS, type WeekCells } from './report.ts';

/** A therapist's stable pseudonym: a prefix of its keyed hash (no ref, and not the whole stored hash). */
export function pseudonymOf(therapistHash: string): string {
  return `t_${therapistHash.slice(0, 10)}`;
}

/**
 * The published weeks of days fromDay..toDay: the closed weeks in it (never the current one, nor the last
 * PUBLISH_DELAY_DAYS) are frozen first if this is their first publication, then read back frozen, with the mean
 * totals' instrument: the one the request names (`instrument`: an id; 422 unknown_instrument, before anything is
 * frozen, when the platform has not registered it), else the one with the most rated sessions in those weeks; ties
 * and weeks without ratings go to the platform's default instrument (as the caseload chooses).
 */
export async function publishedWeeks(
  db: D1Database,
  q: {
    platformId: string;
    settings: PlatformSettings;
    instrument: string | undefined;
    fromDay: number;
    toDay: number;
    now: number;
  },
): Promise<{ weeks: WeekCells[]; publishedThrough: string; instrument: ReportInstrument }> {
  const asked = instrumentAsked(q.settings, q.instrument);
  const fallback = asked ?? instrumentFor(q.settings, undefined) ?? DEFAULT_INSTRUMENT;
  const last = lastPublishableWeek(q.now);
  const fromWeek = weekOf(q.fromDay);
  const toWeek = Math.min(weekOf(q.toDay), last);
  const publishedThrough = dateOfDay(last * 7 + 3);
  const { cells, weeks, instrumentCells, instrumentWeeks } =
    toWeek < fromWeek
      ? { cells: [], weeks: [], instrumentCells: [], instrumentWeeks: [] }
      : await freezeThenRead(db, q.platformId, fromWeek, toWeek, q.now);
  const key = instrumentWithMostSessions(
    instrumentCells.map((x) => ({
      instrumentId: x.instrument.id,
      instrumentVersion: x.instrument.version,
      n: x.sums.rated,
    })),
    q.instrument,
    fallback,
  );
  const registered = instrumentVersionFor(q.settings, key.id, key.version);
  const isKey = (k: InstrumentVersionKey) => k.id === key.id && k.version === key.version;
  const onKey = new Map(
    instrumentCells.filter((x) => isKey(x.instrument)).map((x) => [`${x.week}:${x.therapistHash}`, x.sums]),
  );
  const weekClients = new Map(instrumentWeeks.filter((x) => isKey(x.instrument)).map((x) => [x.week, x.ratedClients]));
  return {
    publishedThrough,
    instrument: { ...key, maxTotal: registered ? instrumentMaxTotal(registered) : null },
    weeks: weeks.map((w) => ({
      week: w.week,
      key: dateOfDay(w.week * 7 - 3),
      clients: w.clients,
      instrumentClients: w.byInstrument ? (weekClients.get(w.week) ?? 0) : null,
      cells: cells
        .filter((x) => x.week === w.week)
        .map((x) => ({
          key: pseudonymOf(x.therapistHash),
          sums: x.sums,
          clients: x.clients,
          instrument: onKey.get(`${w.week}:${x.therapistHash}`) ?? NO_INSTRUMENT_SUMS,
        })),
    })),
  };
}
