import type { ReportInstrument } from '../../../schemas/admin.ts';
import { DEFAULT_INSTRUMENT, instrumentMaxTotal, type PlatformSettings } from '../../../schemas/index.ts';
import type { InstrumentSums } from '../../db/admin-queries.ts';
import { freezeThenRead } from '../../db/published-queries.ts';
import {
  instrumentAsked,
  instrumentKey,
  type InstrumentSessions,
  instrumentWithMostSessions,
} from '../instrument-choice.ts';
import { instrumentFor, instrumentVersionFor } from '../platform-settings.ts';
import { dateOfDay, lastPublishableWeek, weekOf } from './range.ts';
import { suppressWeek, type WeekCells } from './report.ts';

/** A therapist's stable pseudonym: a prefix of its keyed hash (no ref, and not the whole stored hash). */
export function pseudonymOf(therapistHash: string): string {
  return `t_${therapistHash.slice(0, 10)}`;
}

/**
 * Each week's rated sessions per instrument, only where the reports publish that week's total on it: the default
 * instrument is chosen from figures a report publishes anyway, so the choice says nothing about a suppressed figure.
 */
function publishedWeekTotals(weeks: readonly WeekCells[]): InstrumentSessions[] {
  return weeks.flatMap((w) =>
    [...(suppressWeek(w).split ?? [])].flatMap(([k, s]) => {
      if (s.total) return [];
      const [instrumentId, instrumentVersion] = JSON.parse(k) as [string, number];
      const n = w.cells.reduce((sum, c) => sum + (c.instruments.get(k)?.rated ?? 0), 0);
      return [{ instrumentId, instrumentVersion, n }];
    }),
  );
}

/**
 * The published weeks of days fromDay..toDay: the closed weeks in it (never the current one, nor the last
 * PUBLISH_DELAY_DAYS) are frozen first if this is their first publication, then read back frozen, with the mean
 * totals' instrument: the one the request names (`instrument`: an id; 422 unknown_instrument, before anything is
 * frozen, when the platform has not registered it), else the one with the most rated sessions in those weeks (their
 * published week totals); ties, and ranges without any, go to the platform's default instrument (as the caseload
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
  const parts = new Map<string, Map<string, InstrumentSums>>();
  for (const x of instrumentCells) {
    const at = `${x.week}:${x.therapistHash}`;
    const m = parts.get(at) ?? new Map<string, InstrumentSums>();
    m.set(instrumentKey(x.instrument), x.sums);
    parts.set(at, m);
  }
  const weekClients = new Map<number, Map<string, number>>();
  for (const x of instrumentWeeks) {
    const m = weekClients.get(x.week) ?? new Map<string, number>();
    m.set(instrumentKey(x.instrument), x.ratedClients);
    weekClients.set(x.week, m);
  }
  const published: WeekCells[] = weeks.map((w) => ({
    week: w.week,
    key: dateOfDay(w.week * 7 - 3),
    clients: w.clients,
    instrumentClients: w.byInstrument ? (weekClients.get(w.week) ?? new Map()) : null,
    cells: cells
      .filter((x) => x.week === w.week)
      .map((x) => ({
        key: pseudonymOf(x.therapistHash),
        sums: x.sums,
        clients: x.clients,
        instruments: parts.get(`${w.week}:${x.therapistHash}`) ?? new Map(),
      })),
  }));
  const key = instrumentWithMostSessions(publishedWeekTotals(published), q.instrument, fallback);
  const registered = instrumentVersionFor(q.settings, key.id, key.version);
  return {
    publishedThrough,
    instrument: { ...key, maxTotal: registered ? instrumentMaxTotal(registered) : null },
    weeks: published,
  };
}
