// The dev-only D1 fault hook (worker/db/dev-faults.ts) that the browser fault suite uses: absent unless DEV_MODE=1;
// when armed, rating writes fail before they run or after they commit, and an idempotent retry then stores once.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import app from '../../../worker/index.ts';
import { ratingRequest, seedPlatform } from '../helpers.ts';

const arm = (devMode: string | undefined, body: unknown) =>
  app.fetch(
    new Request('http://localhost/dev/faults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
    { ...env, DEV_MODE: devMode },
  );
const rate = (token: string, key: string) => app.fetch(ratingRequest(token, key), env);
const rows = async (platformId: string) =>
  (
    await env.DB.prepare('SELECT COUNT(*) AS n FROM ratings WHERE platform_id = ?1')
      .bind(platformId)
      .first<{ n: number }>()
  )?.n;

afterEach(async () => {
  await arm('1', { count: 0 });
});

describe('POST /dev/faults', () => {
  it('does not exist unless DEV_MODE is 1', async () => {
    for (const mode of [undefined, '', '0', 'true']) {
      const res = await arm(mode, { mode: 'before', count: 5 });
      expect(res.status).toBe(404);
    }
    const p = await seedPlatform();
    expect((await rate(await p.mint({}), 'dev-faults-key-000001')).status).toBe(201);
  });

  it('"before": the next write fails and stores nothing; the retry under the same key stores once', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    expect((await arm('1', { mode: 'before', count: 1 })).status).toBe(200);
    expect((await rate(token, 'dev-faults-key-000002')).status).toBe(500);
    expect(await rows(p.platformId)).toBe(0);
    expect((await rate(token, 'dev-faults-key-000002')).status).toBe(201);
    expect(await rows(p.platformId)).toBe(1);
  });

  it('"after": the write commits but its answer is a 500; the retry is a replay, still one row', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    await arm('1', { mode: 'after', count: 1 });
    expect((await rate(token, 'dev-faults-key-000003')).status).toBe(500);
    expect(await rows(p.platformId)).toBe(1);
    const retry = await rate(token, 'dev-faults-key-000003');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await rows(p.platformId)).toBe(1);
  });

  it('refuses a bad body with a 4xx JSON error (the schema error of every route)', async () => {
    for (const body of [{ mode: 'sideways', count: 1 }, { count: -1 }, {}]) {
      const res = await arm('1', body);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
    }
  });
});
