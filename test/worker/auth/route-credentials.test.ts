// An attacker holding one real, valid credential: a client, therapist or caseload token, or a platform's admin key.
// Every route of the OpenAPI route table (worker/http/openapi.ts ROUTES), with every kind of credential: the kinds the
// route does not take are refused (401 for the other scheme, 403 wrong_role for a session token of another role) and
// change nothing; another platform's admin key, handed this platform's ids, sees nothing of it, changes nothing of it,
// and is answered exactly as for ids that never existed (no existence leak). A route added to ROUTES is in the table.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT, type Trend } from '../../../schemas/index.ts';
import { ROUTES, type Route } from '../../../worker/http/openapi.ts';
import { newEndpointId, newWebhookSecret, sealSecret } from '../../../worker/webhooks/secret-box.ts';
import { newEventId } from '../../../worker/webhooks/event-payload.ts';
import { insertEndpoint, markDead } from '../../../worker/db/webhook-queries.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import {
  adminCall,
  call,
  everyCell,
  GOOD_PACING,
  GOOD_RATING,
  postJson,
  seedAdminKey,
  seedPlatform,
  sessionPath,
  type TestPlatform,
} from '../helpers.ts';
import { openLive } from '../live/live-helpers.ts';

type Kind = 'client' | 'therapist' | 'caseload' | 'admin';
const KINDS: readonly Kind[] = ['client', 'therapist', 'caseload', 'admin'];

function takes(r: Route, k: Kind): boolean {
  return r.auth === 'admin' ? k === 'admin' : k !== 'admin' && (r.roles ?? []).includes(k);
}

async function credentials(p: TestPlatform): Promise<Record<Kind, string>> {
  return {
    client: await p.mint({ role: 'client' }),
    therapist: await p.mint({ role: 'therapist', sub: p.refs.tid }),
    // The mint helper adds the session refs; a caseload token's schema ignores them (it names no session).
    caseload: await p.mint({ role: 'caseload', sub: p.refs.tid } as never),
    admin: (await seedAdminKey(p.platformId)).key,
  };
}

/** The route called with the credential where the route looks for one (the live socket: Sec-WebSocket-Protocol). */
function send(r: Route, credential: string, body: unknown = {}): Promise<Response> {
  if (r.id === 'openLive')
    return call(r.path, {
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `attune.v1, bearer.${credential}` },
    });
  if (r.method === 'get') return adminCall(r.path, credential);
  return postJson(r.path, credential, body);
}

const codeOf = async (res: Response) => ((await res.clone().json()) as { error: { code: string } }).error.code;
const sorted = async () => (await everyCell()).sort();

describe('every route, with every kind of valid credential', () => {
  it('the table names a credential for every route', () => {
    for (const r of ROUTES) expect(KINDS.filter((k) => takes(r, k)).length, r.id).toBeGreaterThan(0);
  });

  it('a credential of a kind the route does not take is refused (401 other scheme, 403 wrong_role) and changes nothing', async () => {
    const p = await seedPlatform();
    const creds = await credentials(p);
    const before = await sorted();
    const tried: string[] = [];
    for (const r of ROUTES) {
      for (const k of KINDS.filter((k) => !takes(r, k))) {
        const res = await send(r, creds[k]);
        const code = await codeOf(res);
        const want =
          r.auth === 'admin'
            ? [401, 'invalid_admin_key']
            : k === 'admin'
              ? [401, 'missing_token']
              : [403, 'wrong_role'];
        expect([res.status, code], `${k} on ${r.id}`).toEqual(want);
        tried.push(`${k}:${r.id}`);
      }
    }
    // 4 kinds × 19 routes, less the one each route takes (context takes two).
    expect(tried.length).toBe(
      ROUTES.length * KINDS.length - ROUTES.reduce((n, r) => n + KINDS.filter((k) => takes(r, k)).length, 0),
    );
    expect(await sorted()).toEqual(before);
  });

  it('a credential of the kind the route takes passes its auth (control)', async () => {
    const p = await seedPlatform();
    const creds = await credentials(p);
    for (const r of ROUTES) {
      for (const k of KINDS.filter((k) => takes(r, k))) {
        const res = await send(r, creds[k]);
        expect([401, 403], `${k} on ${r.id}: ${res.status}`).not.toContain(res.status);
        if (r.id === 'openLive') {
          expect(res.status).toBe(101);
          res.webSocket?.accept();
          res.webSocket?.close(1000);
        }
      }
    }
  });
});

