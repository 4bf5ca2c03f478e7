// A second reader at the edges of a report: caches between the Worker and readers, ranges shifted within the same
// weeks, and cells exactly at the thresholds (11 sessions, 5 distinct clients), through the routes.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../schemas/admin.ts';
import { storeRaw } from '../caseload/seed.ts';
import { adminCall, seedAdminKey, seedPlatform } from '../helpers.ts';
import { LIKERT, rated, readReport, W1 } from './report-seed.ts';

const RANGE = 'from=2026-03-02&to=2026-03-08';

/** What a report publishes, without the request's own range. */
const figures = (r: Report) => ({ rows: r.rows, total: r.total, instrument: r.instrument });

describe('report answers and caches', () => {
  it('every report answer (JSON, CSV, refused) is no-store, and two platforms reading one URL get their own', async () => {
    const a = await seedPlatform();
    const b = await seedPlatform();
    const [ka, kb] = [await seedAdminKey(a.platformId), await seedAdminKey(b.platformId)];
    for (const s of rated('x', 12, W1, 30)) await storeRaw(a.platformId, s);
    for (const s of rated('y', 20, W1, 10)) await storeRaw(b.platformId, s);
    const answers = [
      await adminCall(`/v1/reports/therapists?${RANGE}`, ka.key),
      await adminCall(`/v1/reports/weeks?${RANGE}&format=csv`, ka.key),
      await adminCall('/v1/reports/weeks?from=2026-13-01', ka.key),
      await adminCall(`/v1/reports/weeks?${RANGE}`, 'attune_admin_nobody'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 400, 401]);
    for (const r of answers) expect(r.headers.get('Cache-Control')).toBe('no-store');
    const [ra, rb] = [
      await readReport(ka.key, `/v1/reports/weeks?${RANGE}`),
      await readReport(kb.key, `/v1/reports/weeks?${RANGE}`),
    ];
    expect([ra.total.sessions, ra.total.meanTotal, rb.total.sessions, rb.total.meanTotal]).toEqual([12, 30, 20, 10]);
  });
});

describe('ranges shifted within the same weeks', () => {
  it('a range one day or six days off, at either end, publishes the same figures', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    for (const s of [...rated('a', 3, W1, 8), ...rated('c', 12, W1 + 3600, 30), ...rated('d', 30, W1 + 7200, 25)])
      await storeRaw(p.platformId, s);
    const read = (from: string, to: string) => readReport(admin.key, `/v1/reports/therapists?from=${from}&to=${to}`);
    const base = figures(await read('2026-03-02', '2026-03-08'));
    for (const [from, to] of [
      ['2026-03-03', '2026-03-08'],
      ['2026-03-08', '2026-03-08'],
      ['2026-03-02', '2026-03-02'],
      ['2026-03-04', '2026-03-05'],
    ])
      expect([from, to, figures(await read(from!, to!))]).toEqual([from, to, base]);
  });
});

describe('cells exactly at the thresholds', () => {
  it('11 sessions of 5 clients are published; 10 sessions, or 11 of 4 clients, are not', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const ofClients = (tid: string, n: number, clients: number, at: number) =>
      rated(tid, n, at, 20).map((s, i) => ({ ...s, cid: `${tid}-client-${i % clients}` }));
    // Week 1: e has 11 sessions of 5 clients, f 12, g 13: nothing hidden.
    // Week 2: h has 10 sessions of 10 clients; i 11 sessions of 4 clients; j 12, k 13, l 14.
    const W2 = W1 + 7 * 86_400;
    for (const s of [
      ...ofClients('e', 11, 5, W1),
      ...ofClients('f', 12, 12, W1 + 3600),
      ...ofClients('g', 13, 13, W1 + 7200),
      ...ofClients('h', 10, 10, W2),
      ...ofClients('i', 11, 4, W2 + 3600),
      ...ofClients('j', 12, 12, W2 + 7200),
      ...ofClients('k', 13, 13, W2 + 10_800),
      ...ofClients('l', 14, 14, W2 + 14_400),
    ])
      await storeRaw(p.platformId, s);
    const shown = (r: Report) => r.rows.flatMap((x) => (x.sessions === null ? [] : [x.sessions])).sort((a, b) => a - b);
    const one = await readReport(admin.key, '/v1/reports/therapists?from=2026-03-02&to=2026-03-08');
    expect([shown(one), one.total.sessions]).toEqual([[11, 12, 13], 36]);
    const two = await readReport(admin.key, '/v1/reports/therapists?from=2026-03-09&to=2026-03-15');
    // h and i hidden, and j with them (the next smallest): i or j, knowing their own, still leave two cells on 21+.
    expect([shown(two), two.rows.length, two.total.sessions]).toEqual([[13, 14], 5, 60]);
  });
});

describe('a report per platform setting', () => {
  it('an instrument version added, then the instrument removed, changes no published figure', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    for (const s of [
      ...rated('a', 20, W1, 30),
      ...rated('a', 8, W1 + 3000, 4, LIKERT),
      ...rated('b', 30, W1 + 6000, 15, LIKERT),
      ...rated('c', 14, W1 + 9000, 34),
      ...rated('d', 40, W1 + 12_000, 22),
    ])
      await storeRaw(p.platformId, s);
    const read = async (instrument: string) =>
      figures(await readReport(admin.key, `/v1/reports/therapists?${RANGE}&instrument=${instrument}`));
    const setting = (settings: object) =>
      env.DB.prepare('UPDATE platforms SET settings = ?2 WHERE id = ?1')
        .bind(p.platformId, JSON.stringify(settings))
        .run();
    const before = [await read('attune-session-4'), await read('likert-3')];
    await setting({ instruments: [LIKERT, { ...LIKERT, version: 3 }] });
    expect([await read('attune-session-4'), await read('likert-3')]).toEqual(before);
    await setting({});
    expect(await read('attune-session-4')).toEqual(before[0]);
    expect((await adminCall(`/v1/reports/therapists?${RANGE}&instrument=likert-3`, admin.key)).status).toBe(422);
  });
});
