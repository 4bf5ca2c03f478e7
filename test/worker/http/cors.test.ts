import { describe, expect, it } from 'vitest';
import { call, GOOD_RATING, seedPlatform, sessionPath } from '../helpers.ts';

const preflight = (path: string, origin: string) =>
  call(path, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key',
    },
  });

describe('CORS per registered origin', () => {
  it('answers a preflight for a registered origin with the allowed methods and headers', async () => {
    await seedPlatform({ origins: ['https://care.example'] });
    const res = await preflight(sessionPath('rating'), 'https://care.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://care.example');
    expect(res.headers.get('Access-Control-Allow-Headers')).toBe('Authorization, Content-Type, Idempotency-Key');
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(res.headers.get('Vary')).toContain('Origin');
  });

  it('refuses a preflight from an unregistered origin', async () => {
    await seedPlatform({ origins: ['https://care.example'] });
    const res = await preflight(sessionPath('rating'), 'https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('an actual response carries the origin only when registered for the token’s platform', async () => {
    const p = await seedPlatform({ origins: ['https://care.example'] });
    const other = await seedPlatform({ origins: ['https://other.example'] });
    const token = await p.mint({ role: 'therapist' });

    const ok = await call(sessionPath('summary'), { token, headers: { Origin: 'https://care.example' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('https://care.example');
    expect(ok.headers.get('Access-Control-Expose-Headers')).toBe('Idempotent-Replayed');
    expect(ok.headers.get('Cache-Control')).toBe('no-store');

    // Registered, but for another platform: refused before anything happens; the widget may read the error only.
    const cross = await call(sessionPath('summary'), { token, headers: { Origin: 'https://other.example' } });
    expect(cross.status).toBe(403);
    expect(cross.headers.get('Access-Control-Allow-Origin')).toBe('https://other.example');
    expect(await cross.json()).toEqual({ error: { code: 'origin_not_allowed', message: expect.any(String) } });

    const rating = await call(sessionPath('rating'), {
      method: 'POST',
      token: await other.mint({}),
      headers: {
        Origin: 'https://care.example',
        'Content-Type': 'application/json',
        'Idempotency-Key': 'cors-key-000000000001',
      },
      body: JSON.stringify(GOOD_RATING),
    });
    expect(rating.status).toBe(403);

    const none = await call(sessionPath('summary'), { token, headers: { Origin: 'https://evil.example' } });
    expect(none.status).toBe(403);
    expect(none.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('a same-origin request (the demo served by the Worker) needs no registration', async () => {
    const p = await seedPlatform();
    const res = await call(sessionPath('summary'), {
      token: await p.mint({ role: 'therapist' }),
      headers: { Origin: 'https://api.attune.test' },
    });
    expect(res.status).toBe(200);
  });

  it('401 and 403 answers to a registered origin carry Access-Control-Allow-Origin so the widget can read them', async () => {
    const p = await seedPlatform({ origins: ['https://care.example'] });
    const expired = await p.mint({ role: 'therapist' }, { now: Math.floor(Date.now() / 1000) - 3 * 86400 });
    const res401 = await call(sessionPath('summary'), { token: expired, headers: { Origin: 'https://care.example' } });
    expect(res401.status).toBe(401);
    expect(res401.headers.get('Access-Control-Allow-Origin')).toBe('https://care.example');
    expect(Object.keys(await res401.json())).toEqual(['error']);

    const missing = await call(sessionPath('summary'), { headers: { Origin: 'https://care.example' } });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('Access-Control-Allow-Origin')).toBe('https://care.example');

    const res403 = await call(sessionPath('summary'), {
      token: await p.mint({ role: 'client' }),
      headers: { Origin: 'https://care.example' },
    });
    expect(res403.status).toBe(403);
    expect(res403.headers.get('Access-Control-Allow-Origin')).toBe('https://care.example');

    // An origin nobody registered still gets nothing, and other errors are not shared beyond the token's platform.
    const evil = await call(sessionPath('summary'), { token: expired, headers: { Origin: 'https://evil.example' } });
    expect(evil.status).toBe(401);
    expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('a 422 unknown_instrument (no platform established yet) to a registered origin carries Access-Control-Allow-Origin', async () => {
    const p = await seedPlatform({ origins: ['https://care.example'] });
    const headers = { Origin: 'https://care.example' };
    const unknown = await call('/v1/context', { token: await p.mint({ ins: 'not-registered' }), headers });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_instrument');
    expect(unknown.headers.get('Access-Control-Allow-Origin')).toBe('https://care.example');

    const evil = await call('/v1/context', {
      token: await p.mint({ ins: 'not-registered' }),
      headers: { Origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
