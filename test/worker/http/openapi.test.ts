import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../worker/http/openapi.ts';
import { adminCall, call, GOOD_PACING, GOOD_RATING, seedAdminKey, seedPlatform, storeSession } from '../helpers.ts';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Json }> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Json & { responses: Record<string, { content: Record<string, { schema: Json }> }> };
}

const served = async (): Promise<Doc> => (await call('/openapi.json')).json<Doc>();

/** Method and concrete path of an operation, from the route table (so a moved route moves here too). */
function route(id: string, params: Record<string, string> = {}) {
  const r = ROUTES.find((x) => x.id === id);
  if (!r) throw new Error(`no route ${id}`);
  return {
    method: r.method.toUpperCase(),
    path: r.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? 'x')),
    template: r.path,
    verb: r.method,
  };
}

/** Checks a real response against the document: its status is documented, its JSON body matches the schema. */
function conformance(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const cache = new Map<string, ValidateFunction>();
  return async (id: string, res: Response): Promise<void> => {
    const r = route(id);
    const op = doc.paths[r.template]?.[r.verb];
    expect(op, id).toBeDefined();
    let answer = op!.responses[String(res.status)];
    expect(answer, `${id}: status ${res.status} is documented`).toBeDefined();
    if (answer!.$ref) answer = doc.components.responses[answer!.$ref.split('/').pop()!];
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
    if (!answer!.content) {
      expect(
        res.status === 101 || !res.body || type !== 'application/json',
        `${id} ${res.status}: an undocumented body`,
      ).toBe(true);
      return;
    }
    const media = answer!.content[type];
    expect(media, `${id} ${res.status}: ${type} is a documented media type`).toBeDefined();
    // JSON bodies (application/json, FHIR's application/fhir+json) are checked against the schema.
    if (!/^application\/([a-z]+\+)?json$/.test(type)) return;
    const schema = media!.schema;
    const key = `${id} ${res.status}`;
    const validate = cache.get(key) ?? ajv.compile({ ...schema, components: doc.components });
    cache.set(key, validate);
    const body: unknown = await res.json();
    expect(validate(body) ? [] : validate.errors, `${key} body matches the document`).toEqual([]);
  };
}

