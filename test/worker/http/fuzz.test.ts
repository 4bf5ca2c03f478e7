// Property-based bad input over every endpoint, inside workerd. Per endpoint, fast-check
// sends FUZZ_RUNS requests (500 in CI; `npm run bench -- fuzz` raises it to 10,000): bad and good credentials,
// naughty strings in headers, tokens, path parameters, query and JSON fields, near-miss bodies behind a valid
// token. Properties: no 5xx; every error is `{ error: { code, message } }` JSON that echoes nothing it was
// sent; afterwards every D1 row of the platform passes its schema (see fuzz-stored.ts).
import { env, exports } from 'cloudflare:workers';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  CaseloadRequest,
  CaseloadResponse,
  DEFAULT_INSTRUMENT,
  type Instrument,
  PacingAggregates,
  PacingReceipt,
  RatingReceipt,
  RatingSubmission,
  Ref,
  SessionContext,
  SessionSummary,
  Trend,
} from '../../../schemas/index.ts';
import { EraseRequest } from '../../../schemas/admin.ts';
import {
  FhirQuestionnaireBundle,
  FhirQuestionnaireResponse,
  QuestionnaireResponseRequest,
} from '../../../schemas/fhir.ts';
import {
  WEBHOOK_EVENT_TYPES,
  WebhookDeliveryList,
  WebhookDeliveryRef,
  WebhookEndpointCreate,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookReplayed,
} from '../../../schemas/webhook.ts';
import app from '../../../worker/index.ts';
import { instrumentFor, parsePlatformSettings } from '../../../worker/admin/platform-settings.ts';
import {
  buildRequest,
  type Endpoint,
  type FuzzContext,
  injectedStrings,
  MARKER,
  type RequestPlan,
  requestPlan,
  schemaKeys,
} from './fuzz-requests.ts';
import { checkStored, type StoredCounts } from './fuzz-stored.ts';
import { replayBody, seedDeliveries } from './fuzz-webhooks.ts';
import { GOOD_PACING, GOOD_RATING, postJson, seedAdminKey, seedPlatform, sessionPath } from '../helpers.ts';
import { likertInstrument } from '../../samples.ts';

