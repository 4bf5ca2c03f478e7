import type { ReportInstrument } from '../../../schemas/admin.ts';
import {
  DEFAULT_INSTRUMENT,
  type InstrumentVersionKey,
  instrumentMaxTotal,
  type PlatformSettings,
} from '../../../schemas/index.ts';
import { freezeThenRead, type InstrumentCell, type InstrumentWeek } from '../../db/published-queries.ts';
import { instrumentAsked, type InstrumentSessions, instrumentWithMostSessions } from '../instrument-choice.ts';
import { instrumentFor, instrumentVersionFor } from '../platform-settings.ts';
import { dateOfDay, lastPublishableWeek, weekOf } from './range.ts';
import { NO_INSTRUMENT_SUMS, type WeekCells } from './report.ts';
import { MIN_CELL, MIN_CLIENTS } from './suppress.ts';

/** A therapist's stable pseudonym: a prefix of its keyed hash (no ref, and not the whole stored hash). */
export function pseudonymOf(therapistHash: string): string {
  return `t_${therapistHash.slice(0, 10)}`;
}

/**
 * Each week's rated sessions per instrument, only where that week's total on the instrument is publishable (at least
 * MIN_CELL sessions of MIN_CLIENTS clients): the default instrument is chosen from figures a report publishes anyway,
 * so the choice says nothing about a suppressed week.
 */
function publishableWeekTotals(
  cells: readonly InstrumentCell[],
  weeks: readonly InstrumentWeek[],
): InstrumentSessions[] {
  const totals = new Map<string, InstrumentSessions & { week: number }>();
  for (const c of cells) {
    const k = JSON.stringify([c.week, c.instrument.id, c.instrument.version]);
    const t = totals.get(k) ?? {
      week: c.week,
      instrumentId: c.instrument.id,
      instrumentVersion: c.instrument.version,
      n: 0,
    };
    t.n += c.sums.rated;
    totals.set(k, t);
  }
  const clients = new Map(
    weeks.map((w) => [JSON.stringify([w.week, w.instrument.id, w.instrument.version]), w.ratedClients]),
  );
  return [...totals.entries()]
    .filter(([k, t]) => t.n >= MIN_CELL && (clients.get(k) ?? 0) >= MIN_CLIENTS)
    .map(([, t]) => t);
}

/**
 * The published weeks of days fromDay..toDay: the closed weeks in it (never the current one, nor the last
 * PUBLISH_DELAY_DAYS) are frozen first if this is their first publication, then read back frozen, with the mean
 * totals' instrument: the one the request names (`instrument`: an id; 422 unknown_instrument, before anything is
 * frozen, when the platform has not registered it), else the one with the most rated sessions in those weeks (their
 * publishable week totals); ties, and ranges without any, go to the platform's default instrument (as the caseload
 * chooses).
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
    publishableWeekTotals(instrumentCells, instrumentWeeks),
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
