/**
 * The OpenAPI 3.1 document, generated from the valibot schemas the Worker validates with (@valibot/to-json-schema):
 * ROUTES below is the one table of method, path, auth, request and response schemas; nothing else restates a
 * field. A path's `{name}` placeholders take their schema from PATH_PARAMS, so moving a route is a one-line edit.
 * test/worker/http/openapi.test.ts validates the document and checks real responses against it.
 */
import { toJsonSchemaDefs, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import {
  Erasure,
  EraseRequest,
  PseudonymList,
  PseudonymRequest,
  Report,
  ReportQuery,
  ReportRow,
} from '../../schemas/admin.ts';
import { ApiError } from '../../schemas/common.ts';
import { Instrument, InstrumentItem } from '../../schemas/instrument.ts';
import { CueSettings, PacingAggregates } from '../../schemas/pacing.ts';
import { IdempotencyKey, RatingSubmission } from '../../schemas/rating.ts';
import {
  PacingReceipt,
  RatingReceipt,
  SessionContext,
  SessionSummary,
  Trend,
  TrendPoint,
} from '../../schemas/summary.ts';

type Schema = v.GenericSchema;

/** Named schemas: each becomes `#/components/schemas/<name>` and is referenced wherever it appears. */
const COMPONENTS = {
  Error: ApiError,
  RatingSubmission,
  RatingReceipt,
  PacingAggregates,
  PacingReceipt,
  SessionSummary,
  SessionContext,
  Instrument,
  InstrumentItem,
  CueSettings,
  Trend,
  TrendPoint,
  Report,
  ReportRow,
  PseudonymRequest,
  PseudonymList,
  EraseRequest,
  Erasure,
} satisfies Record<string, Schema>;

/** Schemas of the `{name}` placeholders any path may use: none today, since refs never go in a URL (logs record URLs). */
const PATH_PARAMS: Record<string, { schema: Schema; description: string }> = {};

type Auth = 'session' | 'admin';

interface Answer {
  description: string;
  schema?: Schema;
  /** Also served as CSV (`?format=csv`). */
  csv?: true;
}

export interface Route {
  /** operationId; stable when the method or path moves. */
  id: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  auth: Auth;
  /** Token roles the route accepts (session auth). */
  roles?: readonly ('client' | 'therapist')[];
  summary: string;
  description?: string;
  query?: v.ObjectSchema<v.ObjectEntries, undefined>;
  headers?: Record<string, { schema: Schema; description: string }>;
  body?: Schema;
  ok: Record<number, Answer>;
  /** Error statuses; every one answers with `Error`. */
  errors: readonly number[];
}

const idempotency = {
  'Idempotency-Key': {
    schema: IdempotencyKey,
    description:
      'One key per submission (a UUID), unique within the session: a retry with the same key and body gets the stored response, with `Idempotent-Replayed: true`; the same key in the same session with another body is 409 idempotency_conflict; in another session it is another request.',
  },
};
/**
 * 409 codes: `already_rated` / `already_recorded` (the session already holds it under another key; only ever sent to
 * the session's own participants) and `idempotency_conflict`. 410 `client_erased`: the client was erased after the
 * token was issued (final). 429 `too_many_failures` (with Retry-After). 503 `lookup_timeout`: retry.
 */
const writeErrors = [400, 401, 403, 409, 410, 413, 415, 422, 429, 503] as const;

export const ROUTES: readonly Route[] = [
  {
    id: 'getContext',
    method: 'get',
    path: '/v1/context',
    auth: 'session',
    roles: ['client', 'therapist'],
    summary:
      'What the widget needs at mount: role, instrument, locale, schedule, cue settings; for the client whether to ask (recorded as asked).',
    ok: { 200: { description: 'The context for this token.', schema: SessionContext } },
    errors: [401, 403, 422],
  },
  {
    id: 'postRating',
    method: 'post',
    path: '/v1/session/rating',
    auth: 'session',
    roles: ['client'],
    summary: 'The client rates (or declines to rate) the token’s session. Exactly once per session.',
    description:
      'The session comes from the token, never the URL. Accepts the session’s client token up to 7 days after its exp (a rating queued offline); 403 session_mismatch when the session was recorded with other participants; 409 already_rated when it already holds this client’s rating under another key; 410 client_erased when the client was erased after the token was issued. Item values are stored snapped to the instrument’s grid.',
    headers: idempotency,
    body: RatingSubmission,
    ok: {
      201: { description: 'Stored (or, for an identical retry, the stored response again).', schema: RatingReceipt },
    },
    errors: writeErrors,
  },
  {
    id: 'postPacing',
    method: 'post',
    path: '/v1/session/pacing',
    auth: 'session',
    roles: ['therapist'],
    summary: 'The therapist widget records the session’s pacing aggregates. Exactly once per session.',
    headers: idempotency,
    body: PacingAggregates,
    ok: {
      201: { description: 'Stored (or, for an identical retry, the stored response again).', schema: PacingReceipt },
    },
    errors: writeErrors,
  },
  {
    id: 'getSummary',
    method: 'get',
    path: '/v1/session/summary',
    auth: 'session',
    roles: ['therapist'],
    summary: 'The therapist reads the session summary (status pending until the client rates).',
    ok: { 200: { description: 'The summary.', schema: SessionSummary } },
    errors: [401, 403],
  },
  {
    id: 'openLive',
    method: 'get',
    path: '/v1/live',
    auth: 'session',
    roles: ['therapist'],
    summary:
      'The therapist’s WebSocket: `{ "type": "summary", "summary": SessionSummary }` at once and after every change; send `ping`, get `pong`.',
    description:
      'Open with `new WebSocket(url, ["attune.v1", "bearer." + token])`: the token travels in Sec-WebSocket-Protocol, never in the URL or an Authorization header. The 101 answer selects `attune.v1`.',
    ok: { 101: { description: 'Switching protocols (subprotocol attune.v1).' } },
    errors: [401, 403, 426],
  },
  {
    id: 'getTrends',
    method: 'get',
    path: '/v1/trends',
    auth: 'session',
    roles: ['therapist'],
    summary: 'The client’s series with this therapist and the therapist’s rolling mean (also inside every summary).',
    ok: { 200: { description: 'The trend.', schema: Trend } },
    errors: [401, 403],
  },
  {
    id: 'getTherapistReport',
    method: 'get',
    path: '/v1/reports/therapists',
    auth: 'admin',
    summary:
      'Per therapist (pseudonym): sessions, mean total, flagged share, completion rate, mean talk share; small cells suppressed. Audited.',
    query: ReportQuery,
    ok: {
      200: {
        description: 'The report (CSV: suppressed cells are empty; the last line is the total).',
        schema: Report,
        csv: true,
      },
    },
    errors: [400, 401],
  },
  {
    id: 'getWeekReport',
    method: 'get',
    path: '/v1/reports/weeks',
    auth: 'admin',
    summary: 'Per ISO week: the same measures over all therapists; small cells suppressed. Audited.',
    query: ReportQuery,
    ok: { 200: { description: 'The report (JSON or CSV).', schema: Report, csv: true } },
    errors: [400, 401],
  },
  {
    id: 'postPseudonyms',
    method: 'post',
    path: '/v1/reports/pseudonyms',
    auth: 'admin',
    summary: 'Maps the platform’s own therapist refs to their report pseudonyms (hashed here, never stored). Audited.',
    body: PseudonymRequest,
    ok: { 200: { description: 'One pseudonym per ref.', schema: PseudonymList } },
    errors: [400, 401, 415, 422],
  },
  {
    id: 'eraseClient',
    method: 'post',
    path: '/v1/clients/erase',
    auth: 'admin',
    summary:
      'Erases a client: sessions, ratings, pacing and idempotency records; rollups adjusted in the same transaction, with a tombstone that refuses later writes from tokens issued before the erasure (410 client_erased). The ref is in the body, never in the URL. Audited (without the ref). Published report weeks are frozen and not recomputed.',
    body: EraseRequest,
    ok: { 200: { description: 'What was erased.', schema: Erasure } },
    errors: [400, 401, 413, 415, 422, 429],
  },
];

const SECURITY_SCHEMES = {
  sessionToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Minted by the platform backend (`attune/server`, AccessToken). EdDSA (Ed25519) or HS256, `kid` header naming a registered key; claims iss, aud "attune", sub, role, sid, tid, cid, exp; 60 s skew; exp at most 24 h (+60 s) ahead, iat not in the future.',
  },
  adminKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'attune_admin_<43 chars>',
    description:
      'A platform admin key from `npm run platform -- admin-key --platform ID` (shown once; Attune stores its SHA-256). Never a session token.',
  },
} as const;

