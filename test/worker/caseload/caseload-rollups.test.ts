// Migration 0009's rollups stay equal to a recomputation from the sessions whatever order the facts arrive in,
// and leave nothing behind when the sessions go (erasure and retention delete sessions; ratings and pacing cascade).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import migration0013 from '../../../migrations/0013_pace_days_by_instrument.sql?raw';
import migration0016 from '../../../migrations/0016_caseload_recent_by_instrument.sql?raw';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import {
  eraseClientStatements,
  expireSessionsStatements,
  rollupsFromScratch,
  storedRollups,
} from '../../../worker/db/admin-queries.ts';
import { totalsFromRecent } from '../../../worker/caseload/not-on-track.ts';
import { CASELOAD_CLIENTS_FROM_SCRATCH, PACE_DAYS_FROM_SCRATCH } from '../../../worker/db/caseload-queries.ts';
import { TREND_DAYS_FROM_SCRATCH } from '../../../worker/db/trend-queries.ts';
import { DEFAULT_INSTRUMENT, instrumentMaxTotal } from '../../../schemas/index.ts';
import { insertRating } from '../../../worker/db/queries.ts';
import { likertInstrument } from '../../samples.ts';
import { seedPlatform } from '../helpers.ts';
import { daysAgo, storeRaw } from './seed.ts';

/** A second instrument on another scale (three items 1..7, totals 3..21) beside the built-in 0..40 one. */
const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));

async function paceRows(platformId: string) {
  const r = await env.DB.prepare(
    'SELECT day, instrument_id AS ins, band, n, total_sum AS totalSum, total_sq AS totalSq, share_sum AS shareSum, turn_sum AS turnSum, overlap_sum AS overlapSum FROM therapist_pace_days WHERE platform_id = ?1 ORDER BY day, band, instrument_id',
  )
    .bind(platformId)
    .all();
  return r.results;
}

/** The client's stored row with therapist `tid`: its instrument and its recent totals, oldest first. */
async function recentOf(platformId: string, tid: string, cid: string) {
  const h = (kind: 'tid' | 'cid', ref: string) => hashRef(env.REF_HASH_SECRET, platformId, kind, ref);
  const row = await env.DB.prepare(
    'SELECT rated, instrument_id AS ins, instrument_version AS ver, recent FROM caseload_clients WHERE platform_id = ?1 AND therapist_hash = ?2 AND client_hash = ?3',
  )
    .bind(platformId, await h('tid', tid), await h('cid', cid))
    .first<{ rated: number; ins: string; ver: number; recent: string }>();
  return row && { rated: row.rated, ins: row.ins, ver: row.ver, totals: totalsFromRecent(row.recent) };
}

async function clientRows(platformId: string) {
  const r = await env.DB.prepare(
    'SELECT rated, recent, last_at AS lastAt FROM caseload_clients WHERE platform_id = ?1 ORDER BY last_at',
  )
    .bind(platformId)
    .all<{ rated: number; recent: string; lastAt: number }>();
  return r.results;
}

