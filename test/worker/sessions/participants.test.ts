import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import { call, GOOD_PACING, GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';

/** Rating and pacing rows whose participants differ from their session row's (must never exist). */
async function mismatchedRows(platformId: string): Promise<number> {
  const q = (table: string) =>
    env.DB.prepare(
      `SELECT count(*) AS n FROM ${table} x JOIN sessions s ON s.platform_id = x.platform_id AND s.sid_hash = x.sid_hash
        WHERE x.platform_id = ?1 AND (x.therapist_hash <> s.therapist_hash OR x.client_hash <> s.client_hash)`,
    )
      .bind(platformId)
      .first<number>('n');
  return (await q('ratings'))! + (await q('pacing'))!;
}

describe('a session keeps the participants it was first recorded with, under concurrent first writes', () => {
  it('pacing (client A) and a rating (client B) racing on a new session: one is stored, the other is 403 with no record', async () => {
    const p = await seedPlatform();
    for (let i = 0; i < 6; i++) {
      const sid = `race-${i}`;
      const [pacing, rating] = await Promise.all([
        postJson(sessionPath('pacing'), await p.mint({ sid, role: 'therapist', cid: 'client-a' }), GOOD_PACING),
        postJson(sessionPath('rating'), await p.mint({ sid, cid: 'client-b' }), GOOD_RATING),
      ]);
      expect([pacing.status, rating.status].sort(), sid).toEqual([201, 403]);
      const refused = pacing.status === 403 ? pacing : rating;
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('session_mismatch');
    }
    expect(await mismatchedRows(p.platformId)).toBe(0);
    // Only the stored writes have an idempotency record.
    const stored = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM ratings WHERE platform_id = ?1) + (SELECT count(*) FROM pacing WHERE platform_id = ?1) AS facts,
              (SELECT count(*) FROM idempotency WHERE platform_id = ?1) AS records`,
    )
      .bind(p.platformId)
      .first<{ facts: number; records: number }>();
    expect(stored).toEqual({ facts: 6, records: 6 });
  });

  it('two ratings naming different clients racing on a new session: exactly one is stored, the other is 403', async () => {
    const p = await seedPlatform();
    for (let i = 0; i < 4; i++) {
      const sid = `race-rating-${i}`;
      const results = await Promise.all(
        ['client-a', 'client-b'].map(async (cid) =>
          postJson(sessionPath('rating'), await p.mint({ sid, cid }), GOOD_RATING),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 403]);
    }
    expect(await mismatchedRows(p.platformId)).toBe(0);
  });
});

describe('GET /v1/context under concurrent first calls', () => {
  it('two clients naming the same new session: one records it, the other gets 403 session_mismatch', async () => {
    const p = await seedPlatform();
    for (let i = 0; i < 4; i++) {
      const sid = `race-context-${i}`;
      const results = await Promise.all(
        ['client-a', 'client-b'].map(async (cid) => call('/v1/context', { token: await p.mint({ sid, cid }) })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    }
  });
});

describe('a session keeps the instrument it was first recorded with', () => {
  it('a later token naming another instrument for the same session: 409 session_instrument_mismatch, nothing stored', async () => {
    const other = { ...DEFAULT_INSTRUMENT, id: 'srs-licensed' };
    const p = await seedPlatform({ settings: { instruments: [other] } });
    const first = await call('/v1/context', { token: await p.mint({}) });
    expect(first.status).toBe(200);
    const rating = {
      kind: 'rating',
      instrument: other.id,
      version: other.version,
      items: other.items.map((i) => ({ id: i.id, value: 7 })),
    };
    const res = await postJson(sessionPath('rating'), await p.mint({ ins: other.id }), rating);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('session_instrument_mismatch');
    const stored = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM ratings WHERE platform_id = ?1) AS ratings,
              (SELECT count(*) FROM idempotency WHERE platform_id = ?1) AS records`,
    )
      .bind(p.platformId)
      .first<{ ratings: number; records: number }>();
    expect(stored).toEqual({ ratings: 0, records: 0 });
    // The session's own instrument still takes the rating.
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
  });
});
