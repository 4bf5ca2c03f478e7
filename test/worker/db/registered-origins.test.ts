import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertOrigin } from '../seed-queries.ts';
import { ORIGIN_CACHE_TTL_MS, originRegistered } from '../../../worker/db/registered-origins.ts';
import { seedPlatform } from '../helpers.ts';

/** A D1 stand-in that answers from a set of `platform\norigin` rows and counts the queries. */
function fakeDb(rows: Set<string>) {
  const db = {
    queries: 0,
    prepare: (sql: string) => ({
      bind: (...args: string[]) => ({
        first: async () => {
          db.queries++;
          const hit = sql.includes('platform_id = ?1')
            ? rows.has(`${args[0]}\n${args[1]}`)
            : [...rows].some((r) => r.endsWith(`\n${args[0]}`));
          return hit ? { ok: 1 } : null;
        },
      }),
    }),
  };
  return db;
}

describe('originRegistered (per-isolate cache of positive answers)', () => {
  // Every test asks about origins of its own: the per-isolate cache is module state that outlives a test.
  let run = '';
  beforeEach(() => {
    run = crypto.randomUUID();
  });

  it('answers a repeated positive lookup without D1 until the TTL passes', async () => {
    const db = fakeDb(new Set([`p1\nhttps://care-${run}.example`]));
    const d1 = db as unknown as D1Database;
    expect(await originRegistered(d1, `https://care-${run}.example`, 'p1', 1000)).toBe(true);
    expect(await originRegistered(d1, `https://care-${run}.example`, 'p1', 1000 + ORIGIN_CACHE_TTL_MS - 1)).toBe(true);
    expect(db.queries).toBe(1);
    // Registered for a platform implies registered for some platform (the preflight's question).
    expect(await originRegistered(d1, `https://care-${run}.example`, undefined, 1001)).toBe(true);
    expect(db.queries).toBe(1);
    expect(await originRegistered(d1, `https://care-${run}.example`, 'p1', 1000 + ORIGIN_CACHE_TTL_MS)).toBe(true);
    expect(db.queries).toBe(2);
  });

  it('does not keep negatives: an origin registered later works at once', async () => {
    const rows = new Set<string>();
    const db = fakeDb(rows);
    const d1 = db as unknown as D1Database;
    expect(await originRegistered(d1, `https://new-${run}.example`)).toBe(false);
    expect(await originRegistered(d1, `https://new-${run}.example`, 'p1')).toBe(false);
    rows.add(`p1\nhttps://new-${run}.example`);
    expect(await originRegistered(d1, `https://new-${run}.example`)).toBe(true);
    expect(await originRegistered(d1, `https://new-${run}.example`, 'p1')).toBe(true);
  });

  it('keeps platforms apart: a positive for one platform says nothing about another', async () => {
    const db = fakeDb(new Set([`p1\nhttps://care-${run}.example`]));
    const d1 = db as unknown as D1Database;
    expect(await originRegistered(d1, `https://care-${run}.example`, 'p1')).toBe(true);
    expect(await originRegistered(d1, `https://care-${run}.example`, 'p2')).toBe(false);
    expect(await originRegistered(d1, `https://evil-${run}.example`)).toBe(false);
  });

  it('concurrent misses each ask D1 (no request awaits another request’s lookup); the answer is cached after', async () => {
    const db = fakeDb(new Set([`p1\nhttps://care-${run}.example`]));
    const d1 = db as unknown as D1Database;
    const answers = await Promise.all([1, 2, 3].map(() => originRegistered(d1, `https://care-${run}.example`)));
    expect(answers).toEqual([true, true, true]);
    expect(db.queries).toBe(3);
    expect(await originRegistered(d1, `https://care-${run}.example`)).toBe(true);
    expect(db.queries).toBe(3);
  });

  it('reads the real table', async () => {
    const p = await seedPlatform({ origins: [`https://cache-${run}.example`] });
    expect(await originRegistered(env.DB, `https://cache-${run}.example`, p.platformId)).toBe(true);
    expect(await originRegistered(env.DB, `https://other-cache-${run}.example`, p.platformId)).toBe(false);
    await insertOrigin(env.DB, p.platformId, `https://other-cache-${run}.example`).run();
    expect(await originRegistered(env.DB, `https://other-cache-${run}.example`, p.platformId)).toBe(true);
  });
});