const day = fc
  .date({ min: new Date('2019-01-01'), max: new Date('2031-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/**
 * Every endpoint the Worker serves: method, path, how it authenticates, its body schema. Paths and auth
 * kinds are the only things to change when a route moves (e.g. a ref moving from the path to the body).
 */
const ENDPOINTS: Record<string, Endpoint> = {
  health: { method: 'GET', path: '/v1/health', auth: 'none', body: null },
  openapi: { method: 'GET', path: '/openapi.json', auth: 'none', body: null },
  devTokens: {
    method: 'POST',
    path: '/dev/tokens',
    auth: 'dev',
    body: { schema: v.object({ sid: v.optional(Ref), minutes: v.optional(v.number()) }), valid: () => devTokenBody },
  },
  context: { method: 'GET', path: '/v1/context', auth: 'any', body: null, ok: SessionContext },
  rating: {
    method: 'POST',
    path: '/v1/session/rating',
    auth: 'client',
    body: { schema: RatingSubmission, valid: (ctx) => ratingBody(ctx) },
    ok: RatingReceipt,
  },
  pacing: {
    method: 'POST',
    path: '/v1/session/pacing',
    auth: 'therapist',
    body: { schema: PacingAggregates, valid: () => pacingBody },
    ok: PacingReceipt,
  },
  summary: { method: 'GET', path: '/v1/session/summary', auth: 'therapist', body: null, ok: SessionSummary },
  live: { method: 'GET', path: '/v1/live', auth: 'live', body: null },
  trends: { method: 'GET', path: '/v1/trends', auth: 'therapist', body: null, ok: Trend },
  caseload: {
    method: 'POST',
    path: '/v1/caseload',
    auth: 'caseload',
    body: {
      schema: CaseloadRequest,
      valid: (ctx) =>
        fc.record(
          {
            clients: fc.array(fc.oneof(fc.constantFrom(...ctx.pools.cids), fc.stringMatching(/^[\x21-\x7e]{1,128}$/)), {
              maxLength: 5,
            }),
            days: fc.integer({ min: 28, max: 1830 }),
          },
          { requiredKeys: ['clients'] },
        ),
    },
    ok: CaseloadResponse,
  },
  reportTherapists: {
    method: 'GET',
    path: '/v1/reports/therapists',
    auth: 'admin',
    body: null,
    query: { from: day, to: day, format: fc.constantFrom('json', 'csv') },
  },
  reportWeeks: {
    method: 'GET',
    path: '/v1/reports/weeks',
    auth: 'admin',
    body: null,
    query: { from: day, to: day, format: fc.constantFrom('json', 'csv') },
  },
  pseudonyms: {
    method: 'POST',
    path: '/v1/reports/pseudonyms',
    auth: 'admin',
    body: {
      schema: v.object({ therapists: v.array(Ref) }),
      valid: (ctx) =>
        fc.record({ therapists: fc.array(fc.constantFrom(...ctx.pools.tids), { minLength: 1, maxLength: 3 }) }),
    },
  },
  erasure: {
    method: 'POST',
    path: '/v1/clients/erase',
    auth: 'admin',
    body: { schema: EraseRequest, valid: (ctx) => fc.constantFrom(...ctx.pools.cids).map((ref) => ({ ref })) },
  },
  fhirQuestionnaires: {
    method: 'GET',
    path: '/v1/fhir/questionnaires',
    auth: 'admin',
    body: null,
    ok: FhirQuestionnaireBundle,
  },
  fhirExport: {
    method: 'POST',
    path: '/v1/fhir/questionnaire-response',
    auth: 'admin',
    body: {
      schema: QuestionnaireResponseRequest,
      valid: (ctx) =>
        fc.record({ session: fc.constantFrom(...ctx.pools.sids), client: fc.constantFrom(...ctx.pools.cids) }),
    },
    ok: FhirQuestionnaireResponse,
  },
  webhookCreate: {
    method: 'POST',
    path: '/v1/webhooks/endpoints',
    auth: 'admin',
    body: {
      schema: WebhookEndpointCreate,
      valid: () =>
        fc.record({
          url: fc.domain().map((d) => `https://${d}/hooks`),
          events: fc.subarray([...WEBHOOK_EVENT_TYPES], { minLength: 1 }),
          fhir: fc.boolean(),
        }),
    },
    ok: WebhookEndpointCreated,
  },
  webhookList: { method: 'GET', path: '/v1/webhooks/endpoints', auth: 'admin', body: null, ok: WebhookEndpointList },
  webhookDeliveries: {
    method: 'GET',
    path: '/v1/webhooks/deliveries',
    auth: 'admin',
    body: null,
    query: { status: fc.constantFrom('retrying', 'delivered', 'failed', 'dead', 'replaying') },
    ok: WebhookDeliveryList,
  },
  webhookReplay: {
    method: 'POST',
    path: '/v1/webhooks/deliveries/replay',
    auth: 'admin',
    body: { schema: WebhookDeliveryRef, valid: (ctx) => replayBody(ctx.deliveries) },
    ok: WebhookReplayed,
  },
};

/** Endpoints that read or change webhook deliveries: they meet seeded ones, checked afterwards (fuzz-webhooks.ts). */
const WITH_DELIVERIES = new Set(['webhookDeliveries', 'webhookReplay']);

const RUNS = Number(env.FUZZ_RUNS) > 0 ? Number(env.FUZZ_RUNS) : 500;

/** A second instrument (1..7 by 1, three items) so that tokens choosing `ins` and grids other than 0..10 get fuzzed. */
const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }), {
  totalBelow: 9,
  itemBelow: 3,
});
const SETTINGS = { instruments: [LIKERT], ask: { mode: 'nth', n: 2 } };

const devTokenBody = fc.record(
  {
    sid: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,128}$/), { nil: undefined }),
    minutes: fc.option(fc.integer({ min: 1, max: 240 }), { nil: undefined }),
  },
  { requiredKeys: [] },
);

function onGrid(ins: Instrument) {
  const steps = Math.round((ins.max - ins.min) / ins.step);
  return fc.integer({ min: 0, max: steps }).map((k) => Math.round((ins.min + k * ins.step) * 1e6) / 1e6);
}

