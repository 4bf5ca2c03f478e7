import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT, type Instrument } from '../../../schemas/index.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { checkItems } from '../../../worker/sessions/rating-items.ts';
import { postJson, seedPlatform, sessionPath } from '../helpers.ts';

const values = (...v: number[]) => DEFAULT_INSTRUMENT.items.map((it, i) => ({ id: it.id, value: v[i]! }));

describe('stored values are on the instrument’s grid', () => {
  it('checkItems returns the snapped value for anything within the step tolerance', () => {
    const snapped = checkItems(DEFAULT_INSTRUMENT, values(7.00000005, 1e-320, 0.1 + 0.2, 9.9999999));
    expect(snapped.map((i) => i.value)).toEqual([7, 0, 0.3, 10]);
    expect(Object.is(checkItems(DEFAULT_INSTRUMENT, values(-1e-12, 1, 1, 1))[0]!.value, 0)).toBe(true);
    const likert: Instrument = { ...DEFAULT_INSTRUMENT, min: 1, max: 7, step: 0.5 };
    expect(checkItems(likert, values(2.4999999, 1, 1, 1))[0]!.value).toBe(2.5);
  });

  it('7.00000005 and 1e-320 are stored as 7 and 0, and the total is the grid total', async () => {
    const p = await seedPlatform();
    const res = await postJson(sessionPath('rating'), await p.mint({}), {
      kind: 'rating',
      instrument: DEFAULT_INSTRUMENT.id,
      version: DEFAULT_INSTRUMENT.version,
      items: values(7.00000005, 1e-320, 5, 5),
    });
    expect(res.status).toBe(201);
    const sidHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', p.refs.sid);
    const row = await env.DB.prepare('SELECT items, total FROM ratings WHERE platform_id = ?1 AND sid_hash = ?2')
      .bind(p.platformId, sidHash)
      .first<{ items: string; total: number }>();
    expect(row!.items).toBe(JSON.stringify(values(7, 0, 5, 5)));
    expect(row!.total).toBe(17);
  });
});
