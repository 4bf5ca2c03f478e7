// Published reports compare like with like (migration 0015): on a platform that runs a 1..7 three-item likert
// (totals 3..21) beside the built-in 0..40 scale, a report's mean total is on one instrument (id and version), named
// in the answer; session counts, completion and talk share stay over every instrument.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import { type CaseloadSession, storeRaw } from '../caseload/seed.ts';
import { dayFromDate } from '../../../worker/admin/reports/range.ts';
import { adminCall, seedAdminKey, seedPlatform } from '../helpers.ts';
import { DAY, LIKERT, rated, readReport, W1 } from './report-seed.ts';

// The next Monday after W1.
const W2 = W1 + 7 * DAY;

/** Stores sessions interleaved (one of each list in turn), as a platform running both instruments would. */
async function storeInterleaved(platformId: string, ...lists: CaseloadSession[][]) {
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (l[i]) await storeRaw(platformId, l[i]!);
}

describe('published reports on a platform with two instruments', () => {
  it('the mean total is on one instrument, named; sessions and talk share stay over both', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // Therapist t: 13 sessions at 38 of 40 interleaved with 12 at 6 of 21, in one closed week.
    await storeInterleaved(p.platformId, rated('t', 13, W1, 38), rated('t', 12, W1 + 30, 6, LIKERT));
    // Before 0015 the row read sessions 25 and meanTotal (13 × 38 + 12 × 6) / 25 = 22.64: above the likert's
    // largest total (21) and far under a 38 of 40, a figure on neither scale.
    const body = await readReport(admin.key, '/v1/reports/therapists?from=2026-03-02&to=2026-03-08');
    // Default: the instrument with the most rated sessions in the range.
    expect(body.instrument).toEqual({ id: DEFAULT_INSTRUMENT.id, version: DEFAULT_INSTRUMENT.version, maxTotal: 40 });
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({
      sessions: 25,
      asked: 25,
      completionRate: 1,
      meanTherapistShare: 0.25,
      instrumentSessions: 13,
      meanTotal: 38,
      suppressed: false,
      meanTotalSuppressed: false,
    });
    expect(body.total).toMatchObject({ sessions: 25, instrumentSessions: 13, meanTotal: 38 });
    // The request names the other one.
    const likert = await readReport(admin.key, '/v1/reports/weeks?from=2026-03-02&to=2026-03-08&instrument=likert-3');
    expect(likert.instrument).toEqual({ id: 'likert-3', version: 2, maxTotal: 21 });
    expect(likert.rows[0]).toMatchObject({ sessions: 25, instrumentSessions: 12, meanTotal: 6 });
    expect(likert.total).toMatchObject({ sessions: 25, instrumentSessions: 12, meanTotal: 6 });
  });

  it('a therapist’s cell split by instrument under 11 is suppressed, with its complements on both instruments', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // a: 20 on the built-in scale and 8 on the likert (28 sessions: published); b: 30 on the likert; c: 14 built-in.
    await storeInterleaved(
      p.platformId,
      rated('a', 20, W1, 30),
      rated('a', 8, W1 + 30, 4, LIKERT),
      rated('b', 30, W1 + 40, 15, LIKERT),
      rated('c', 14, W1 + 50, 34),
    );
    const body = await readReport(
      admin.key,
      '/v1/reports/therapists?from=2026-03-02&to=2026-03-08&instrument=likert-3',
    );
    const bySessions = new Map(body.rows.map((r) => [r.sessions, r]));
    // Every cell's sessions are published (28, 30, 14). On the likert a's 8 are under 11. b's 30 are b's whole
    // published cell (its sessions say them), so they stay published, and the week's likert total (38) is hidden
    // instead: 38 − 30 would be a's 8. c has none there.
    expect([...bySessions.keys()].sort()).toEqual([14, 28, 30]);
    for (const n of [28, 14])
      expect(bySessions.get(n)).toMatchObject({
        suppressed: false,
        instrumentSessions: null,
        meanTotal: null,
        meanTotalSuppressed: true,
      });
    expect(bySessions.get(30)).toMatchObject({ instrumentSessions: 30, meanTotal: 15, meanTotalSuppressed: false });
    expect(body.total).toMatchObject({ sessions: 72, instrumentSessions: null, meanTotal: null });
    // On the built-in scale a's 20 are hidden too (its 28 sessions less 20 would be its 8 on the likert), and with
    // them the week's built-in total (34 less c's whole cell, 14, would be a's 20); c's 14 are c's whole cell.
    const builtin = await readReport(admin.key, '/v1/reports/therapists?from=2026-03-02&to=2026-03-08');
    expect(builtin.instrument.id).toBe(DEFAULT_INSTRUMENT.id); // no week total published on either: the default
    const named = await readReport(
      admin.key,
      `/v1/reports/therapists?from=2026-03-02&to=2026-03-08&instrument=${DEFAULT_INSTRUMENT.id}`,
    );
    expect(named.rows.map((r) => [r.sessions, r.instrumentSessions, r.meanTotal]).sort()).toEqual([
      [14, 14, 34],
      [28, null, null],
      [30, null, null],
    ]);
    expect(named.total).toMatchObject({ sessions: 72, instrumentSessions: null, meanTotal: null });
  });

  it('a cell whose sessions are suppressed is suppressed on every instrument too, though its part would pass', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // d: 5 sessions (suppressed); e: 24 on the built-in scale, suppressed with d so the week's total cannot give d
    // away; f: 15 built-in and 25 likert; g: 50 built-in (with d and e goes the next smallest, f: e, who knows its
    // own 24, would otherwise find d's 5 in the total).
    await storeInterleaved(
      p.platformId,
      rated('d', 5, W2, 20),
      rated('e', 24, W2 + 30, 30),
      rated('f', 15, W2 + 40, 36),
      rated('f', 25, W2 + 50, 12, LIKERT),
      rated('g', 50, W2 + 60, 33),
    );
    const body = await readReport(
      admin.key,
      `/v1/reports/therapists?from=2026-03-09&to=2026-03-15&instrument=${DEFAULT_INSTRUMENT.id}`,
    );
    // Judged on its own counts, the built-in column (5, 24, 15, 50) would suppress d and f and publish e's 24: e's
    // whole session count, and 94 + 25 − 24 − 40 − 50 = 5 would be d's. e is suppressed on it because its sessions
    // are.
    const rows = body.rows.map((r) => [r.sessions, r.instrumentSessions, r.meanTotal]);
    expect(rows.filter((r) => r[0] === null)).toEqual([
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ]);
    expect(rows.filter((r) => r[0] !== null)).toEqual([[50, 50, 33]]);
    // The week's 25 on the likert are f's alone (hidden), so its built-in total (119 − 25) is hidden too.
    expect(body.total).toMatchObject({ sessions: 119, instrumentSessions: null });
  });

  it('an instrument the platform has not registered is 422 unknown_instrument, and nothing is frozen', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    await storeInterleaved(p.platformId, rated('t', 12, W1, 30));
    const res = await adminCall('/v1/reports/weeks?from=2026-03-02&to=2026-03-08&instrument=srs-licensed', admin.key);
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'unknown_instrument' } });
    expect(text).not.toContain('srs-licensed');
    const frozen = await env.DB.prepare('SELECT count(*) AS n FROM published_weeks WHERE platform_id = ?1')
      .bind(p.platformId)
      .first('n');
    expect(frozen).toBe(0);
  });

  it('a week frozen before 0015 reads as frozen: its counts and talk share, no mean total, and it is named', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // Week 2026-03-09 as 0006 froze it: one cell of 25 sessions whose totals were summed over both instruments.
    const week = (dayFromDate('2026-03-09')! + 3) / 7;
    const therapist = 'b'.repeat(64);
    await env.DB.batch([
      env.DB.prepare(
        'INSERT INTO published_weeks (platform_id, week, rated_clients, share_clients, published_at) VALUES (?1, ?2, 25, 25, 1)',
      ).bind(p.platformId, week),
      env.DB.prepare(
        `INSERT INTO published_cells (platform_id, week, therapist_hash, asked, rated, declined, total_sum, flagged, share_sum, share_n, rated_clients, share_clients)
         VALUES (?1, ?2, ?3, 26, 25, 1, 56600, 5, 7500000, 25, 25, 25)`,
      ).bind(p.platformId, week, therapist),
    ]);
    // A rating that arrives later in that week changes nothing there.
    await storeInterleaved(p.platformId, rated('late', 12, W2, 10));
    // The week before is frozen now, per instrument.
    await storeInterleaved(p.platformId, rated('t', 13, W1, 38), rated('t', 12, W1 + 30, 6, LIKERT));
    const body = await readReport(admin.key, `/v1/reports/weeks?from=2026-03-02&to=2026-03-15&instrument=likert-3`);
    expect(body.weeksWithoutInstrument).toEqual(['2026-03-09']);
    expect(
      body.rows.map((r) => [r.key, r.sessions, r.asked, r.meanTherapistShare, r.instrumentSessions, r.meanTotal]),
    ).toEqual([
      ['2026-03-02', 25, 25, 0.25, 12, 6],
      ['2026-03-09', 25, 26, 0.3, null, null],
    ]);
    expect(body.rows[1]).toMatchObject({ suppressed: false, meanTotalSuppressed: true, flaggedShare: 0.2 });
    expect(body.total).toMatchObject({ sessions: 50, instrumentSessions: 12, meanTotal: 6 });
    // The old row is as it was frozen.
    const old = await env.DB.prepare(
      'SELECT rated, total_sum FROM published_cells WHERE platform_id = ?1 AND week = ?2',
    )
      .bind(p.platformId, week)
      .first();
    expect(old).toEqual({ rated: 25, total_sum: 56600 });
  });

  it('the frozen cells hold what the sessions of their week add up to, per therapist and per instrument', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // Two weeks, three therapists, clients seen several times, on either instrument, some without pacing.
    for (let i = 0; i < 90; i++) {
      const likert = i % 5 === 0;
      await storeRaw(p.platformId, {
        sid: `s${i}`,
        tid: `t${i % 3}`,
        cid: `c${i % 17}`,
        at: (i % 2 ? W1 : W2) + 60 * i,
        total: likert ? 3 + (i % 19) : (i * 7) % 41,
        ...(i % 4 ? { share: 0.2 + (i % 5) / 10 } : {}),
        ...(likert ? { instrument: LIKERT } : {}),
      });
    }
    await readReport(admin.key, '/v1/reports/weeks?from=2026-03-02&to=2026-03-15');
    const rows = async (sql: string) => (await env.DB.prepare(sql).bind(p.platformId).all()).results;
    const inWeek = `s.platform_id = c.platform_id AND (s.created_at / 86400 + 3) / 7 = c.week AND s.therapist_hash = c.therapist_hash`;
    const recount = await rows(
      `SELECT c.rated_clients AS got, (SELECT count(DISTINCT s.client_hash) FROM sessions s JOIN ratings r USING (platform_id, sid_hash)
                                        WHERE ${inWeek} AND r.status = 'rated') AS want,
              c.share_clients AS gotShare, (SELECT count(DISTINCT s.client_hash) FROM sessions s JOIN pacing q USING (platform_id, sid_hash)
                                             WHERE ${inWeek} AND q.therapist_talk_seconds + q.client_talk_seconds > 0) AS wantShare
         FROM published_cells c WHERE c.platform_id = ?1`,
    );
    expect(recount).toHaveLength(6);
    for (const r of recount) expect([r.got, r.gotShare]).toEqual([r.want, r.wantShare]);
    const byInstrument = await rows(
      `SELECT c.rated AS got, c.total_sum AS gotSum, c.rated_clients AS gotClients, count(*) AS want,
              sum(CAST(round(r.total * 100) AS INTEGER)) AS wantSum, count(DISTINCT s.client_hash) AS wantClients
         FROM published_instrument_cells c
         JOIN sessions s ON ${inWeek}
         JOIN ratings r ON r.platform_id = s.platform_id AND r.sid_hash = s.sid_hash AND r.status = 'rated'
                       AND r.instrument_id = c.instrument_id AND r.instrument_version = c.instrument_version
        WHERE c.platform_id = ?1
        GROUP BY c.week, c.therapist_hash, c.instrument_id, c.instrument_version`,
    );
    expect(byInstrument).toHaveLength(12);
    for (const r of byInstrument) expect([r.got, r.gotSum, r.gotClients]).toEqual([r.want, r.wantSum, r.wantClients]);
    const weeks = await rows(
      `SELECT w.rated_clients AS got, (SELECT count(DISTINCT s.client_hash) FROM sessions s JOIN ratings r USING (platform_id, sid_hash)
                                        WHERE s.platform_id = w.platform_id AND (s.created_at / 86400 + 3) / 7 = w.week
                                          AND r.status = 'rated' AND r.instrument_id = w.instrument_id) AS want
         FROM published_instrument_weeks w WHERE w.platform_id = ?1`,
    );
    expect(weeks).toHaveLength(4);
    for (const r of weeks) expect(r.got).toBe(r.want);
  });

  it('the default instrument is chosen from publishable week totals: suppressed weeks do not steer it', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // 16 likert sessions, 8 in each week (each week's likert total suppressed), and 12 on the built-in scale.
    await storeInterleaved(
      p.platformId,
      rated('a', 12, W1, 30),
      rated('b', 8, W1 + 30, 9, LIKERT),
      rated('b', 8, W2, 9, LIKERT),
    );
    const body = await readReport(admin.key, '/v1/reports/weeks?from=2026-03-02&to=2026-03-15');
    // Counted over every frozen session the likert (16) would win, and say something about two suppressed weeks.
    expect(body.instrument.id).toBe(DEFAULT_INSTRUMENT.id);
    // The first week's built-in total (12) is hidden too: its 20 sessions less 12 would be its 8 on the likert. So are
    // its 20 sessions: a, who knows its own 12, would find b's 8 in them.
    expect(body.rows[0]).toMatchObject({ sessions: null, instrumentSessions: null });
    expect(body.total).toMatchObject({ instrumentSessions: null, meanTotal: null });
    const likert = await readReport(admin.key, '/v1/reports/weeks?from=2026-03-02&to=2026-03-15&instrument=likert-3');
    expect(likert.rows.map((r) => r.instrumentSessions)).toEqual([null, null]);
    expect(likert.total.meanTotal).toBeNull();
  });
});
