import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../worker/admin/reports/csv.ts';
import { dayFromDate, reportRange } from '../../../worker/admin/reports/range.ts';
import { suppress } from '../../../worker/admin/reports/suppress.ts';
import type { ReportRow } from '../../../schemas/admin.ts';
import {
  adminCall,
  call,
  seedAdminKey,
  seedPlatform,
  sessionRow,
  storeSession,
  testHash,
  type StoredSession,
} from '../helpers.ts';

const DAY = 86_400;
// Monday 2026-01-05 and the next Monday.
const W1 = dayFromDate('2026-01-05')! * DAY + 10 * 3600;
const W2 = W1 + 7 * DAY;

describe('small-cell suppression', () => {
  const cells = (ns: number[]) => suppress(ns).cells;
  it('suppresses every cell under 11 and keeps 11', () => {
    expect(cells([11, 11])).toEqual([false, false]);
    expect(cells([10, 11])).toEqual([true, true]);
    expect(suppress([20, 30])).toEqual({ cells: [false, false], total: false });
  });
  it('a lone suppressed cell takes the next smallest with it, so the total cannot reveal it', () => {
    expect(cells([5, 30, 40])).toEqual([true, true, false]);
    expect(cells([40, 0, 12, 13])).toEqual([false, true, true, false]);
  });
  it('suppressed cells that together rest on fewer than 11 take more with them', () => {
    expect(cells([5, 6, 40])).toEqual([true, true, false]);
    expect(cells([3, 4, 40, 50])).toEqual([true, true, true, false]);
  });
  it('with distinct clients: a cell under 5 clients is suppressed however many sessions, with its complement', () => {
    const clients = (cells: number[], total = 100) => ({ cells, total });
    expect(suppress([12, 40, 50], 11, clients([1, 20, 30])).cells).toEqual([true, true, false]);
    expect(suppress([12, 40, 50], 11, clients([5, 20, 30])).cells).toEqual([false, false, false]);
    // Two suppressed cells whose largest rests on fewer than 5 clients take a third with them.
    expect(suppress([12, 13, 40, 50], 11, clients([2, 3, 20, 30])).cells).toEqual([true, true, true, false]);
    expect(suppress([30], 11, clients([30], 4)).total).toBe(true);
  });
  it('the total is published only when it rests on at least 11', () => {
    expect(suppress([5])).toEqual({ cells: [true], total: true });
    expect(suppress([4, 5])).toEqual({ cells: [true, true], total: true });
    expect(suppress([5, 6])).toEqual({ cells: [true, true], total: false });
    expect(suppress([])).toEqual({ cells: [], total: true });
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, defuses formulas, leaves null empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(0.125)).toBe('0.125');
    expect(toCsv(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });
});

describe('report range', () => {
  it('widens to whole ISO weeks and refuses bad dates', () => {
    const r = reportRange('2026-01-07', '2026-01-13', 0);
    expect(r).toEqual({ fromDay: dayFromDate('2026-01-05'), toDay: dayFromDate('2026-01-18') });
    expect(() => reportRange('2026-02-30', undefined, 0)).toThrow();
    expect(() => reportRange('2026-01-10', '2026-01-01', 0)).toThrow();
    expect(() => reportRange('2020-01-01', '2026-01-01', 0)).toThrow();
  });
});

/** n rated sessions of a therapist (distinct clients), total 30 + i % 10, a flag on every third, pacing on each. */
function sessions(tid: string, n: number, at: number, extra: Partial<StoredSession> = {}): StoredSession[] {
  return Array.from({ length: n }, (_, i) => ({
    sid: `${tid}-${at}-${i}`,
    tid,
    cid: `${tid}-client-${i}`,
    at: at + i,
    rating: { total: 30 + (i % 10), flags: i % 3 === 0 ? ['total_low'] : [] },
    pacing: { therapist: 1000, client: 3000 },
    ...extra,
  }));
}

async function reportPlatform() {
  const p = await seedPlatform();
  const all = [
    ...sessions('alice', 12, W1),
    ...sessions('bob', 5, W1),
    ...sessions('dan', 13, W1),
    ...sessions('carol', 30, W1),
    ...sessions('carol', 3, W1 + 3600, { rating: 'declined', pacing: undefined }),
    ...sessions('carol', 20, W2),
  ];
  for (const s of all) await storeSession(p.platformId, s);
  const admin = await seedAdminKey(p.platformId);
  return { p, admin };
}

type Row = ReportRow;

describe('GET /v1/reports', () => {
  it('by therapist: pseudonyms, means, completion, suppression of small and complementary cells, safe total', async () => {
    const { admin } = await reportPlatform();
    const res = await adminCall('/v1/reports/therapists?from=2026-01-05&to=2026-01-18', admin.key);
    expect(res.status).toBe(200);
    const body = await res.json<{ from: string; to: string; minCell: number; rows: Row[]; total: Row }>();
    expect(body).toMatchObject({ from: '2026-01-05', to: '2026-01-18', minCell: 11 });
    expect(body.rows).toHaveLength(4);
    for (const r of body.rows) expect(r.key).toMatch(/^t_[A-Za-z0-9_-]{10}$/);
    const bySize = [...body.rows].sort((a, b) => (a.sessions ?? 0) - (b.sessions ?? 0));
    // bob (5) is under 11; alice (12) is suppressed with him so the total cannot give bob away, and dan (13) with
    // them so that alice, who knows her own 12, cannot either.
    expect(bySize.filter((r) => r.suppressed)).toHaveLength(3);
    for (const r of body.rows.filter((r) => r.suppressed)) {
      expect([r.sessions, r.asked, r.meanTotal, r.flaggedShare, r.completionRate, r.meanTherapistShare]).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
    }
    const carol = body.rows.find((r) => !r.suppressed)!;
    // 50 rated (30 + 20), asked 53 (3 declines count as asked, not rated).
    expect(carol.sessions).toBe(50);
    expect(carol.asked).toBe(53);
    expect(carol.completionRate).toBe(Math.round((50 / 53) * 1000) / 1000);
    const carolTotals = [
      ...Array.from({ length: 30 }, (_, i) => 30 + (i % 10)),
      ...Array.from({ length: 20 }, (_, i) => 30 + (i % 10)),
    ];
    expect(carol.meanTotal).toBe(Math.round((carolTotals.reduce((a, b) => a + b) / 50) * 100) / 100);
    expect(carol.flaggedShare).toBe(Math.round(((10 + 7) / 50) * 1000) / 1000);
    expect(carol.meanTherapistShare).toBe(0.25);
    expect(body.total).toMatchObject({ key: 'total', sessions: 80, asked: 83, suppressed: false });
  });

  it('by week, in CSV with proper headers; suppressed cells are empty', async () => {
    const { admin } = await reportPlatform();
    const res = await adminCall('/v1/reports/weeks?from=2026-01-05&to=2026-01-18&format=csv', admin.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toContain('attachment');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'week,sessions,asked,instrument,instrument_version,instrument_sessions,mean_total,flagged_share,completion_rate,mean_therapist_share',
    );
    expect(lines[1]).toMatch(/^2026-01-05,60,63,/);
    expect(lines[2]).toMatch(/^2026-01-12,20,20,attune-session-4,1,20,34\.5,0\.35,1,0\.25$/);
    expect(lines[3]).toMatch(/^total,80,83,/);
  });

  it('each week is judged on its own: a week with few sessions is suppressed and left out of the total', async () => {
    const p = await seedPlatform();
    for (const s of [...sessions('a', 4, W1), ...sessions('a', 30, W2), ...sessions('a', 40, W2 + 7 * DAY)])
      await storeSession(p.platformId, s);
    const admin = await seedAdminKey(p.platformId);
    const body = await (await adminCall('/v1/reports/weeks?from=2026-01-05&to=2026-01-25', admin.key)).json<{
      rows: Row[];
      total: Row;
    }>();
    // The total adds only weeks published on their own (30 + 40): the 4 cannot be recovered from it.
    expect(body.rows.map((r) => r.sessions)).toEqual([null, 30, 40]);
    expect(body.total.sessions).toBe(70);
  });

  it('every admin read is in the audit log: key, route, parameters, row count, and no client data', async () => {
    const { p, admin } = await reportPlatform();
    await adminCall('/v1/reports/therapists?from=2026-01-05&to=2026-01-11', admin.key);
    await adminCall('/v1/reports/weeks?from=2026-01-05&to=2026-01-18&format=csv', admin.key);
    const log = await env.DB.prepare(
      'SELECT key_id, route, params, row_count, at FROM audit_log WHERE platform_id = ?1 ORDER BY id',
    )
      .bind(p.platformId)
      .all<Record<string, string | number>>();
    expect(log.results).toEqual([
      {
        key_id: admin.id,
        route: '/v1/reports/therapists',
        params: JSON.stringify({
          from: '2026-01-05',
          to: '2026-01-11',
          format: 'json',
          instrument: 'attune-session-4',
          instrumentVersion: 1,
        }),
        row_count: 4,
        at: expect.any(Number),
      },
      {
        key_id: admin.id,
        route: '/v1/reports/weeks',
        params: JSON.stringify({
          from: '2026-01-05',
          to: '2026-01-18',
          format: 'csv',
          instrument: 'attune-session-4',
          instrumentVersion: 1,
        }),
        row_count: 2,
        at: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(log.results)).not.toContain((await testHash('alice-client-0')).slice(0, 12));
  });

  it('refuses session tokens, unknown and revoked keys; a key sees only its own platform', async () => {
    const { p, admin } = await reportPlatform();
    const token = await p.mint({ role: 'therapist' });
    expect((await call('/v1/reports/therapists', { token })).status).toBe(401);
    expect((await call('/v1/reports/therapists')).status).toBe(401);
    expect((await adminCall('/v1/reports/therapists', `attune_admin_${'A'.repeat(43)}`)).status).toBe(401);
    // and an admin key is not a session token
    expect((await adminCall('/v1/context', admin.key)).status).toBe(401);
    const other = await seedPlatform();
    const otherAdmin = await seedAdminKey(other.platformId);
    const otherBody = await (
      await adminCall('/v1/reports/therapists?from=2026-01-05&to=2026-01-18', otherAdmin.key)
    ).json<{ rows: Row[] }>();
    expect(otherBody.rows).toEqual([]);
    await env.DB.prepare('UPDATE admin_keys SET revoked_at = 1 WHERE id = ?1').bind(admin.id).run();
    expect((await adminCall('/v1/reports/therapists', admin.key)).status).toBe(401);
    expect((await adminCall('/v1/reports/therapists?format=xml', otherAdmin.key)).status).toBe(400);
    expect((await adminCall('/v1/reports/therapists?from=yesterday', otherAdmin.key)).status).toBe(400);
  });

  it('an admin can map its own therapist refs to pseudonyms; the refs are not stored', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const res = await adminCall('/v1/reports/pseudonyms', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ therapists: ['RAWTID-dr-who', 'RAWTID-dr-no'] }),
    });
    expect(res.status).toBe(200);
    const { pseudonyms } = await res.json<{ pseudonyms: { ref: string; pseudonym: string }[] }>();
    expect(pseudonyms.map((x) => x.ref)).toEqual(['RAWTID-dr-who', 'RAWTID-dr-no']);
    expect(new Set(pseudonyms.map((x) => x.pseudonym)).size).toBe(2);
    // The same pseudonym as the therapist's report row once it has sessions.
    // A session of that therapist in a closed week (the current week is never published).
    const { hashRef } = await import('../../../worker/auth/ref-hash.ts');
    const { insertPacing } = await import('../../../worker/db/queries.ts');
    const { GOOD_PACING } = await import('../helpers.ts');
    const key = {
      platformId: p.platformId,
      sidHash: await testHash('pseudo-s'),
      therapistHash: await hashRef(env.REF_HASH_SECRET, p.platformId, 'tid', 'RAWTID-dr-who'),
      clientHash: await testHash('pseudo-c'),
    };
    await env.DB.batch([sessionRow(key, W1), insertPacing(env.DB, key, GOOD_PACING, W1)]);
    const report = await (await adminCall('/v1/reports/therapists?from=2026-01-05&to=2026-01-11', admin.key)).json<{
      rows: Row[];
    }>();
    expect(report.rows.map((r) => r.key)).toEqual([pseudonyms[0]!.pseudonym]);
    const dump = await env.DB.prepare('SELECT group_concat(params) AS p FROM audit_log WHERE platform_id = ?1')
      .bind(p.platformId)
      .first<{ p: string }>();
    expect(dump!.p).not.toContain('RAWTID');
  });

  it('11+ sessions of fewer than 5 distinct clients are suppressed: one client’s mean is never published', async () => {
    const p = await seedPlatform();
    // dave: 15 rated sessions, all with one client; erin: 40 sessions with 40 clients; frank: 30 with 30.
    const one = sessions('dave', 15, W1).map((s) => ({ ...s, cid: 'dave-only-client' }));
    for (const s of [...one, ...sessions('erin', 40, W1), ...sessions('frank', 30, W1)])
      await storeSession(p.platformId, s);
    const admin = await seedAdminKey(p.platformId);
    const body = await (await adminCall('/v1/reports/therapists?from=2026-01-05&to=2026-01-11', admin.key)).json<{
      minClients: number;
      rows: Row[];
      total: Row;
    }>();
    expect(body.minClients).toBe(5);
    const bySessions = (n: number | null) => body.rows.filter((r) => r.sessions === n);
    // dave is suppressed, and the next smallest (frank) with him so the total cannot give dave away, and erin too:
    // frank, who knows his own 30, would find dave's 15 in the total less erin's 40.
    expect(bySessions(null)).toHaveLength(3);
    for (const r of bySessions(null)) expect([r.meanTotal, r.meanTherapistShare]).toEqual([null, null]);
    expect(body.total.sessions).toBe(85);
    // The weeks report: one week, 85 sessions of 71 clients: published.
    const weeks = await (await adminCall('/v1/reports/weeks?from=2026-01-05&to=2026-01-11', admin.key)).json<{
      rows: Row[];
    }>();
    expect(weeks.rows.map((r) => r.sessions)).toEqual([85]);
  });
});