function ratingBody(_ctx: FuzzContext): fc.Arbitrary<unknown> {
  const rated = (ins: Instrument) =>
    fc
      .tuple(...ins.items.map((item) => onGrid(ins).map((value) => ({ id: item.id, value }))))
      .chain((items) => fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }))
      .map((items) => ({ kind: 'rating', instrument: ins.id, version: ins.version, items }));
  return fc.oneof(
    { arbitrary: rated(DEFAULT_INSTRUMENT), weight: 4 },
    { arbitrary: rated(LIKERT), weight: 2 },
    { arbitrary: fc.constant({ kind: 'declined' }), weight: 1 },
  );
}

const pacingBody = fc.integer({ min: 60, max: 6 * 3600 }).chain((d) =>
  fc.record({
    durationSeconds: fc.constant(d),
    therapistTalkSeconds: fc.integer({ min: 0, max: d }),
    clientTalkSeconds: fc.integer({ min: 0, max: d }),
    overlapSeconds: fc.integer({ min: 0, max: d }),
    overlapCount: fc.integer({ min: 0, max: 1000 }),
    silenceSeconds: fc.integer({ min: 0, max: d }),
    silenceCount: fc.integer({ min: 0, max: 1000 }),
    longestSilenceSeconds: fc.integer({ min: 0, max: d }),
    longestTherapistTurnSeconds: fc.integer({ min: 0, max: d }),
    therapistTurns: fc.integer({ min: 0, max: 1000 }),
    clientTurns: fc.integer({ min: 0, max: 1000 }),
    cuesShown: fc.integer({ min: 0, max: 50 }),
  }),
);

async function fuzzContext(): Promise<FuzzContext> {
  const origin = 'https://platform.fuzz.test';
  const platform = await seedPlatform({ settings: SETTINGS, origins: [origin] });
  const other = await seedPlatform();
  const ctx: FuzzContext = {
    platform,
    adminKey: (await seedAdminKey(platform.platformId)).key,
    otherAdminKey: (await seedAdminKey(other.platformId)).key,
    pools: {
      sids: ['fz-sid-alpha-1', 'fz-sid-bravo-2', "fz-sid-';DROP/**/TABLE/**/ratings;--", 'fz-sid-%00../..'],
      tids: ['fz-tid-one-111', 'fz-tid-two-222'],
      cids: ['fz-cid-one-111', 'fz-cid-two-222'],
    },
    instrumentIds: [DEFAULT_INSTRUMENT.id, LIKERT.id],
    origin,
    deliveries: [],
  };
  await seedSessions(ctx);
  return ctx;
}

/** Pooled sessions with data (two rated, one with pacing), so that reads, erasure and conflicts have rows to meet. */
async function seedSessions(ctx: FuzzContext): Promise<void> {
  const { sids, tids, cids } = ctx.pools;
  const mint = (i: number, role: 'client' | 'therapist') =>
    ctx.platform.mint({
      role,
      sub: role === 'client' ? cids[i % cids.length]! : tids[i % tids.length]!,
      sid: sids[i]!,
      tid: tids[i % tids.length]!,
      cid: cids[i % cids.length]!,
    });
  for (const i of [0, 1])
    expect((await postJson(sessionPath('rating'), await mint(i, 'client'), GOOD_RATING)).status).toBe(201);
  expect((await postJson(sessionPath('pacing'), await mint(2, 'therapist'), GOOD_PACING)).status).toBe(201);
}

interface Tally {
  statuses: Map<number, number>;
  codes: Set<string>;
  refs: Set<string>;
}

async function send(ep: Endpoint, request: Request, ctx: FuzzContext): Promise<Response> {
  if (ep.auth !== 'dev') return exports.default.fetch(request);
  const p = ctx.platform;
  return app.fetch(request, {
    ...env,
    DEV_MODE: '1',
    DEMO_PLATFORM_ID: p.platformId,
    DEMO_KID: p.kid,
    DEMO_PRIVATE_JWK: JSON.stringify(p.privateKey),
  });
}

