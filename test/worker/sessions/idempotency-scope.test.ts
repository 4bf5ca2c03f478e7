import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { GOOD_PACING, GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';

const post = (path: string, token: string, key: string, body: unknown) =>
  postJson(path, token, body, { 'Idempotency-Key': key });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('idempotency keys are scoped per session', () => {
  it('a key reused in another session is a new request there (201), not 409 idempotency_conflict', async () => {
    const p = await seedPlatform();
    const key = 'reused-across-sessions-1';
    for (const sid of ['scope-a', 'scope-b']) {
      const res = await post(sessionPath('rating'), await p.mint({ sid }), key, GOOD_RATING);
      expect(res.status, sid).toBe(201);
      expect(res.headers.get('Idempotent-Replayed')).toBeNull();
    }
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM ratings WHERE platform_id = ?1').bind(p.platformId).first('n'),
    ).toBe(2);
  });

  it('in the same session the semantics are today’s: replay, idempotency_conflict, already_rated', async () => {
    const p = await seedPlatform();
    const client = await p.mint({});
    const key = 'same-session-key-00001';
    expect((await post(sessionPath('rating'), client, key, GOOD_RATING)).status).toBe(201);
    const replay = await post(sessionPath('rating'), client, key, GOOD_RATING);
    expect([replay.status, replay.headers.get('Idempotent-Replayed')]).toEqual([201, 'true']);
    const changed = await post(sessionPath('rating'), client, key, { kind: 'declined' });
    expect([changed.status, await codeOf(changed)]).toEqual([409, 'idempotency_conflict']);
    const other = await post(sessionPath('rating'), client, 'another-key-0000001', { kind: 'declined' });
    expect([other.status, await codeOf(other)]).toEqual([409, 'already_rated']);
    // The same key on the session's pacing route is the same key for another request: a conflict.
    const pacing = await post(sessionPath('pacing'), await p.mint({ role: 'therapist' }), key, GOOD_PACING);
    expect([pacing.status, await codeOf(pacing)]).toEqual([409, 'idempotency_conflict']);
  });

  it('already_rated goes only to the client the session was recorded with; another client gets 403 session_mismatch', async () => {
    const p = await seedPlatform();
    expect((await post(sessionPath('rating'), await p.mint({}), 'first-client-key-0001', GOOD_RATING)).status).toBe(
      201,
    );
    const intruder = await post(
      sessionPath('rating'),
      await p.mint({ cid: 'someone-else' }),
      'second-client-key-001',
      GOOD_RATING,
    );
    expect([intruder.status, await codeOf(intruder)]).toEqual([403, 'session_mismatch']);
  });
});
