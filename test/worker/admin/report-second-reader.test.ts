// A second reader of the admin reports: reads two or more published reports of the same weeks (on each instrument,
// by therapist and by week, as JSON and CSV) and tries to recover what small-cell suppression hides.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../schemas/admin.ts';
import { DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import { type CaseloadSession, storeRaw } from '../caseload/seed.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { adminCall, everyCell, seedAdminKey, seedPlatform } from '../helpers.ts';
import { dayFromDate } from '../../../worker/admin/reports/range.ts';
import { leaks } from './report-audit.ts';
import { DAY, LIKERT, rated, readReport, W1 } from './report-seed.ts';

const BUILTIN = DEFAULT_INSTRUMENT.id;
const RANGE = 'from=2026-03-02&to=2026-03-08';

async function store(platformId: string, ...lists: CaseloadSession[][]) {
  for (const s of lists.flat()) await storeRaw(platformId, s);
}

/** The therapists and weeks reports of RANGE on both instruments. */
async function everyReport(key: string): Promise<Report[]> {
  const out: Report[] = [];
  for (const kind of ['therapists', 'weeks'])
    for (const instrument of [BUILTIN, 'likert-3'])
      out.push(await readReport(key, `/v1/reports/${kind}?${RANGE}&instrument=${instrument}`));
  return out;
}

describe('a second reader of two instruments’ reports', () => {
  it('attack: a therapist’s sessions minus its sessions on one instrument give its suppressed cell on the other', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // a: 20 built-in + 8 likert; b: 30 likert; c: 14 built-in. a's 8 on the likert are under 11.
    await store(
      p.platformId,
      rated('a', 20, W1, 30),
      rated('a', 8, W1 + 3000, 4, LIKERT),
      rated('b', 30, W1 + 6000, 15, LIKERT),
      rated('c', 14, W1 + 9000, 34),
    );
    const reports = await everyReport(admin.key);
    const [builtin, likert] = reports;
    // The likert report hides a's 8 (b's 30 are b's whole published cell: hiding them with a's would hide nothing) ...
    const onLikert = (n: number) => likert!.rows.find((r) => r.sessions === n)!.instrumentSessions;
    expect([onLikert(28), onLikert(30), onLikert(14)]).toEqual([null, 30, null]);
    // ... so the built-in report must not publish a's 28 sessions beside its 20 on the built-in scale (28 − 20 = 8),
    // nor a built-in total that, less c's 14 (c's whole cell), leaves a's 20.
    const a = builtin!.rows.find((r) => r.sessions === 28)!;
    expect(a.instrumentSessions).toBeNull();
    expect(leaks(reports, [BUILTIN, 'likert-3'])).toEqual([]);
    // c's cell is on one instrument: its sessions already say how many it had there, so it stays published.
    expect(builtin!.rows.find((r) => r.sessions === 14)).toMatchObject({ instrumentSessions: 14, meanTotal: 34 });
  });

  it('attack: a week’s sessions minus its sessions on one instrument give the other instrument’s suppressed week total', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // a: 30 built-in; b: 8 likert (the week's whole likert total: under 11); c: 20 built-in.
    await store(
      p.platformId,
      rated('a', 30, W1, 30),
      rated('b', 8, W1 + 3000, 9, LIKERT),
      rated('c', 20, W1 + 6000, 20),
    );
    const reports = await everyReport(admin.key);
    const weeks = reports.filter((r) => r.report === 'weeks');
    for (const w of weeks) expect(w.rows[0]).toMatchObject({ sessions: 58, instrumentSessions: null, meanTotal: null });
    expect(leaks(reports, [BUILTIN, 'likert-3'])).toEqual([]);
  });

  it('attack: weeksWithoutInstrument names a week whose sessions are suppressed (it had rated sessions, not none)', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    // Two weeks as 0006 froze them, both suppressed: one with 3 rated sessions, one with none rated (asked only).
    const week = (dayFromDate('2026-03-02')! + 3) / 7;
    const cell = (w: number, rated: number) =>
      env.DB.prepare(
        `INSERT INTO published_cells (platform_id, week, therapist_hash, asked, rated, declined, total_sum, flagged, share_sum, share_n, rated_clients, share_clients)
         VALUES (?1, ?2, ?3, 4, ?4, 0, 0, 0, 0, 0, ?4, 0)`,
      ).bind(p.platformId, w, 'c'.repeat(64), rated);
    const frozen = (w: number, rated: number) =>
      env.DB.prepare(
        'INSERT INTO published_weeks (platform_id, week, rated_clients, share_clients, published_at) VALUES (?1, ?2, ?3, 0, 1)',
      ).bind(p.platformId, w, rated);
    await env.DB.batch([frozen(week, 3), cell(week, 3), frozen(week + 1, 0), cell(week + 1, 0)]);
    const body = await readReport(admin.key, '/v1/reports/weeks?from=2026-03-02&to=2026-03-15');
    expect(body.rows.map((r) => r.sessions)).toEqual([null, null]);
    expect(body.weeksWithoutInstrument).toEqual([]);
  });
});