async function checkAnswer(ep: Endpoint, plan: RequestPlan, res: Response, tally: Tally): Promise<void> {
  tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
  if (res.status === 101) {
    // A well-formed live upgrade: accept and close the socket, nothing more to check.
    res.webSocket?.accept();
    res.webSocket?.close(1000, 'fuzz');
    return;
  }
  const text = await res.text();
  expect(res.status, text).toBeLessThan(500);
  if (res.status < 400) {
    if (
      ep.ok &&
      res.status < 300 &&
      plan.method === ep.method &&
      /^application\/([a-z]+\+)?json/.test(res.headers.get('Content-Type') ?? '')
    ) {
      const parsed = v.safeParse(ep.ok, JSON.parse(text));
      expect(
        parsed.issues?.map((i) => v.getDotPath(i)),
        'success body fails its schema',
      ).toBeUndefined();
    }
    return;
  }
  if (plan.method === 'HEAD') return;
  expect(res.headers.get('Content-Type')).toContain('application/json');
  const body: unknown = JSON.parse(text);
  const parsed = v.parse(v.strictObject({ error: v.strictObject(ApiError.entries.error.entries) }), body);
  expect(parsed.error.code).toMatch(/^[a-z_]+$/);
  tally.codes.add(`${res.status} ${parsed.error.code}`);
  expect(text).not.toContain(MARKER);
  for (const s of injectedStrings(plan, schemaKeys(ep.body?.schema))) {
    expect(text.includes(s) || parsed.error.message.includes(s), `the error echoes ${JSON.stringify(s)}`).toBe(false);
  }
}

type Stored = StoredCounts & { replayed: number };

async function fuzzEndpoint(name: string, ep: Endpoint): Promise<{ tally: Tally; stored: Stored }> {
  const ctx = await fuzzContext();
  const deliveries = WITH_DELIVERIES.has(name) ? await seedDeliveries(ctx) : null;
  if (deliveries) ctx.deliveries = deliveries.refs;
  const tally: Tally = { statuses: new Map(), codes: new Set(), refs: new Set() };
  await fc.assert(
    fc.asyncProperty(requestPlan(ctx, ep), async (plan) => {
      const built = await buildRequest(ctx, ep, plan);
      if (!built) return;
      for (const r of built.refs) tally.refs.add(r);
      await checkAnswer(ep, plan, await send(ep, built.request, ctx), tally);
    }),
    { numRuns: RUNS },
  );
  const settings = parsePlatformSettings(JSON.stringify(SETTINGS));
  const instruments = ctx.instrumentIds.map((id) => instrumentFor(settings, id)!);
  const stored = {
    ...(await checkStored(ctx.platform.platformId, instruments, tally.refs)),
    replayed: deliveries ? await deliveries.check() : 0,
  };
  if (RUNS > 500)
    console.log(
      `fuzz ${name}: ${RUNS} runs, statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}, stored ${JSON.stringify(stored)}`,
    );
  return { tally, stored };
}

/** Endpoints that write: some writes must get through (and then passed checkStored). */
const WRITES: Record<string, (s: Stored) => void> = {
  rating: (s) => expect(s.rated + s.declined).toBeGreaterThan(0),
  pacing: (s) => expect(s.pacing).toBeGreaterThan(0),
  context: (s) => expect(s.sessions).toBeGreaterThan(0),
  reportTherapists: (s) => expect(s.audit).toBeGreaterThan(0),
  fhirExport: (s) => expect(s.audit).toBeGreaterThan(0),
  webhookCreate: (s) => expect(s.audit).toBeGreaterThan(0),
  webhookReplay: (s) => expect(s.replayed).toBeGreaterThan(0),
  // A read: the seeded deliveries stay exactly as they were.
  webhookDeliveries: (s) => expect(s.replayed).toBe(0),
};

const ok = (t: Tally) => [...t.statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
const TIMEOUT = RUNS * 400;

describe(`fuzz: ${RUNS} bad requests per endpoint, inside workerd`, () => {
  for (const [name, ep] of Object.entries(ENDPOINTS)) {
    it(
      `${ep.method} ${ep.path}: no 5xx, JSON errors that echo nothing, nothing stored off-schema`,
      async () => {
        const { tally, stored } = await fuzzEndpoint(name, ep);
        WRITES[name]?.(stored);
        // The fuzz reaches past the checks: some requests succeed, and several distinct refusals were met.
        if (ep.auth === 'live') expect(tally.statuses.get(101) ?? 0).toBeGreaterThan(0);
        else expect(ok(tally)).toBeGreaterThan(0);
        if (ep.auth !== 'none') expect(tally.codes.size).toBeGreaterThanOrEqual(4);
      },
      TIMEOUT,
    );
  }
});