/** Every row of every table that has a platform_id, for one platform. */
async function rowsOf(platformId: string): Promise<string[]> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
  ).all<{ name: string }>();
  const rows: string[] = [];
  for (const { name } of tables.results) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    for (const row of results) if (row.platform_id === platformId) rows.push(`${name} ${JSON.stringify(row)}`);
  }
  return rows.sort();
}

/** Platform A with a rated session (through the API), a custom instrument, an endpoint and a dead delivery. */
async function platformA() {
  const custom = { ...DEFAULT_INSTRUMENT, id: 'a-private-instrument' };
  const p = await seedPlatform({ settings: { instruments: [custom] } });
  expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
  const endpointId = newEndpointId();
  const now = Math.floor(Date.now() / 1000);
  const eventId = newEventId();
  const sidHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', p.refs.sid);
  await env.DB.batch([
    insertEndpoint(env.DB, {
      id: endpointId,
      platformId: p.platformId,
      url: 'https://a.hooks.example/attune',
      events: ['rating.created'],
      fhir: false,
      secret: await sealSecret(env.REF_HASH_SECRET, endpointId, newWebhookSecret()),
      now,
    }),
    env.DB.prepare(
      `INSERT INTO webhook_events (platform_id, sid_hash, type, event_id, created_at, enqueued_at)
       VALUES (?1, ?2, 'rating.created', ?3, ?4, ?4)`,
    ).bind(p.platformId, sidHash, eventId, now),
    markDead(env.DB, { eventId, endpointId, platformId: p.platformId, type: 'rating.created', attempts: 10, now }),
  ]);
  return { p, custom, endpointId, eventId, admin: await seedAdminKey(p.platformId) };
}

describe('platform B’s admin key with platform A’s ids', () => {
  it('sees nothing of A, changes nothing of A, and is answered as for ids that never existed', async () => {
    const a = await platformA();
    const b = await seedPlatform();
    const bKey = (await seedAdminKey(b.platformId)).key;
    const bEndpoint = await (
      await adminCall('/v1/webhooks/endpoints', bKey, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: 'https://b.hooks.example/attune', events: ['rating.created'] }),
      })
    ).json<{ id: string }>();
    const aBefore = await rowsOf(a.p.platformId);
    const post = (path: string, body: unknown) =>
      adminCall(path, bKey, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    /** The answer to A's ids equals the answer to fresh ones: status, and body (an id echoed is replaced). */
    const sameAsUnknown = async (path: string, aBody: Record<string, string>, fresh: Record<string, string>) => {
      const [theirs, none] = [await post(path, aBody), await post(path, fresh)];
      expect(theirs.status, path).toBe(none.status);
      expect([404, 200], path).toContain(theirs.status);
      let text = await theirs.text();
      for (const [k, v] of Object.entries(aBody)) text = text.replaceAll(v, fresh[k]!);
      expect(text, path).toBe(await none.text());
      return theirs.status;
    };
    const freshEndpoint = newEndpointId();
    const freshEvent = newEventId();

    // Ids in the body: endpoints, deliveries (A's pair, A's event with B's own endpoint), FHIR refs.
    expect(await sameAsUnknown('/v1/webhooks/endpoints/rotate', { id: a.endpointId }, { id: freshEndpoint })).toBe(404);
    expect(await sameAsUnknown('/v1/webhooks/endpoints/delete', { id: a.endpointId }, { id: freshEndpoint })).toBe(404);
    const replay = '/v1/webhooks/deliveries/replay';
    expect(
      await sameAsUnknown(
        replay,
        { eventId: a.eventId, endpointId: a.endpointId },
        { eventId: freshEvent, endpointId: freshEndpoint },
      ),
    ).toBe(404);
    expect(
      await sameAsUnknown(
        replay,
        { eventId: a.eventId, endpointId: bEndpoint.id },
        { eventId: freshEvent, endpointId: bEndpoint.id },
      ),
    ).toBe(404);
    expect(
      await sameAsUnknown(
        '/v1/fhir/questionnaire-response',
        { session: a.p.refs.sid, client: a.p.refs.cid },
        { session: 'never-a-session', client: 'never-a-client' },
      ),
    ).toBe(404);

    // Lists and reads: none of A's rows, instruments or pseudonyms.
    expect(
      (await (await adminCall('/v1/webhooks/endpoints', bKey)).json<{ endpoints: { id: string }[] }>()).endpoints.map(
        (e) => e.id,
      ),
    ).toEqual([bEndpoint.id]);
    expect(
      (await (await adminCall('/v1/webhooks/deliveries', bKey)).json<{ deliveries: unknown[] }>()).deliveries,
    ).toEqual([]);
    const bundle = await (await adminCall('/v1/fhir/questionnaires', bKey)).text();
    expect(bundle).not.toContain(a.custom.id);
    expect(bundle).not.toContain(a.p.platformId);
    const unknownInstrument = await adminCall(`/v1/reports/therapists?instrument=${a.custom.id}`, bKey);
    expect([unknownInstrument.status, await codeOf(unknownInstrument)]).toEqual([422, 'unknown_instrument']);
    for (const report of ['therapists', 'weeks']) {
      const res = await adminCall(`/v1/reports/${report}`, bKey);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain(a.p.platformId);
    }
    const pseudonym = async (key: string) =>
      (
        await (
          await adminCall('/v1/reports/pseudonyms', key, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ therapists: [a.p.refs.tid] }),
          })
        ).json<{ pseudonyms: { pseudonym: string }[] }>()
      ).pseudonyms[0]!.pseudonym;
    expect(await pseudonym(bKey)).not.toBe(await pseudonym(a.admin.key));

    // Erasing A's client ref from B: nothing of A's goes.
    const erased = await post('/v1/clients/erase', { ref: a.p.refs.cid });
    expect(await erased.json()).toEqual({ erased: { sessions: 0 } });

    // A's rows are as they were, except the one pseudonym read A's own key made (its audit line).
    const aAfter = (await rowsOf(a.p.platformId)).filter((r) => !r.includes('/v1/reports/pseudonyms'));
    expect(aAfter).toEqual(aBefore);
    // And A's own key still reaches what B could not.
    const own = await adminCall('/v1/webhooks/deliveries', a.admin.key);
    expect((await own.json<{ deliveries: { eventId: string; status: string }[] }>()).deliveries).toEqual([
      expect.objectContaining({ eventId: a.eventId, status: 'dead' }),
    ]);
  });
});

