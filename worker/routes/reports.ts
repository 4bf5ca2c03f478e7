import { Hono, type Context } from 'hono';
import { PseudonymRequest } from '../../schemas/admin.ts';
import { readJson } from '../body.ts';
import { distinctClients, insertAudit, rollupsByTherapist, rollupsByWeek, type DistinctClients } from '../db/admin-queries.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../errors.ts';
import { adminAuth } from '../middleware/admin-auth.ts';
import { methodNotAllowed } from '../not-allowed.ts';
import { hashRef } from '../refs.ts';
import { dateOfDay, reportRange } from '../reports/range.ts';
import { buildReport, reportCsv, type Report } from '../reports/report.ts';

/** A therapist's stable pseudonym: a prefix of its keyed hash (no ref, and not the whole stored hash). */
export function pseudonymOf(therapistHash: string): string {
  return `t_${therapistHash.slice(0, 10)}`;
}

const NO_CLIENTS: DistinctClients = { ratedClients: 0, shareClients: 0 };

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/** Every admin read is written to the audit log before the answer leaves: route, parameters, row count. */
async function audit(c: Context<AppEnv>, route: string, params: Record<string, string | number>, rows: number) {
  const { platformId, keyId } = c.var.admin;
  await insertAudit(c.env.DB, { platformId, keyId, route, params, rows, at: nowSeconds() }).run();
}

function formatOf(c: Context<AppEnv>): 'json' | 'csv' {
  const f = c.req.query('format') ?? 'json';
  if (f !== 'json' && f !== 'csv') throw new ApiFailure(400, 'invalid_format', '`format` must be json or csv.');
  return f;
}

async function answer(c: Context<AppEnv>, route: string, report: Report, format: 'json' | 'csv') {
  await audit(c, route, { from: report.from, to: report.to, format }, report.rows.length);
  if (format === 'json') return c.json(report);
  return c.body(reportCsv(report), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="attune-${report.report}-${report.from}-${report.to}.csv"`,
  });
}

/**
 * Reports for platform admins (admin key): de-identified aggregates from the daily rollups, every cell
 * resting on fewer than 11 sessions or fewer than 5 distinct clients suppressed with its complementary cells.
 */
export const reportRoutes = new Hono<AppEnv>()
  .use('*', adminAuth())
  .get('/therapists', async (c) => {
    const format = formatOf(c);
    const { fromDay, toDay } = reportRange(c.req.query('from'), c.req.query('to'), nowSeconds());
    const [rows, clients] = await Promise.all([
      rollupsByTherapist(c.env.DB, c.var.admin.platformId, fromDay, toDay),
      distinctClients(c.env.DB, c.var.admin.platformId, fromDay, toDay, 'therapist'),
    ]);
    const groups = rows.map((r) => ({ key: pseudonymOf(r.therapistHash), sums: r, clients: clients.groups.get(r.therapistHash) ?? NO_CLIENTS }));
    const report = buildReport('therapists', { from: dateOfDay(fromDay), to: dateOfDay(toDay) }, groups, clients.total);
    return answer(c, '/v1/reports/therapists', report, format);
  })
  .all('/therapists', methodNotAllowed('GET'))
  .get('/weeks', async (c) => {
    const format = formatOf(c);
    const { fromDay, toDay } = reportRange(c.req.query('from'), c.req.query('to'), nowSeconds());
    const [rows, clients] = await Promise.all([
      rollupsByWeek(c.env.DB, c.var.admin.platformId, fromDay, toDay),
      distinctClients(c.env.DB, c.var.admin.platformId, fromDay, toDay, 'week'),
    ]);
    const groups = rows.map((r) => ({ key: dateOfDay(r.week * 7 - 3), sums: r, clients: clients.groups.get(r.week) ?? NO_CLIENTS }));
    const report = buildReport('weeks', { from: dateOfDay(fromDay), to: dateOfDay(toDay) }, groups, clients.total);
    return answer(c, '/v1/reports/weeks', report, format);
  })
  .all('/weeks', methodNotAllowed('GET'))
  // The admin sends its own therapist refs and gets their pseudonyms back; refs are hashed here and never stored.
  .post('/pseudonyms', async (c) => {
    const { therapists } = await readJson(c, PseudonymRequest);
    const platformId = c.var.admin.platformId;
    const pseudonyms = await Promise.all(
      therapists.map(async (ref) => ({ ref, pseudonym: pseudonymOf(await hashRef(c.env.REF_HASH_SECRET, platformId, 'tid', ref)) })),
    );
    await audit(c, '/v1/reports/pseudonyms', { refs: therapists.length }, pseudonyms.length);
    return c.json({ pseudonyms });
  })
  .all('/pseudonyms', methodNotAllowed('POST'));
