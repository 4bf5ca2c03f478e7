// A therapist's live socket does not outlive the key its token was signed with: once the platform revokes that key,
// the socket gets no later summary and is closed 1008, as its reconnect would be refused 401. A socket opened with a
// token of the platform's other, still active key (a rotation) keeps getting the summaries.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RatingReceipt, SessionSummary } from '../../../schemas/index.ts';
import { generateKey } from '../../../sdk/keys.ts';
import { mintToken } from '../../../sdk/mint-token.ts';
import { GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';
import { insertKey } from '../seed-queries.ts';
import { openLive } from './live-helpers.ts';

const status = (m: string) => (JSON.parse(m) as { summary: SessionSummary }).summary.status;

describe('a live socket does not outlive its key', () => {
  it('after the key is revoked, its socket gets no later summary and is closed 1008; the new key’s socket gets it', async () => {
    const p = await seedPlatform();
    const next = await generateKey('EdDSA');
    await insertKey(env.DB, {
      kid: next.kid,
      platformId: p.platformId,
      alg: next.alg,
      publicJwk: JSON.stringify('publicJwk' in next.stored ? next.stored.publicJwk : null),
      now: Math.floor(Date.now() / 1000),
    }).run();
    const mintNext = (role: 'client' | 'therapist') =>
      mintToken(
        { platformId: p.platformId, kid: next.kid, key: next.privateKey, alg: next.alg },
        { role, sub: role === 'client' ? p.refs.cid : p.refs.tid, ...p.refs },
      );

    const old = await openLive(await p.mint({ role: 'therapist', sub: p.refs.tid }));
    const current = await openLive(await mintNext('therapist'));
    expect(status(await old.next())).toBe('pending');
    expect(status(await current.next())).toBe('pending');
    const oldClosed = new Promise<number>((resolve) => old.ws.addEventListener('close', (e) => resolve(e.code)));

    await env.DB.prepare('UPDATE platform_keys SET revoked_at = ?1 WHERE kid = ?2')
      .bind(Math.floor(Date.now() / 1000), p.kid)
      .run();
    const res = await postJson(sessionPath('rating'), await mintNext('client'), GOOD_RATING);
    expect(res.status).toBe(201);
    expect((await res.json<RatingReceipt>()).delivered).toBe(true);
    expect(status(await current.next())).toBe('rated');
    // Either the old socket is closed, or a ping round trip shows what it received (the rating, before the fix).
    const received = old.drain().catch(() => new Promise<never>(() => {}));
    const outcome = await Promise.race([oldClosed.then((code) => ({ code })), received.then((got) => ({ got }))]);
    expect(outcome).toEqual({ code: 1008 });
    expect(old.queue).toEqual([]);
  });
});
