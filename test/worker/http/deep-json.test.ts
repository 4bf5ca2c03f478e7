// Deeply nested but valid JSON within the body cap: parsed without trouble, never a 500. Nested where the schema has
// no key it is dropped (the stored request is the plain one); nested at the root it is a 422.
import { describe, expect, it } from 'vitest';
import { call, seedPlatform, sessionPath } from '../helpers.ts';

const DEPTH = 7000; // 14 kB of brackets: under the 16 kB cap

function post(token: string, body: string, key: string) {
  return call(sessionPath('rating'), {
    method: 'POST',
    token,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body,
  });
}

describe('deeply nested JSON', () => {
  it('under an unknown key is dropped; at the root it is 422 invalid_body', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const nested = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
    const root = await post(token, nested, 'deep-json-root-0001');
    expect(root.status).toBe(422);
    expect((await root.json<{ error: { code: string } }>()).error.code).toBe('invalid_body');

    const key = 'deep-json-decline-01';
    const first = await post(token, `{"kind":"declined","x":${nested}}`, key);
    expect(first.status).toBe(201);
    // The same key with the plain body is the same request (the unknown key was never part of it): a replay.
    const plain = await post(token, '{"kind":"declined"}', key);
    expect(plain.status).toBe(201);
    expect(plain.headers.get('Idempotent-Replayed')).toBe('true');
  });
});
