// Bad input to the report routes gets a clear 4xx JSON error that does not echo it, and changes nothing: no week
// is frozen by a request that fails (a frozen week never changes again), and nothing is written to the audit log.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromDate } from '../../../worker/admin/reports/range.ts';
import { likertInstrument } from '../../samples.ts';
import { naughty } from '../http/fuzz-strings.ts';
import { storeRaw } from '../caseload/seed.ts';
import { adminCall, seedAdminKey, seedPlatform } from '../helpers.ts';

const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
const W1 = dayFromDate('2026-03-02')! * 86_400 + 9 * 3600;
const MARKER = 'zqECHOx7Q';

async function platformWithAClosedWeek() {
  const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
  const admin = await seedAdminKey(p.platformId);
  for (let i = 0; i < 12; i++)
    await storeRaw(p.platformId, { sid: `s${i}`, tid: 't', cid: `c${i}`, at: W1 + i, total: 30 });
  return { p, admin };
}

async function written(platformId: string) {
  const count = (table: string) =>
    env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE platform_id = ?1`).bind(platformId).first<number>('n');
  return {
    weeks: await count('published_weeks'),
    cells: await count('published_cells'),
    instrumentCells: await count('published_instrument_cells'),
    instrumentWeeks: await count('published_instrument_weeks'),
    audit: await count('audit_log'),
  };
}

const NOTHING = { weeks: 0, cells: 0, instrumentCells: 0, instrumentWeeks: 0, audit: 0 };
const RANGE = 'from=2026-03-02&to=2026-03-08';

describe('bad input to GET /v1/reports/{therapists,weeks}', () => {
  it('each bad parameter is a 4xx with its code, echoes nothing, freezes and audits nothing', async () => {
    const { p, admin } = await platformWithAClosedWeek();
    const bad: [string, number, string][] = [
      [`${RANGE}&format=xml${MARKER}`, 400, 'invalid_format'],
      [`${RANGE}&format=CSV`, 400, 'invalid_format'],
      [`${RANGE}&format=`, 400, 'invalid_format'],
      [`from=2026-02-30${MARKER}&to=2026-03-08`, 400, 'invalid_range'],
      [`from=2026-02-30&to=2026-03-08`, 400, 'invalid_range'],
      [`from=2026-3-2&to=2026-03-08`, 400, 'invalid_range'],
      [`from=2026-03-09&to=2026-03-02`, 400, 'invalid_range'],
      [`from=2020-01-01&to=2026-03-08`, 400, 'invalid_range'],
      [`from=&to=2026-03-08`, 400, 'invalid_range'],
      [`${RANGE}&instrument=srs-${MARKER}`, 422, 'unknown_instrument'],
      [`${RANGE}&instrument=`, 422, 'unknown_instrument'],
      [`${RANGE}&instrument=${'x'.repeat(5000)}${MARKER}`, 422, 'unknown_instrument'],
      // A version is not an id: the instrument is named by id only.
      [`${RANGE}&instrument=likert-3%402`, 422, 'unknown_instrument'],
      // A good instrument does not excuse a bad format or range.
      [`${RANGE}&instrument=likert-3&format=pdf`, 400, 'invalid_format'],
      [`from=2026-03-32&to=2026-03-08&instrument=likert-3`, 400, 'invalid_range'],
    ];
    for (const kind of ['therapists', 'weeks'])
      for (const [query, status, code] of bad) {
        const res = await adminCall(`/v1/reports/${kind}?${query}`, admin.key);
        const text = await res.text();
        expect([query, res.status]).toEqual([query, status]);
        expect(res.headers.get('Content-Type')).toContain('application/json');
        expect(JSON.parse(text)).toMatchObject({ error: { code } });
        expect(text).not.toContain(MARKER);
      }
    for (const kind of ['therapists', 'weeks']) {
      const post = await adminCall(`/v1/reports/${kind}?${RANGE}`, admin.key, { method: 'POST' });
      expect(post.status).toBe(405);
    }
    expect(await written(p.platformId)).toEqual(NOTHING);
    // The same read, well formed, freezes the week and is audited (so the counts above could have moved).
    expect((await adminCall(`/v1/reports/weeks?${RANGE}&instrument=likert-3`, admin.key)).status).toBe(200);
    expect(await written(p.platformId)).toMatchObject({ weeks: 1, cells: 1, instrumentCells: 1, audit: 1 });
  });

  it('a naughty instrument is 422 unknown_instrument (never a 500), echoes nothing, and freezes nothing', async () => {
    const { p, admin } = await platformWithAClosedWeek();
    await fc.assert(
      fc.asyncProperty(naughty, async (s) => {
        const res = await adminCall(
          `/v1/reports/therapists?${RANGE}&instrument=${encodeURIComponent(`${s}${MARKER}`)}`,
          admin.key,
        );
        expect(res.status).toBe(422);
        expect(await res.text()).not.toContain(MARKER);
      }),
      { numRuns: 40 },
    );
    expect(await written(p.platformId)).toEqual(NOTHING);
  });
});