type Json = Record<string, unknown>;

function toComponents(): { schemas: Record<string, JsonSchema>; refOf: (s: Schema) => JsonSchema } {
  // `v.check` (Instrument's min < max) has no JSON Schema form: the Worker enforces it. `v.finite` needs none: a
  // JSON number is always finite. `v.transform` (a flag rule's `false` read as off) keeps its input form.
  const config: ConversionConfig = {
    target: 'draft-2020-12',
    ignoreActions: ['check', 'finite', 'transform'],
    overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
  };
  const schemas = toJsonSchemaDefs(COMPONENTS, config);
  const names = new Map<Schema, string>(Object.entries(COMPONENTS).map(([k, s]) => [s, k]));
  const inline = (s: Schema) => toJsonSchemaDefs({ inline: s }, config).inline;
  return { schemas, refOf: (s) => (names.has(s) ? { $ref: `#/components/schemas/${names.get(s)}` } : inline(s)) };
}

function operation(route: Route, refOf: (s: Schema) => JsonSchema): Json {
  const params: Json[] = [];
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
    const p = PATH_PARAMS[name!];
    if (!p) throw new Error(`no PATH_PARAMS entry for {${name}} in ${route.path}`);
    params.push({ name, in: 'path', required: true, description: p.description, schema: refOf(p.schema) });
  }
  for (const [name, entry] of Object.entries(route.query?.entries ?? {})) {
    params.push({ name, in: 'query', required: entry.type !== 'optional', schema: refOf(entry) });
  }
  for (const [name, h] of Object.entries(route.headers ?? {})) {
    params.push({ name, in: 'header', required: true, description: h.description, schema: refOf(h.schema) });
  }
  const responses: Json = {};
  for (const [status, answer] of Object.entries(route.ok)) {
    const content: Json = {};
    if (answer.schema) content['application/json'] = { schema: refOf(answer.schema) };
    if (answer.csv) content['text/csv'] = { schema: { type: 'string' } };
    responses[status] = { description: answer.description, ...(answer.schema ? { content } : {}) };
  }
  for (const status of route.errors) responses[status] = { $ref: '#/components/responses/Error' };
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.roles ? { 'x-attune-roles': route.roles } : {}),
    security: [{ [route.auth === 'admin' ? 'adminKey' : 'sessionToken']: [] }],
    ...(params.length ? { parameters: params } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: refOf(route.body) } } } }
      : {}),
    responses,
  };
}

/** Builds the document from ROUTES and the schemas. */
export function buildOpenApiDocument(routes: readonly Route[] = ROUTES): Json {
  const { schemas, refOf } = toComponents();
  const paths: Record<string, Json> = {};
  for (const r of routes) paths[r.path] = { ...paths[r.path], [r.method]: operation(r, refOf) };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Attune API',
      version: '1.0.0',
      description:
        'Session feedback and pacing aggregates. Authenticate with a session token minted by the platform backend (`attune/server`). Errors never echo input.',
    },
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas,
      responses: {
        Error: {
          description: 'An error; the body never echoes the request.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
    paths,
  };
}

let cached: Json | undefined;
/** The document, built on first use (not at Worker start-up). */
export function openApiDocument(): Json {
  cached ??= buildOpenApiDocument();
  return cached;
}