describe('caseload rollups (migration 0009)', () => {
  it('count a session once both its rating and pacing are in, in either order, in its share band', async () => {
    const p = await seedPlatform();
    const at = daysAgo(3);
    // Rating first, then pacing (share 0.7: band (65 %, 70 %]) ...
    await storeRaw(p.platformId, { sid: 's1', tid: 't', cid: 'c', at, total: 30 });
    expect(await paceRows(p.platformId)).toEqual([]);
    await storeRaw(p.platformId, { sid: 's1', tid: 't', cid: 'c', at, share: 0.7, longestTurn: 80.5, overlaps: 4 });
    // ... and pacing first, then the rating (share exactly 0.6: band (55 %, 60 %], i.e. not "more than 60 %").
    await storeRaw(p.platformId, { sid: 's2', tid: 't', cid: 'c', at, share: 0.6, longestTurn: 40, overlaps: 2 });
    await storeRaw(p.platformId, { sid: 's2', tid: 't', cid: 'c', at, total: 20.5 });
    // A decline and a session without pacing never enter it.
    await storeRaw(p.platformId, { sid: 's3', tid: 't', cid: 'c', at, total: 'declined', share: 0.5 });
    await storeRaw(p.platformId, { sid: 's4', tid: 't', cid: 'c', at, total: 10 });
    // A session rated on another instrument, same day and band: its own row, never summed with the 0..40 totals.
    await storeRaw(p.platformId, { sid: 's5', tid: 't', cid: 'c', at, share: 0.7, longestTurn: 30, overlaps: 1 });
    await storeRaw(p.platformId, { sid: 's5', tid: 't', cid: 'c', at, total: 12, instrument: LIKERT });
    const day = Math.floor(at / 86400);
    const ins = 'attune-session-4';
    expect(await paceRows(p.platformId)).toEqual([
      { day, ins, band: 11, n: 1, totalSum: 2050, totalSq: 2050 * 2050, shareSum: 600000, turnSum: 400, overlapSum: 2 },
      { day, ins, band: 13, n: 1, totalSum: 3000, totalSq: 3000 * 3000, shareSum: 700000, turnSum: 805, overlapSum: 4 },
      {
        day,
        ins: 'likert-3',
        band: 13,
        n: 1,
        totalSum: 1200,
        totalSq: 1200 ** 2,
        shareSum: 700000,
        turnSum: 300,
        overlapSum: 1,
      },
    ]);
    // Deleting the pacing of the likert session takes it out of its own row only.
    const sid = await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', 's5');
    await env.DB.prepare('DELETE FROM pacing WHERE platform_id = ?1 AND sid_hash = ?2').bind(p.platformId, sid).run();
    expect((await paceRows(p.platformId)).map((r) => r.ins)).toEqual([ins, ins]);
  });

  it('keep each client’s recent totals with this therapist and drop everything when the sessions are deleted', async () => {
    const p = await seedPlatform();
    for (const [i, total] of [30, 28, 25].entries())
      await storeRaw(p.platformId, { sid: `s${i}`, tid: 't', cid: 'c', at: daysAgo(30 - i), total, share: 0.5 });
    // Another therapist's session with the same client is not this therapist's row.
    await storeRaw(p.platformId, { sid: 'other', tid: 't2', cid: 'c', at: daysAgo(1), total: 40, share: 0.5 });
    const rows = await clientRows(p.platformId);
    expect(rows).toHaveLength(2);
    const mine = rows.find((r) => r.rated === 3)!;
    expect((JSON.parse(mine.recent) as [number, number, number][]).map((r) => r[2]).sort((a, b) => a - b)).toEqual([
      25, 28, 30,
    ]);

    // Retention expiring the oldest session recomputes; erasing the client leaves no row behind.
    await env.DB.batch(expireSessionsStatements(env.DB, p.platformId, daysAgo(29), 10));
    const after = (await clientRows(p.platformId)).find((r) => r.rated === 2)!;
    expect((JSON.parse(after.recent) as [number, number, number][]).map((r) => r[2]).sort()).toEqual([25, 28]);
    expect((await paceRows(p.platformId)).reduce((n, r) => n + (r.n as number), 0)).toBe(3);
    const cid = await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', 'c');
    await env.DB.batch(eraseClientStatements(env.DB, p.platformId, cid));
    expect(await clientRows(p.platformId)).toEqual([]);
    expect(await paceRows(p.platformId)).toEqual([]);
  });
});

