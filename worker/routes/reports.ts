import { Hono, type Context } from 'hono';
import { PseudonymRequest } from '../../schemas/admin.ts';
import { readJson } from '../http/body.ts';
import { insertAudit } from '../db/admin-queries.ts';
import { insertReportAudit } from '../db/published-queries.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import { adminAuth } from '../auth/admin-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { hashRef } from '../auth/ref-hash.ts';
import { dateOfDay, reportRange } from '../admin/reports/range.ts';
import type { Report } from '../../schemas/admin.ts';
import { pseudonymOf, publishedWeeks } from '../admin/reports/published-weeks.ts';
import { buildPublishedReport, reportCsv } from '../admin/reports/report.ts';

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

function formatOf(c: Context<AppEnv>): 'json' | 'csv' {
  const f = c.req.query('format') ?? 'json';
  if (f !== 'json' && f !== 'csv') throw new ApiFailure(400, 'invalid_format', '`format` must be json or csv.');
  return f;
}

/** A report of `kind` over the request's range, from published weeks only, audited before it leaves. */
async function report(c: Context<AppEnv>, kind: Report['report']) {
  const format = formatOf(c);
  const now = nowSeconds();
  const { fromDay, toDay } = reportRange(c.req.query('from'), c.req.query('to'), now);
  const { weeks, publishedThrough, instrument } = await publishedWeeks(c.env.DB, {
    platformId: c.var.admin.platformId,
    settings: c.var.platform.settings,
    instrument: c.req.query('instrument'),
    fromDay,
    toDay,
    now,
  });
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
