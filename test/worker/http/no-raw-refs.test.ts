import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, everyCell, GOOD_PACING, GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';

describe('D1 holds no raw refs', () => {
  it('after a full session, no table contains the raw sid, tid, cid or sub', async () => {
    const p = await seedPlatform({ origins: ['https://care.example'] });
    const raw = {
      sid: 'RAWSID-patient-visit-4711',
      tid: 'RAWTID-dr.jane@clinic.example',
      cid: 'RAWCID-john.doe@mail.example',
    };
    const client = await p.mint({ ...raw, sub: 'RAWSUB-client-sub' });
    const therapist = await p.mint({ ...raw, role: 'therapist', sub: 'RAWSUB-therapist-sub' });
    expect((await postJson(sessionPath('rating'), client, GOOD_RATING)).status).toBe(201);
    expect((await postJson(sessionPath('pacing'), therapist, GOOD_PACING)).status).toBe(201);
    expect((await call(sessionPath('summary'), { token: therapist })).status).toBe(200);

    const cells = await everyCell();
    expect(cells.length).toBeGreaterThan(20);
    for (const needle of ['RAWSID', 'RAWTID', 'RAWCID', 'RAWSUB', 'patient-visit-4711', 'jane', 'john.doe']) {
      expect(
        cells.filter((c) => c.includes(needle)),
        needle,
      ).toEqual([]);
    }
    const row = await env.DB.prepare(
      'SELECT sid_hash, therapist_hash, client_hash FROM sessions WHERE platform_id = ?1',
    )
      .bind(p.platformId)
      .first<Record<string, string>>();
    for (const h of Object.values(row!)) expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the same refs hash differently on two platforms', async () => {
    const a = await seedPlatform();
    const b = await seedPlatform();
    const refs = { sid: 'shared-sid', tid: 'shared-tid', cid: 'shared-cid' };
    expect((await postJson(sessionPath('rating'), await a.mint(refs), GOOD_RATING)).status).toBe(201);
    expect((await postJson(sessionPath('rating'), await b.mint(refs), GOOD_RATING)).status).toBe(201);
    const rows = await env.DB.prepare('SELECT sid_hash, client_hash FROM sessions WHERE platform_id IN (?1, ?2)')
      .bind(a.platformId, b.platformId)
      .all<{ sid_hash: string; client_hash: string }>();
    expect(rows.results).toHaveLength(2);
    expect(rows.results[0]!.sid_hash).not.toBe(rows.results[1]!.sid_hash);
    expect(rows.results[0]!.client_hash).not.toBe(rows.results[1]!.client_hash);
  });
});
