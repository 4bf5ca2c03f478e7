import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../schemas/index.ts';
import { call, postJson, seedPlatform, sessionPath, type TestPlatform } from './helpers.ts';

/** A rating whose four items sum to `total` (each item total / 4, one decimal). */
const ratingOf = (total: number) => ({
  kind: 'rating',
  instrument: 'attune-session-4',
  version: 1,
  items: ['bond', 'goals', 'approach', 'overall'].map((id) => ({ id, value: total / 4 })),
});

async function rate(p: TestPlatform, sid: string, tid: string, total: number) {
  const res = await postJson(sessionPath('rating'), await p.mint({ sid, tid }), ratingOf(total));
  expect(res.status).toBe(201);
}

async function flagsOf(p: TestPlatform, sid: string, tid: string) {
  const summary = await (await call(sessionPath('summary'), { token: await p.mint({ sid, tid, role: 'therapist' }) })).json<SessionSummary>();
  return summary.flags;
}

describe('the dropped flag', () => {
  it('compares with the same client’s previous session with the same therapist, not another therapist’s', async () => {
    const p = await seedPlatform();
    await rate(p, 'drop-a1', 'therapist-a', 39.2);
    await rate(p, 'drop-b1', 'therapist-b', 30);
    // Therapist A's next session: lower than A's previous (39.2), higher than B's (30), which is more recent.
    await rate(p, 'drop-a2', 'therapist-a', 36);
    expect(await flagsOf(p, 'drop-a2', 'therapist-a')).toContain('dropped');
  });

  it('follows the session order (client_seq), not the order the ratings came in', async () => {
    const p = await seedPlatform();
    // Sessions 1 and 2 are recorded in that order (context at mount), but session 1 is rated after session 2.
    for (const sid of ['order-1', 'order-2']) expect((await call('/v1/context', { token: await p.mint({ sid }) })).status).toBe(200);
    await rate(p, 'order-2', p.refs.tid, 30);
    await rate(p, 'order-1', p.refs.tid, 39.2);
    // Make the rating times say the opposite of the session order, whatever second they fell in.
    await env.DB.prepare('UPDATE ratings SET rated_at = rated_at - 100 WHERE platform_id = ?1 AND total = 30').bind(p.platformId).run();
    // Session 3 follows session 2 (30): 36 is no drop, although the latest rating (session 1) was 39.2.
    await rate(p, 'order-3', p.refs.tid, 36);
    expect(await flagsOf(p, 'order-3', p.refs.tid)).not.toContain('dropped');
  });
});
