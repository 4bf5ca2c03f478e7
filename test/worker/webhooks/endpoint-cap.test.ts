// An admin key holder cannot register more than MAX_ENDPOINTS webhook endpoints, not even with requests sent all at
// once (every write fans out to each endpoint, so the cap bounds the queue work of one rating).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_ENDPOINTS } from '../../../worker/db/webhook-queries.ts';
import { adminCall, seedAdminKey, seedPlatform } from '../helpers.ts';

const create = (key: string) =>
  adminCall('/v1/webhooks/endpoints', key, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: 'https://hooks.acme.example/x', events: ['rating.created'] }),
  });

const count = (platformId: string, table: 'webhook_endpoints' | 'audit_log') =>
  env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE platform_id = ?1`).bind(platformId).first<number>('n');

describe('the webhook endpoint cap', () => {
  it(`holds under concurrent registrations: ${MAX_ENDPOINTS} stored and audited, the rest 409 too_many_endpoints`, async () => {
    const p = await seedPlatform();
    const { key } = await seedAdminKey(p.platformId);
    const answers = await Promise.all(Array.from({ length: MAX_ENDPOINTS + 8 }, () => create(key)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_ENDPOINTS);
    expect(statuses.filter((s) => s === 409)).toHaveLength(8);
    for (const res of answers.filter((r) => r.status === 409))
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('too_many_endpoints');
    expect(await count(p.platformId, 'webhook_endpoints')).toBe(MAX_ENDPOINTS);
    // Only the registrations that happened are in the audit log.
    expect(await count(p.platformId, 'audit_log')).toBe(MAX_ENDPOINTS);
    // Another platform's cap is its own.
    const other = await seedPlatform();
    expect((await create((await seedAdminKey(other.platformId)).key)).status).toBe(201);
  });
});
