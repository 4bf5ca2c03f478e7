// Erasure and retention find a session's idempotency records through the index on the generated sid_hash column
// (idempotency_session_key), not by rebuilding each scope string: SQLite's own query plan for the statements they
// run, checked here, names that index and scans no table.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { eraseClientStatements, expireSessionsStatements } from '../../../worker/db/admin-queries.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { GOOD_PACING, GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';

/** The SQL of every statement `build` prepares, with the values bound to it. */
function prepared(build: (db: D1Database) => D1PreparedStatement[]): { sql: string; values: unknown[] }[] {
  const seen: { sql: string; values: unknown[] }[] = [];
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare')
        return (sql: string) => {
          const entry = { sql, values: [] as unknown[] };
          seen.push(entry);
          const stmt = target.prepare(sql);
          return new Proxy(stmt, {
            get(s, p) {
              if (p === 'bind')
                return (...values: unknown[]) => {
                  entry.values = values;
                  return s.bind(...values);
                };
              const value: unknown = Reflect.get(s, p, s);
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(s) : value;
            },
          });
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  build(db);
  return seen;
}

/** SQLite's plan for one statement, one line per step. */
async function planOf({ sql, values }: { sql: string; values: unknown[] }): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...values)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

async function idempotencyDeletePlan(build: (db: D1Database) => D1PreparedStatement[]): Promise<string[]> {
  const deletes = prepared(build).filter((s) => /DELETE FROM idempotency/.test(s.sql));
  expect(deletes).toHaveLength(1);
  return planOf(deletes[0]!);
}

/** The index on (platform_id, sid_hash, idem_key), searched by the session. */
const BY_SID_HASH =
  /SEARCH idempotency USING (COVERING )?INDEX idempotency_session_key \(platform_id=\? AND sid_hash=\?\)/;

describe('idempotency records deleted with a session', () => {
  it('erasure finds them through the sid_hash index, with no table scan', async () => {
    const plan = await idempotencyDeletePlan((db) => eraseClientStatements(db, 'plt_plan', 'client-hash'));
    expect(plan).toContainEqual(expect.stringMatching(BY_SID_HASH));
    expect(plan.filter((d) => /^SCAN /.test(d))).toEqual([]);
  });

  it('retention finds them through the sid_hash index, with no table scan', async () => {
    const plan = await idempotencyDeletePlan((db) => expireSessionsStatements(db, 'plt_plan', 1_000_000, 100));
    expect(plan).toContainEqual(expect.stringMatching(BY_SID_HASH));
    expect(plan.filter((d) => /^SCAN /.test(d))).toEqual([]);
  });
});

describe('idempotency records deleted with a session (rows)', () => {
  it('erasure deletes the rating and pacing records of the erased client’s sessions, and only those', async () => {
    const p = await seedPlatform();
    const other = await seedPlatform();
    const write = async (t: typeof p, sid: string, cid: string) => {
      expect((await postJson(sessionPath('rating'), await t.mint({ sid, cid }), GOOD_RATING)).status).toBe(201);
      const therapist = await t.mint({ sid, cid, role: 'therapist' });
      expect((await postJson(sessionPath('pacing'), therapist, GOOD_PACING)).status).toBe(201);
    };
    await write(p, 'plan-s1', 'plan-gone');
    await write(p, 'plan-s2', 'plan-gone');
    await write(p, 'plan-s3', 'plan-kept');
    // The same raw refs on another platform: another client, kept.
    await write(other, 'plan-s1', 'plan-gone');
    const scopes = async (platformId: string) =>
      (
        await env.DB.prepare('SELECT scope FROM idempotency WHERE platform_id = ?1 ORDER BY scope')
          .bind(platformId)
          .all<{ scope: string }>()
      ).results.map((r) => r.scope.split(':')[0]);
    const sidOf = (platformId: string, sid: string) => hashRef(env.REF_HASH_SECRET, platformId, 'sid', sid);
    const kept = `rating:${await sidOf(p.platformId, 'plan-s3')}`;

    const gone = await hashRef(env.REF_HASH_SECRET, p.platformId, 'cid', 'plan-gone');
    await env.DB.batch(eraseClientStatements(env.DB, p.platformId, gone));

    const left = await env.DB.prepare('SELECT scope FROM idempotency WHERE platform_id = ?1 ORDER BY scope')
      .bind(p.platformId)
      .all<{ scope: string }>();
    expect(left.results.map((r) => r.scope).sort()).toEqual(
      [kept, `pacing:${await sidOf(p.platformId, 'plan-s3')}`].sort(),
    );
    expect(await scopes(other.platformId)).toEqual(['pacing', 'rating']);
  });
});