describe('a second reader of two ranges', () => {
  it('a range with a week added, less the range without it, gives that week’s own report and nothing more', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    const W2 = W1 + 7 * DAY;
    // Mixed cells in both weeks, with small parts on either instrument.
    await store(
      p.platformId,
      rated('a', 20, W1, 30),
      rated('a', 8, W1 + 3000, 4, LIKERT),
      rated('b', 30, W1 + 6000, 15, LIKERT),
      rated('a', 13, W2, 28),
      rated('a', 14, W2 + 3000, 6, LIKERT),
      rated('b', 6, W2 + 6000, 12, LIKERT),
      rated('c', 25, W2 + 9000, 35),
    );
    for (const instrument of [BUILTIN, 'likert-3']) {
      const q = (from: string, to: string) => `/v1/reports/therapists?from=${from}&to=${to}&instrument=${instrument}`;
      const one = await readReport(admin.key, q('2026-03-02', '2026-03-08'));
      const two = await readReport(admin.key, q('2026-03-02', '2026-03-15'));
      const added = await readReport(admin.key, q('2026-03-09', '2026-03-15'));
      const byKey = (r: Report) => new Map([...r.rows, r.total].map((x) => [x.key, x]));
      const [a, b, c] = [byKey(one), byKey(two), byKey(added)];
      for (const [key, row] of b) {
        for (const what of ['sessions', 'instrumentSessions'] as const) {
          // What differencing gives: the two-week figure less the one-week figure (an absent or null figure as 0).
          const diff = (row[what] ?? 0) - (a.get(key)?.[what] ?? 0);
          expect([key, what, diff]).toEqual([key, what, c.get(key)?.[what] ?? 0]);
        }
        const sum = (r: Report['rows'][number] | undefined) => (r?.meanTotal ?? 0) * (r?.instrumentSessions ?? 0);
        expect(sum(row) - sum(a.get(key))).toBeCloseTo(sum(c.get(key)), 1);
      }
    }
  });
});

describe('a second reader of one report in two forms, and of the audit log', () => {
  it('the CSV of a read publishes exactly the JSON’s figures (no more digits, no hidden cell)', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    await store(
      p.platformId,
      rated('a', 20, W1, 30.37),
      rated('a', 8, W1 + 3000, 4, LIKERT),
      rated('b', 30, W1 + 6000, 15.11, LIKERT),
      rated('c', 14, W1 + 9000, 34),
      rated('d', 5, W1 + 12000, 12),
    );
    for (const kind of ['therapists', 'weeks'])
      for (const instrument of [BUILTIN, 'likert-3']) {
        const path = `/v1/reports/${kind}?${RANGE}&instrument=${instrument}`;
        const json = await readReport(admin.key, path);
        const csv = await (await adminCall(`${path}&format=csv`, admin.key)).text();
        const field = (v: string | number | null) => (v === null ? '' : String(v));
        const expected = [...json.rows, json.total].map((r) =>
          [
            r.key,
            r.sessions,
            r.asked,
            json.instrument.id,
            json.instrument.version,
            r.instrumentSessions,
            r.meanTotal,
            r.flaggedShare,
            r.completionRate,
            r.meanTherapistShare,
          ]
            .map(field)
            .join(','),
        );
        expect(csv.trimEnd().split('\r\n').slice(1)).toEqual(expected);
      }
  });

  it('reads of one range on two instruments are marked as a near repeat in the audit log', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    await store(p.platformId, rated('a', 12, W1, 30));
    await readReport(admin.key, `/v1/reports/therapists?${RANGE}&instrument=${BUILTIN}`);
    expect((await adminCall(`/v1/reports/therapists?${RANGE}&instrument=likert-3&format=csv`, admin.key)).status).toBe(
      200,
    );
    const log = await env.DB.prepare(
      'SELECT id, near_repeat_of AS near FROM audit_log WHERE platform_id = ?1 ORDER BY id',
    )
      .bind(p.platformId)
      .all<{ id: number; near: number | null }>();
    expect(log.results.map((r) => r.near)).toEqual([null, log.results[0]!.id]);
  });
});

describe('no raw ids in D1 or in a report', () => {
  it('the frozen tables, the audit log and the reports hold keyed hashes and short pseudonyms only', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    const raw = (n: number, instrument?: CaseloadSession['instrument']) =>
      Array.from({ length: n }, (_, i) => ({
        sid: `RAWSID-${instrument?.id ?? 'b'}-${i}`,
        tid: 'RAWTID-dr-who',
        cid: `RAWCID-${i % 7}`,
        at: W1 + 60 * i,
        total: 12,
        share: 0.3,
        ...(instrument ? { instrument } : {}),
      }));
    await store(p.platformId, raw(14), raw(12, LIKERT));
    const outputs: string[] = [];
    for (const kind of ['therapists', 'weeks'])
      for (const format of ['json', 'csv'])
        outputs.push(await (await adminCall(`/v1/reports/${kind}?${RANGE}&format=${format}`, admin.key)).text());
    const therapistHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'tid', 'RAWTID-dr-who');
    const frozen = await env.DB.prepare(
      `SELECT therapist_hash FROM published_cells WHERE platform_id = ?1
       UNION SELECT therapist_hash FROM published_instrument_cells WHERE platform_id = ?1`,
    )
      .bind(p.platformId)
      .all<{ therapist_hash: string }>();
    expect(frozen.results).toEqual([{ therapist_hash: therapistHash }]);
    const stored = (await everyCell()).join('\n');
    for (const text of [stored, ...outputs]) expect(text).not.toMatch(/RAW(SID|TID|CID)/);
    // A report names the therapist by a 10-character prefix of its keyed hash, never the hash itself.
    for (const text of outputs) {
      expect(text).not.toContain(therapistHash);
      expect(text).not.toMatch(/[0-9a-f]{32}/);
    }
    expect(outputs[0]).toContain(`t_${therapistHash.slice(0, 10)}`);
  });
});
