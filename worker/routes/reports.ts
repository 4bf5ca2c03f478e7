import { Hono, type Context } from 'hono';
import { PseudonymRequest } from '../../schemas/admin.ts';
import { readJson } from '../http/body.ts';
import { insertAudit } from '../db/admin-queries.ts';
import { freezeWeeksStatements, insertReportAudit, readPublished, unfrozenWeeks } from '../db/published-queries.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import { adminAuth } from '../auth/admin-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { hashRef } from '../auth/ref-hash.ts';
import { dateOfDay, lastPublishableWeek, reportRange, weekOf } from '../admin/reports/range.ts';
import type { Report, ReportInstrument } from '../../schemas/admin.ts';
import { DEFAULT_INSTRUMENT, type InstrumentVersionKey, instrumentMaxTotal } from '../../schemas/index.ts';
import { instrumentAsked, instrumentWithMostSessions } from '../admin/instrument-choice.ts';
import { instrumentFor, instrumentVersionFor } from '../admin/platform-settings.ts';
import { buildPublishedReport, NO_INSTRUMENT_SUMS, reportCsv, type WeekCells } from '../admin/reports/report.ts';

/** A therapist's stable pseudonym: a prefix of its keyed hash (no ref, and not the whole stored hash). */
export function pseudonymOf(therapistHash: string): string {
  return `t_${therapistHash.slice(0, 10)}`;
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

function formatOf(c: Context<AppEnv>): 'json' | 'csv' {
  const f = c.req.query('format') ?? 'json';
  if (f !== 'json' && f !== 'csv') throw new ApiFailure(400, 'invalid_format', '`format` must be json or csv.');
  return f;
}

/** Weeks fromWeek..toWeek frozen (those not frozen yet, in one batch; a read with none to freeze writes nothing), then read. */
async function freezeAndRead(db: D1Database, platformId: string, fromWeek: number, toWeek: number, now: number) {
  const unfrozen = await unfrozenWeeks(db, platformId, fromWeek, toWeek).first<{ n: number }>();
  if ((unfrozen?.n ?? 0) > 0) await db.batch(freezeWeeksStatements(db, platformId, fromWeek, toWeek, now));
  return readPublished(db, platformId, fromWeek, toWeek);
}

/**
 * The requested range's published weeks: the closed weeks in it (never the current one, nor the last
 * PUBLISH_DELAY_DAYS) are frozen first if this is their first publication, then read back frozen, with the mean
 * totals' instrument: the one the request names (`instrument`: an id; 422 unknown_instrument when the platform has
 * not registered it), else the one with the most rated sessions in those weeks (as the caseload chooses).
 */
async function publishedWeeks(
  c: Context<AppEnv>,
  fromDay: number,
  toDay: number,
  now: number,
): Promise<{ weeks: WeekCells[]; publishedThrough: string; instrument: ReportInstrument }> {
  const { platformId } = c.var.admin;
  const settings = c.var.platform.settings;
  const wanted = c.req.query('instrument');
  const asked = instrumentAsked(settings, wanted);
  const fallback = asked ?? instrumentFor(settings, undefined) ?? DEFAULT_INSTRUMENT;
  const last = lastPublishableWeek(now);
  const fromWeek = weekOf(fromDay);
  const toWeek = Math.min(weekOf(toDay), last);
  const publishedThrough = dateOfDay(last * 7 + 3);
  const { cells, weeks, instrumentCells, instrumentWeeks } =
    toWeek < fromWeek
      ? { cells: [], weeks: [], instrumentCells: [], instrumentWeeks: [] }
      : await freezeAndRead(c.env.DB, platformId, fromWeek, toWeek, now);
  const key = instrumentWithMostSessions(
    instrumentCells.map((x) => ({
      instrumentId: x.instrument.id,
      instrumentVersion: x.instrument.version,
      n: x.sums.rated,
    })),
    wanted,
    fallback,
  );
  const registered = instrumentVersionFor(settings, key.id, key.version);
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

/** A report of `kind` over the request's range, from published weeks only, audited before it leaves. */
async function report(c: Context<AppEnv>, kind: Report['report']) {
  const format = formatOf(c);
  const now = nowSeconds();
  const { fromDay, toDay } = reportRange(c.req.query('from'), c.req.query('to'), now);
  const { weeks, publishedThrough, instrument } = await publishedWeeks(c, fromDay, toDay, now);
  const from = dateOfDay(fromDay);
  const to = dateOfDay(toDay);
  const built: Report = { ...buildPublishedReport(kind, { from, to }, instrument, weeks), publishedThrough };
  const { platformId, keyId } = c.var.admin;
  await insertReportAudit(c.env.DB, {
    platformId,
    keyId,
    route: `/v1/reports/${kind}`,
    from,
    to,
    params: { from, to, format, instrument: instrument.id, instrumentVersion: instrument.version },
    rows: built.rows.length,
    at: now,
  }).run();
  if (format === 'json') return c.json(built);
  return c.body(reportCsv(built), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="attune-${kind}-${from}-${to}.csv"`,
  });
}

/** Every admin read is written to the audit log before the answer leaves: route, parameters, row count. */
async function audit(c: Context<AppEnv>, route: string, params: Record<string, string | number>, rows: number) {
  const { platformId, keyId } = c.var.admin;
  await insertAudit(c.env.DB, { platformId, keyId, route, params, rows, at: nowSeconds() }).run();
}

/**
 * Reports for platform admins (admin key): de-identified aggregates of closed ISO weeks only, each week frozen at
 * its first publication (so a late fact or an erasure never changes a published figure), every weekly cell
 * resting on fewer than 11 sessions or fewer than 5 distinct clients suppressed with its complementary cells. Mean
 * totals are of one instrument (named in the answer; `instrument` picks it); every other measure is over all.
 * A read that nearly repeats an earlier one is marked in the audit log (near_repeat_of).
 */
export const reportRoutes = new Hono<AppEnv>()
  .use('*', adminAuth())
  .get('/therapists', (c) => report(c, 'therapists'))
  .all('/therapists', methodNotAllowed('GET'))
  .get('/weeks', (c) => report(c, 'weeks'))
  .all('/weeks', methodNotAllowed('GET'))
  // The admin sends its own therapist refs and gets their pseudonyms back; refs are hashed here and never stored.
  .post('/pseudonyms', async (c) => {
    const { therapists } = await readJson(c, PseudonymRequest);
    const platformId = c.var.admin.platformId;
    const pseudonyms = await Promise.all(
      therapists.map(async (ref) => ({
        ref,
        pseudonym: pseudonymOf(await hashRef(c.env.REF_HASH_SECRET, platformId, 'tid', ref)),
      })),
    );
    await audit(c, '/v1/reports/pseudonyms', { refs: therapists.length }, pseudonyms.length);
    return c.json({ pseudonyms });
  })
  .all('/pseudonyms', methodNotAllowed('POST'));