describe('a client’s recent totals are on one instrument version (migration 0016)', () => {
  it('follow the instrument of the newest rating, whichever order the ratings arrive in and when it is deleted', async () => {
    const p = await seedPlatform();
    const c = { tid: 't', cid: 'c' };
    await storeRaw(p.platformId, { ...c, sid: 'b1', at: daysAgo(30), total: 36 });
    await storeRaw(p.platformId, { ...c, sid: 'b2', at: daysAgo(20), total: 35 });
    await storeRaw(p.platformId, { ...c, sid: 'l1', at: daysAgo(10), total: 15, instrument: LIKERT });
    expect(await recentOf(p.platformId, 't', 'c')).toEqual({ rated: 3, ins: 'likert-3', ver: 2, totals: [15] });
    // A late rating of an older session on the built-in scale does not take the row back to it ...
    await storeRaw(p.platformId, { ...c, sid: 'b3', at: daysAgo(15), total: 34 });
    expect(await recentOf(p.platformId, 't', 'c')).toEqual({ rated: 4, ins: 'likert-3', ver: 2, totals: [15] });
    // ... a newer likert rating joins the series ...
    await storeRaw(p.platformId, { ...c, sid: 'l2', at: daysAgo(5), total: 12, instrument: LIKERT });
    expect(await recentOf(p.platformId, 't', 'c')).toEqual({ rated: 5, ins: 'likert-3', ver: 2, totals: [15, 12] });
    // ... and deleting the likert ratings gives back the built-in series, in session order.
    for (const sid of ['l2', 'l1'])
      await env.DB.prepare('DELETE FROM ratings WHERE platform_id = ?1 AND sid_hash = ?2')
        .bind(p.platformId, await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', sid))
        .run();
    expect(await recentOf(p.platformId, 't', 'c')).toEqual({
      rated: 3,
      ins: 'attune-session-4',
      ver: 1,
      totals: [36, 35, 34],
    });
  });

  it('hold the 51 most recent on that instrument, not those of the 51 most recent that are on it', async () => {
    const p = await seedPlatform();
    // 120 sessions alternating between the two scales: 60 on each, the newest on likert-3.
    for (let i = 0; i < 120; i++)
      await storeRaw(p.platformId, {
        sid: `s${i}`,
        tid: 't',
        cid: 'c',
        at: daysAgo(200 - i),
        ...(i % 2 ? { total: 3 + (i % 19), instrument: LIKERT } : { total: 20 }),
      });
    const row = await recentOf(p.platformId, 't', 'c');
    expect(row).toMatchObject({ rated: 120, ins: 'likert-3', ver: 2 });
    const likert = Array.from({ length: 60 }, (_, k) => 3 + ((2 * k + 1) % 19));
    expect(row!.totals).toEqual(likert.slice(-51));
  });
});

describe('the caseload trigger’s cost (migration 0016)', () => {
  it('reads the client’s own sessions, not every rating of the platform (0009’s triggers did without ANALYZE)', async () => {
    /** D1 rows read by one rating of client `cid`, triggers included. */
    const ratingReads = async (platformId: string, cid: string) => {
      await storeRaw(platformId, { sid: `${cid}-new`, tid: 't', cid, at: daysAgo(1) });
      const h = (kind: 'sid' | 'tid' | 'cid', ref: string) => hashRef(env.REF_HASH_SECRET, platformId, kind, ref);
      const key = {
        platformId,
        sidHash: await h('sid', `${cid}-new`),
        therapistHash: await h('tid', 't'),
        clientHash: await h('cid', cid),
      };
      const r = await insertRating(env.DB, key, {
        status: 'rated',
        instrumentId: DEFAULT_INSTRUMENT.id,
        instrumentVersion: DEFAULT_INSTRUMENT.version,
        items: '[]',
        total: 20,
        maxTotal: instrumentMaxTotal(DEFAULT_INSTRUMENT),
        flags: '[]',
        ratedAt: daysAgo(1) + 60,
      }).run();
      return r.meta.rows_read;
    };
    const alone = await seedPlatform();
    await storeRaw(alone.platformId, { sid: 'c-0', tid: 't', cid: 'c', at: daysAgo(9), total: 30 });
    const crowded = await seedPlatform();
    await storeRaw(crowded.platformId, { sid: 'c-0', tid: 't', cid: 'c', at: daysAgo(9), total: 30 });
    for (let i = 0; i < 100; i++)
      await storeRaw(crowded.platformId, { sid: `o${i}`, tid: 't', cid: `o${i % 10}`, at: daysAgo(8), total: 20 });
    // Before 0016: 215 rows read against 17 (the count and the 51 read through the primary key's platform prefix).
    const [few, many] = [await ratingReads(alone.platformId, 'c'), await ratingReads(crowded.platformId, 'c')];
    expect(many - few).toBeLessThan(10);
  });
});

describe('caseload rollups never drift', () => {
  it('equal a recomputation from the sessions after writes in any order, declines, erasure and retention', async () => {
    const p = await seedPlatform();
    // Deterministic pseudo-random history: 3 therapists, 6 clients, 80 sessions on two instruments (0..40 and
    // 3..21 totals), facts in either order.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 80; i++) {
      const likert = rand() < 0.4;
      const s = {
        sid: `s${i}`,
        tid: `t${i % 3}`,
        cid: `c${Math.floor(rand() * 6)}`,
        at: daysAgo(90 - Math.floor(i * 0.75)),
        ...(likert ? { instrument: LIKERT } : {}),
      };
      const total =
        rand() < 0.1 ? ('declined' as const) : likert ? 3 + Math.floor(rand() * 19) : Math.round(rand() * 400) / 10;
      const pacing = {
        share: rand() < 0.1 ? 0 : Math.round(rand() * 100) / 100,
        longestTurn: rand() * 120,
        overlaps: Math.floor(rand() * 9),
      };
      if (rand() < 0.5) {
        await storeRaw(p.platformId, { ...s, total });
        if (rand() < 0.9) await storeRaw(p.platformId, { ...s, ...pacing });
      } else {
        await storeRaw(p.platformId, { ...s, ...pacing });
        if (rand() < 0.9) await storeRaw(p.platformId, { ...s, total });
      }
    }
    const check = async () => {
      const norm = (rows: Record<string, unknown>[]) =>
        rows
          .map((r) => ({
            ...r,
            ...(typeof r.recent === 'string' ? { recent: JSON.stringify(JSON.parse(r.recent).sort()) } : {}),
          }))
          .map((r) => JSON.stringify(r))
          .sort();
      const stored = async (table: string) =>
        (await env.DB.prepare(`SELECT * FROM ${table} WHERE platform_id = ?1`).bind(p.platformId).all()).results;
      const scratch = async (sql: string) => (await env.DB.prepare(sql).bind(p.platformId).all()).results;
      expect(norm(await stored('caseload_clients'))).toEqual(norm(await scratch(CASELOAD_CLIENTS_FROM_SCRATCH)));
      expect(norm(await stored('therapist_pace_days'))).toEqual(norm(await scratch(PACE_DAYS_FROM_SCRATCH)));
      // The reports' rollups on the same two-instrument history: counts and talk share over every instrument
      // (therapist_days, its rating triggers recreated by 0015), rated totals per instrument (therapist_trend_days).
      expect(await storedRollups(env.DB, p.platformId)).toEqual(await rollupsFromScratch(env.DB, p.platformId));
      expect(norm(await stored('therapist_trend_days'))).toEqual(norm(await scratch(TREND_DAYS_FROM_SCRATCH)));
      return (await stored('therapist_pace_days')) as { instrument_id: string }[];
    };
    const before = await check();
    expect(before.length).toBeGreaterThan(10);
    expect(new Set(before.map((r) => r.instrument_id))).toEqual(new Set(['attune-session-4', 'likert-3']));
    // Clients whose newest rating is on either scale, so both sides of 0016's choice are compared.
    const newest = await env.DB.prepare('SELECT DISTINCT instrument_id FROM caseload_clients WHERE platform_id = ?1')
      .bind(p.platformId)
      .all<{ instrument_id: string }>();
    expect(new Set(newest.results.map((r) => r.instrument_id))).toEqual(new Set(['attune-session-4', 'likert-3']));
    await env.DB.batch(expireSessionsStatements(env.DB, p.platformId, daysAgo(70), 15));
    await check();
    await env.DB.batch(
      eraseClientStatements(env.DB, p.platformId, await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', 'c2')),
    );
    await check();
    // Migration 0013's backfill (run on the existing ratings when it was applied) builds the same rows.
    const backfill = /INSERT INTO therapist_pace_days\s+SELECT[\s\S]*?;/.exec(migration0013)?.[0];
    expect(backfill).toBeDefined();
    await env.DB.prepare('DELETE FROM therapist_pace_days').run();
    await env.DB.prepare(backfill!).run();
    await check();
    // So does migration 0016's, of the clients' recent totals on their newest rating's instrument.
    const clients = /INSERT INTO caseload_clients\s+SELECT[\s\S]*?;/.exec(migration0016)?.[0];
    expect(clients).toBeDefined();
    await env.DB.prepare('DELETE FROM caseload_clients').run();
    await env.DB.prepare(clients!).run();
    await check();
  });
});