describe('platform B’s session and caseload tokens naming platform A’s raw refs', () => {
  it('reach none of A’s session, trend, caseload or idempotency records, and change nothing of A', async () => {
    const a = await seedPlatform();
    const key = crypto.randomUUID();
    const rated = await postJson(sessionPath('rating'), await a.mint({}), GOOD_RATING, { 'Idempotency-Key': key });
    expect(rated.status).toBe(201);
    expect(
      (await postJson(sessionPath('pacing'), await a.mint({ role: 'therapist', sub: a.refs.tid }), GOOD_PACING)).status,
    ).toBe(201);
    const aBefore = await rowsOf(a.platformId);

    const b = await seedPlatform();
    const same = { ...a.refs };
    const therapist = await b.mint({ ...same, role: 'therapist', sub: same.tid });
    const summary = await call(sessionPath('summary'), { token: therapist });
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ status: 'pending', pacing: null });
    const trend = await (await call('/v1/trends', { token: therapist })).json<Trend>();
    expect(trend.therapist.sessions).toBe(0);
    expect(trend.client.every((point) => point.total === null)).toBe(true);
    const live = await openLive(therapist);
    expect((JSON.parse(await live.next()) as { summary: { status: string } }).summary.status).toBe('pending');
    live.ws.close(1000);
    const caseload = await postJson('/v1/caseload', await b.mint({ role: 'caseload', sub: same.tid } as never), {
      clients: [same.cid],
    });
    expect((await caseload.json<{ clients: { status: string }[] }>()).clients[0]?.status).toBe('no_data');
    // The same Idempotency-Key and body on B: a request of its own (stored for B), not A's stored answer.
    const bRating = await postJson(sessionPath('rating'), await b.mint(same), GOOD_RATING, { 'Idempotency-Key': key });
    expect(bRating.status).toBe(201);
    expect(bRating.headers.get('Idempotent-Replayed')).toBeNull();

    expect(await rowsOf(a.platformId)).toEqual(aBefore);
  });
});
