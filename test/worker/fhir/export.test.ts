import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import { canonicalScopeOf } from '../../../worker/fhir/canonical.ts';
import { questionnaireOf } from '../../../worker/fhir/questionnaire.ts';
import { questionnaireResponseOf } from '../../../worker/fhir/questionnaire-response.ts';
import {
  adminCall,
  call,
  GOOD_PACING,
  GOOD_RATING,
  postJson,
  seedAdminKey,
  seedPlatform,
  sessionPath,
  type TestPlatform,
} from '../helpers.ts';
import { likertInstrument } from '../../samples.ts';

const EXPORT = '/v1/fhir/questionnaire-response';
const QUESTIONNAIRES = '/v1/fhir/questionnaires';

/** A platform's own integer instrument (1..7), in two versions: the current one first, the earlier one kept. */
const LIKERT = likertInstrument('en', (id) => ({ label: `Item ${id}`, low: 'not at all', high: 'very' }));
const SYSTEMS = { clientSystem: 'https://ehr.example/patients', sessionSystem: 'https://ehr.example/visits' };

function exportFor(key: string, body: unknown, init: RequestInit = {}) {
  return adminCall(EXPORT, key, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
}

/** A client rates (or declines) the platform's session through the real route. */
async function rate(p: TestPlatform, body: unknown = GOOD_RATING, claims: object = {}) {
  const res = await postJson(sessionPath('rating'), await p.mint(claims), body);
  expect(res.status).toBe(201);
}

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('POST /v1/fhir/questionnaire-response', () => {
  it('answers the stored rating as exactly what questionnaireResponseOf builds, named by the platform’s refs only', async () => {
    const p = await seedPlatform({ settings: { fhir: SYSTEMS } });
    const admin = await seedAdminKey(p.platformId);
    await rate(p);
    const ratedAt = await env.DB.prepare('SELECT rated_at AS at FROM ratings WHERE platform_id = ?1')
      .bind(p.platformId)
      .first<number>('at');

    const res = await exportFor(admin.key, { session: p.refs.sid, client: p.refs.cid });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/fhir+json; fhirVersion=4.0');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual(
      questionnaireResponseOf({
        instrument: DEFAULT_INSTRUMENT,
        scope: canonicalScopeOf(env, p.platformId),
        rating: { status: 'rated', items: GOOD_RATING.items, ratedAt: ratedAt! },
        subject: { system: SYSTEMS.clientSystem, value: p.refs.cid },
        encounter: { system: SYSTEMS.sessionSystem, value: p.refs.sid },
      }),
    );
    expect(JSON.parse(text)).toMatchObject({
      status: 'completed',
      item: [{ linkId: 'bond', answer: [{ valueDecimal: 9.5 }] }, {}, {}, {}],
    });

    // Never the therapist, the platform's name, or any hash D1 holds.
    expect(text).not.toContain(p.refs.tid);
    expect(text).not.toContain('Test platform');
    const hashes = await env.DB.prepare(
      'SELECT sid_hash, therapist_hash, client_hash FROM sessions WHERE platform_id = ?1',
    )
      .bind(p.platformId)
      .first<Record<string, string>>();
    for (const h of Object.values(hashes!)) expect(text).not.toContain(h);

    // Audited, without the refs; nothing else written.
    const audit = await env.DB.prepare('SELECT route, params, row_count FROM audit_log WHERE platform_id = ?1')
      .bind(p.platformId)
      .all();
    expect(audit.results).toEqual([{ route: EXPORT, params: '{"method":"POST"}', row_count: 1 }]);
  });

  it('a declined rating: stopped, no items, tagged asked-declined', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await rate(p, { kind: 'declined' });
    const res = await exportFor(admin.key, { session: p.refs.sid, client: p.refs.cid });
    expect(res.status).toBe(200);
    const qr = await res.json<Record<string, unknown>>();
    expect(qr).toMatchObject({
      status: 'stopped',
      meta: { tag: [{ code: 'asked-declined' }] },
      subject: { identifier: { value: p.refs.cid } },
      encounter: { identifier: { value: p.refs.sid } },
    });
    expect(qr.item).toBeUndefined();
    // Without settings.fhir, identifiers carry the ref alone.
    expect(qr.subject).toEqual({ type: 'Patient', identifier: { value: p.refs.cid } });
  });

  it('a platform instrument: integer answers; an earlier version kept in settings still exports, a dropped one is 409', async () => {
    const v1 = { ...LIKERT, version: 1 };
    const p = await seedPlatform({ settings: { instruments: [LIKERT, v1] } });
    const admin = await seedAdminKey(p.platformId);
    const likert = {
      kind: 'rating',
      instrument: 'likert-3',
      version: 2,
      items: ['a', 'b', 'c'].map((id) => ({ id, value: 5 })),
    };
    await rate(p, likert, { ins: 'likert-3' });
    const res = await exportFor(admin.key, { session: p.refs.sid, client: p.refs.cid });
    expect(res.status).toBe(200);
    const qr = await res.json<{ questionnaire: string; item: { answer: unknown[] }[] }>();
    expect(qr.questionnaire).toBe(`https://attune.example/fhir/${p.platformId}/Questionnaire/likert-3|2`);
    expect(qr.item.map((i) => i.answer)).toEqual([[{ valueInteger: 5 }], [{ valueInteger: 5 }], [{ valueInteger: 5 }]]);

    // The rating used version 2; once the platform keeps only version 1 the export cannot name its Questionnaire.
    await env.DB.prepare('UPDATE platforms SET settings = ?2 WHERE id = ?1')
      .bind(p.platformId, JSON.stringify({ instruments: [v1] }))
      .run();
    const gone = await exportFor(admin.key, { session: p.refs.sid, client: p.refs.cid });
    expect(gone.status).toBe(409);
    expect(await codeOf(gone)).toBe('instrument_unavailable');
  });

  it('refuses what it cannot answer with a clear 4xx that echoes nothing', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await rate(p);
    const ok = { session: p.refs.sid, client: p.refs.cid };
    const cases: [string, Promise<Response>, number, string][] = [
      ['unknown session', exportFor(admin.key, { ...ok, session: 'no-such-session' }), 404, 'session_not_found'],
      ['another client', exportFor(admin.key, { ...ok, client: 'someone-else' }), 409, 'client_mismatch'],
      ['missing client', exportFor(admin.key, { session: p.refs.sid }), 422, 'invalid_body'],
      ['unknown key', exportFor(admin.key, { ...ok, name: 'Jane Doe' }), 422, 'invalid_body'],
      ['ref with a space', exportFor(admin.key, { ...ok, client: 'Jane Doe' }), 422, 'invalid_body'],
      ['not JSON', exportFor(admin.key, ok, { body: '{"session":' }), 400, 'malformed_json'],
      [
        'no content type',
        adminCall(EXPORT, admin.key, { method: 'POST', body: JSON.stringify(ok) }),
        415,
        'unsupported_media_type',
      ],
      [
        'no admin key',
        call(EXPORT, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ok) }),
        401,
        'missing_admin_key',
      ],
      [
        'session token',
        call(EXPORT, {
          method: 'POST',
          token: await p.mint({ role: 'therapist' }),
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(ok),
        }),
        401,
        'invalid_admin_key',
      ],
      ['GET', adminCall(EXPORT, admin.key), 405, 'method_not_allowed'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      const text = await res.text();
      expect(res.status, what).toBe(status);
      expect(JSON.parse(text).error.code, what).toBe(code);
      for (const secret of [p.refs.cid, p.refs.sid, 'someone-else', 'no-such-session', 'Jane'])
        expect(text, `${what} echoes nothing`).not.toContain(secret);
    }
    // Another platform's admin cannot reach this platform's session (refs hash per platform).
    const other = await seedPlatform();
    const otherAdmin = await seedAdminKey(other.platformId);
    expect((await exportFor(otherAdmin.key, ok)).status).toBe(404);
    // None of these was audited: only an export that answers is.
    const audited = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE platform_id IN (?1, ?2)')
      .bind(p.platformId, other.platformId)
      .first<number>('n');
    expect(audited).toBe(0);
  });

  it('a session without a rating yet is 404 rating_not_found', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const pacing = await postJson(
      sessionPath('pacing'),
      await p.mint({ role: 'therapist', sub: p.refs.tid }),
      GOOD_PACING,
    );
    expect(pacing.status).toBe(201);
    const res = await exportFor(admin.key, { session: p.refs.sid, client: p.refs.cid });
    expect(res.status).toBe(404);
    expect(await codeOf(res)).toBe('rating_not_found');
  });

  it('an erased client is 410 client_erased, like the write routes', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    await rate(p);
    const erased = await adminCall('/v1/clients/erase', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ref: p.refs.cid }),
    });
    expect(erased.status).toBe(200);
    const res = await exportFor(admin.key, { session: p.refs.sid, client: p.refs.cid });
    expect(res.status).toBe(410);
    expect(await codeOf(res)).toBe('client_erased');
    // A session the client never had is still just unknown.
    expect(await codeOf(await exportFor(admin.key, { session: 'never-recorded', client: 'never-erased' }))).toBe(
      'session_not_found',
    );
  });
});

describe('GET /v1/fhir/questionnaires', () => {
  it('a Bundle of every instrument the platform’s ratings can use, each as questionnaireOf builds it', async () => {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    const admin = await seedAdminKey(p.platformId);
    const res = await adminCall(QUESTIONNAIRES, admin.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/fhir+json; fhirVersion=4.0');
    const scope = canonicalScopeOf(env, p.platformId);
    expect(await res.json()).toEqual({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: questionnaireOf(LIKERT, scope) }, { resource: questionnaireOf(DEFAULT_INSTRUMENT, scope) }],
    });
    expect((await adminCall(QUESTIONNAIRES, admin.key, { method: 'POST' })).status).toBe(405);
    expect((await call(QUESTIONNAIRES)).status).toBe(401);
  });

  it('FHIR_CANONICAL_BASE names the deployment’s Questionnaires', () => {
    expect(canonicalScopeOf({ FHIR_CANONICAL_BASE: 'https://attune.acme.example/fhir/' }, 'plt_x')).toEqual({
      base: 'https://attune.acme.example/fhir',
      platformId: 'plt_x',
    });
    expect(canonicalScopeOf({}, 'plt_x').base).toBe('https://attune.example/fhir');
  });
});