describe('GET /openapi.json', () => {
  it('is the OpenAPI 3.1 document generated from the route table', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json<Doc>();
    expect(doc.openapi).toBe('3.1.0');
    expect(
      Object.values(doc.paths)
        .flatMap((m) => Object.values(m).map((o) => o.operationId))
        .sort(),
    ).toEqual(ROUTES.map((r) => r.id).sort());
  });

  it('every documented operation exists (authenticated, it is not a 404 or 405)', async () => {
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist', sid: 'doc-sid' });
    for (const r of ROUTES) {
      const { method, path } = route(r.id);
      expect(path, 'no path parameter: refs never go in a URL').not.toMatch(/\{/);
      const res = await call(path, { method, token });
      expect([404, 405], `${method} ${path}`).not.toContain(res.status);
    }
  });

  it('real answers of every JSON route match the document (session routes)', async () => {
    const check = conformance(await served());
    const p = await seedPlatform();
    const client = await p.mint({ role: 'client' });
    const therapist = await p.mint({ role: 'therapist', sub: p.refs.tid });
    const sid = { sid: p.refs.sid };
    const send = (id: string, token: string, body: unknown) => {
      const r = route(id, sid);
      return call(r.path, {
        method: r.method,
        token,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(body),
      });
    };
    const get = (id: string, token: string) => call(route(id, sid).path, { token });

    await check('getContext', await get('getContext', client));
    await check('getContext', await get('getContext', therapist));
    await check('getSummary', await get('getSummary', therapist)); // pending
    await check('postPacing', await send('postPacing', therapist, GOOD_PACING));
    const rated = await send('postRating', client, GOOD_RATING);
    expect(rated.status).toBe(201);
    await check('postRating', rated);
    const summary = await get('getSummary', therapist);
    expect(summary.status).toBe(200);
    await check('getSummary', summary); // rated, with pacing and trend
    await check('getTrends', await get('getTrends', therapist));
    // Errors answer with the documented Error body.
    await check('postRating', await send('postRating', client, GOOD_RATING)); // 409: already rated
    await check('postPacing', await send('postPacing', therapist, { ...GOOD_PACING, durationSeconds: -1 }));
    await check('getSummary', await get('getSummary', client)); // 403: a client cannot read it
    await check('getTrends', await call(route('getTrends').path, { token: 'not.a.jwt' })); // 401
    await check(
      'openLive',
      await call(route('openLive').path, { headers: { 'Sec-WebSocket-Protocol': `attune.v1, bearer.${therapist}` } }),
    ); // 426
  });

  it('real answers of the admin routes match the document', async () => {
    const check = conformance(await served());
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const at = Date.parse('2026-01-06T10:00:00Z') / 1000;
    for (let i = 0; i < 12; i++) {
      await storeSession(p.platformId, {
        sid: `s${i}`,
        tid: `t${i % 2}`,
        cid: `c${i}`,
        at: at + i * 3600,
        asked: true,
        rating: { total: 30 + i },
        pacing: { therapist: 600, client: 700 },
      });
    }
    await check(
      'getTherapistReport',
      await adminCall(route('getTherapistReport').path + '?from=2026-01-05&to=2026-01-18', admin.key),
    );
    await check(
      'getWeekReport',
      await adminCall(route('getWeekReport').path + '?from=2026-01-05&to=2026-01-18', admin.key),
    );
    await check('getWeekReport', await adminCall(route('getWeekReport').path + '?from=2026-13-45', admin.key)); // 400
    const csv = await adminCall(route('getWeekReport').path + '?format=csv', admin.key);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    await check('getWeekReport', csv);
    const pseudo = route('postPseudonyms');
    await check(
      'postPseudonyms',
      await adminCall(pseudo.path, admin.key, {
        method: pseudo.method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ therapists: ['t0'] }),
      }),
    );
    await check(
      'postPseudonyms',
      await adminCall(pseudo.path, admin.key, {
        method: pseudo.method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ therapists: [] }),
      }),
    );
    const erase = route('eraseClient');
    const eraseBody = {
      method: erase.method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ref: 'c1' }),
    };
    await check('eraseClient', await adminCall(erase.path, admin.key, eraseBody));
    await check('eraseClient', await adminCall(erase.path, admin.key, { ...eraseBody, body: '{"ref":""}' })); // 422
    await check('eraseClient', await call(erase.path, eraseBody)); // 401
    await check('getFhirQuestionnaires', await adminCall(route('getFhirQuestionnaires').path, admin.key));
  });

  it('real answers of the FHIR export match the document', async () => {
    const check = conformance(await served());
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const exp = route('exportQuestionnaireResponse');
    const send = (body: unknown) =>
      adminCall(exp.path, admin.key, {
        method: exp.method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refs = { session: p.refs.sid, client: p.refs.cid };
    await check('exportQuestionnaireResponse', await send(refs)); // 404: not rated yet
    const rated = await call('/v1/session/rating', {
      method: 'POST',
      token: await p.mint({ role: 'client' }),
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify(GOOD_RATING),
    });
    expect(rated.status).toBe(201);
    const answer = await send(refs);
    expect(answer.status).toBe(200);
    await check('exportQuestionnaireResponse', answer);
    await check('exportQuestionnaireResponse', await send({ ...refs, client: 'another' })); // 409
    await check('exportQuestionnaireResponse', await send({ session: p.refs.sid })); // 422
  });

  it('the check is not a rubber stamp: a body that breaks the schema fails it', async () => {
    const check = conformance(await served());
    const fake = new Response(JSON.stringify({ status: 'recorded' }), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
    await expect(check('postPacing', fake)).rejects.toThrow(/postPacing 201 body matches the document/);
    const undocumented = new Response('{}', { status: 418, headers: { 'content-type': 'application/json' } });
    await expect(check('getTrends', undocumented)).rejects.toThrow(/418/);
  });
});
