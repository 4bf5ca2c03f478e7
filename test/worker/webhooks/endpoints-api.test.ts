// The admin API for webhook endpoints: register (secret shown once, stored sealed), list, rotate, delete, the
// deliveries list; bad input is a clear 4xx that changes nothing; answers match the OpenAPI document.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../worker/http/openapi.ts';
import { openSecret } from '../../../worker/webhooks/secret-box.ts';
import { adminCall, call, seedAdminKey, seedPlatform } from '../helpers.ts';

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Json }> }>>;
  components: Json & { responses: Record<string, { content: Record<string, { schema: Json }> }> };
}

/** Checks an answer against the served document (its status documented, its JSON body valid). */
async function conforms(id: string, res: Response): Promise<void> {
  const doc = await (await call('/openapi.json')).json<Doc>();
  const route = ROUTES.find((r) => r.id === id)!;
  let answer = doc.paths[route.path]![route.method]!.responses[String(res.status)];
  expect(answer, `${id}: ${res.status} is documented`).toBeDefined();
  if (answer!.$ref) answer = doc.components.responses[answer!.$ref.split('/').pop()!];
  const schema = (answer!.content as Record<string, { schema: Json }>)['application/json']!.schema;
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile({ ...schema, components: doc.components });
  const body: unknown = await res.clone().json();
  expect(validate(body) ? [] : validate.errors, `${id} ${res.status}`).toEqual([]);
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function admin() {
  const p = await seedPlatform();
  return { p, key: (await seedAdminKey(p.platformId)).key };
}

const endpointRows = (platformId: string) =>
  env.DB.prepare('SELECT id, url, secret FROM webhook_endpoints WHERE platform_id = ?1')
    .bind(platformId)
    .all<{ id: string; url: string; secret: string }>()
    .then((r) => r.results);

describe('webhook endpoints (admin API)', () => {
  it('registers an https endpoint: the secret is shown once and stored only sealed; list, rotate, delete', async () => {
    const { p, key } = await admin();
    const created = await adminCall(
      '/v1/webhooks/endpoints',
      key,
      json('POST', {
        url: 'https://hooks.acme.example/attune',
        events: ['rating.created', 'rating.flagged'],
        fhir: true,
      }),
    );
    expect(created.status).toBe(201);
    await conforms('createWebhookEndpoint', created);
    const endpoint = await created.json<{ id: string; secret: string; url: string; events: string[]; fhir: boolean }>();
    expect(endpoint).toMatchObject({
      url: 'https://hooks.acme.example/attune',
      events: ['rating.created', 'rating.flagged'],
      fhir: true,
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    // D1 holds the secret sealed: not the secret, and it opens only for this endpoint.
    const [row] = await endpointRows(p.platformId);
    expect(row!.secret).not.toContain(endpoint.secret.slice(6));
    expect(await openSecret(env.REF_HASH_SECRET, endpoint.id, row!.secret)).toBe(endpoint.secret);
    await expect(openSecret(env.REF_HASH_SECRET, 'we_0000000000000000', row!.secret)).rejects.toThrow();

    const list = await adminCall('/v1/webhooks/endpoints', key);
    expect(list.status).toBe(200);
    await conforms('listWebhookEndpoints', list);
    const listed = await list.json<{ endpoints: Json[] }>();
    expect(listed.endpoints).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('whsec_');

    const rotated = await adminCall('/v1/webhooks/endpoints/rotate', key, json('POST', { id: endpoint.id }));
    expect(rotated.status).toBe(200);
    await conforms('rotateWebhookSecret', rotated);
    const { secret } = await rotated.json<{ secret: string }>();
    expect(secret).not.toBe(endpoint.secret);
    const [after] = await endpointRows(p.platformId);
    expect(await openSecret(env.REF_HASH_SECRET, endpoint.id, after!.secret)).toBe(secret);

    const deliveries = await adminCall('/v1/webhooks/deliveries', key);
    expect(deliveries.status).toBe(200);
    await conforms('listWebhookDeliveries', deliveries);

    const deleted = await adminCall('/v1/webhooks/endpoints/delete', key, json('POST', { id: endpoint.id }));
    expect(deleted.status).toBe(200);
    await conforms('deleteWebhookEndpoint', deleted);
    expect(await endpointRows(p.platformId)).toEqual([]);
    const again = await adminCall('/v1/webhooks/endpoints/delete', key, json('POST', { id: endpoint.id }));
    expect(again.status).toBe(404);
    await conforms('deleteWebhookEndpoint', again);

    // Every change is in the audit log, by endpoint id only.
    const audit = await env.DB.prepare('SELECT route, params FROM audit_log WHERE platform_id = ?1 ORDER BY id')
      .bind(p.platformId)
      .all<{ route: string; params: string }>();
    expect(audit.results.map((r) => r.route)).toEqual([
      '/v1/webhooks/endpoints',
      '/v1/webhooks/endpoints/rotate',
      '/v1/webhooks/endpoints/delete',
    ]);
    expect(audit.results.map((r) => JSON.parse(r.params))).toEqual([
      { id: endpoint.id },
      { id: endpoint.id },
      { id: endpoint.id },
    ]);
  });

  it('bad input is a clear 4xx that never echoes the input and stores nothing', async () => {
    const { p, key } = await admin();
    const post = (body: unknown, contentType = 'application/json') =>
      adminCall('/v1/webhooks/endpoints', key, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const cases: [unknown, number, string][] = [
      [{ url: 'http://hooks.acme.example/x', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'https://user:pw@hooks.acme.example/x', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'https://10.0.0.7/x', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'https://intranet/x', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'https://localhost/x', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'https://hooks.acme.example/x#frag', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'ftp://hooks.acme.example/x', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'not a url at all', events: ['rating.created'] }, 422, 'invalid_url'],
      [{ url: 'https://hooks.acme.example/x', events: [] }, 422, 'invalid_body'],
      [{ url: 'https://hooks.acme.example/x', events: ['rating.deleted'] }, 422, 'invalid_body'],
      [{ url: 'https://hooks.acme.example/x', events: ['rating.created'], secret: 'mine' }, 422, 'invalid_body'],
      [{ url: 'https://hooks.acme.example/x', events: ['rating.created'], fhir: 'yes' }, 422, 'invalid_body'],
      [{ events: ['rating.created'] }, 422, 'invalid_body'],
      ['{"url":', 400, 'malformed_json'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const text = await res.text();
      expect(JSON.parse(text).error.code, JSON.stringify(body)).toBe(code);
      expect(text).not.toMatch(/acme|intranet|10\.0\.0\.7|#frag|mine|"yes"/);
    }
    expect((await post({ url: 'https://hooks.acme.example/x', events: ['rating.created'] }, 'text/plain')).status).toBe(
      415,
    );
    const unknown = await adminCall('/v1/webhooks/endpoints/rotate', key, json('POST', { id: 'we_0123456789abcdef' }));
    expect(unknown.status).toBe(404);
    expect((await adminCall('/v1/webhooks/endpoints/rotate', key, json('POST', { id: 'x' }))).status).toBe(422);
    expect(await endpointRows(p.platformId)).toEqual([]);

    // Without an admin key, with a session token, or with another platform's key: refused, nothing visible.
    expect((await call('/v1/webhooks/endpoints')).status).toBe(401);
    expect((await call('/v1/webhooks/endpoints', { token: await p.mint({}) })).status).toBe(401);
    const mine = await adminCall(
      '/v1/webhooks/endpoints',
      key,
      json('POST', { url: 'https://hooks.acme.example/x', events: ['pacing.recorded'] }),
    );
    const { id } = await mine.json<{ id: string }>();
    const other = await admin();
    expect((await adminCall('/v1/webhooks/endpoints/delete', other.key, json('POST', { id }))).status).toBe(404);
    expect((await (await adminCall('/v1/webhooks/endpoints', other.key)).json<{ endpoints: [] }>()).endpoints).toEqual(
      [],
    );
    expect((await adminCall('/v1/webhooks/endpoints', key, { method: 'PUT' })).status).toBe(405);
  });

  it('a platform has at most 16 endpoints', async () => {
    const { key } = await admin();
    const add = () =>
      adminCall(
        '/v1/webhooks/endpoints',
        key,
        json('POST', { url: 'https://hooks.acme.example/x', events: ['rating.created'] }),
      );
    for (let i = 0; i < 16; i++) expect((await add()).status).toBe(201);
    const res = await add();
    expect(res.status).toBe(409);
    await conforms('createWebhookEndpoint', res);
  });
});
