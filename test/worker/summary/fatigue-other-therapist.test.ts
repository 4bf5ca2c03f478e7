// Feedback fatigue ('nth') seen by one therapist: whether their client is asked, shown in their summary ("not asked
// this time": `skipped`) and in whether a rating ever comes, must not depend on the client's sessions with another
// therapist of the platform. Counted over every therapist, it told them how many sessions (modulo n) the client had
// elsewhere on the platform between two of theirs.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { SessionContext, SessionSummary } from '../../../schemas/index.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { storeRaw } from '../caseload/seed.ts';
import { call, seedPlatform, sessionPath, type TestPlatform } from '../helpers.ts';

/** The client opens session `sid` with therapist `tid` (the widget's context): whether they are asked. */
async function clientAsked(p: TestPlatform, sid: string, tid: string): Promise<boolean | undefined> {
  const res = await call('/v1/context', { token: await p.mint({ sid, tid }) });
  expect(res.status).toBe(200);
  return (await res.json<SessionContext>()).ask;
}

/** What therapist `tid` sees of session `sid` in their summary. */
async function therapistSees(p: TestPlatform, sid: string, tid: string) {
  const res = await call(sessionPath('summary'), { token: await p.mint({ sid, tid, role: 'therapist' }) });
  expect(res.status).toBe(200);
  const s = await res.json<SessionSummary>();
  return { asked: s.asked, skipped: s.skipped };
}

describe("'nth' feedback fatigue and a client's other therapists", () => {
  it('what one therapist sees of their sessions is the same whether or not the client also sees another', async () => {
    const views = [];
    for (const elsewhere of [0, 1]) {
      const p = await seedPlatform({ settings: { ask: { mode: 'nth', n: 2 } } });
      const view = [];
      for (let i = 0; i < 4; i++) {
        const ask = await clientAsked(p, `a-${i}`, 'therapist-a');
        view.push({ ask, ...(await therapistSees(p, `a-${i}`, 'therapist-a')) });
        // Between two of a's sessions, the client sees therapist b (or not).
        for (let j = 0; j < elsewhere; j++) await clientAsked(p, `b-${i}-${j}`, 'therapist-b');
      }
      views.push(view);
    }
    expect(views[1]).toEqual(views[0]);
    // Every other session with a is asked, as the setting says.
    expect(views[0]!.map((v) => [v.ask, v.asked, v.skipped])).toEqual([
      [true, true, false],
      [false, false, true],
      [true, true, false],
      [false, false, true],
    ]);
  });

  it('a session recorded before its number (migration 0005) is numbered among its therapist’s sessions only', async () => {
    const p = await seedPlatform({ settings: { ask: { mode: 'nth', n: 2 } } });
    expect(await clientAsked(p, 'b-0', 'therapist-b')).toBe(true);
    await storeRaw(p.platformId, {
      sid: 'a-0',
      tid: 'therapist-a',
      cid: p.refs.cid,
      at: Math.floor(Date.now() / 1000),
    });
    await env.DB.prepare('UPDATE sessions SET client_seq = NULL WHERE platform_id = ?1 AND sid_hash = ?2')
      .bind(p.platformId, await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', 'a-0'))
      .run();
    // a's first session with the client: asked, whatever came before with b.
    expect(await clientAsked(p, 'a-0', 'therapist-a')).toBe(true);
    expect(await clientAsked(p, 'a-1', 'therapist-a')).toBe(false);
  });
});
