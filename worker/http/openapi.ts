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
import { CaseloadRequest, CaseloadResponse } from '../../schemas/caseload.ts';
import { ApiError } from '../../schemas/common.ts';
import {
  FhirQuestionnaire,
  FhirQuestionnaireBundle,
  FhirQuestionnaireResponse,
  QuestionnaireResponseRequest,
} from '../../schemas/fhir.ts';
import {
  WebhookDeleted,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryQuery,
  WebhookDeliveryRef,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookEndpointRef,
  WebhookEvent,
  WebhookReplayed,
  WebhookRotated,
  WEBHOOK_EVENT_TYPES,
} from '../../schemas/webhook.ts';
import { SIGNATURE_HEADER } from '../../sdk/webhook-signature.ts';
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
  FhirQuestionnaire,
  FhirQuestionnaireBundle,
  QuestionnaireResponseRequest,
  FhirQuestionnaireResponse,
  WebhookEndpointCreate,
  WebhookEndpoint,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookEndpointRef,
  WebhookRotated,
  WebhookDeleted,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryRef,
  WebhookReplayed,
  WebhookEvent,
  CaseloadRequest,
  CaseloadResponse,
} satisfies Record<string, Schema>;

/** Schemas of the `{name}` placeholders any path may use: none today, since refs never go in a URL (logs record URLs). */
const PATH_PARAMS: Record<string, { schema: Schema; description: string }> = {};

type Auth = 'session' | 'admin';

interface Answer {
  description: string;
  schema?: Schema;
  /** Also served as CSV (`?format=csv`). */
  csv?: true;
  /** The JSON media type when not application/json (FHIR's application/fhir+json). */
  media?: string;
}

export interface Route {
  /** operationId; stable when the method or path moves. */
  id: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  auth: Auth;
  /** Token roles the route accepts (session auth). */
  roles?: readonly ('client' | 'therapist' | 'caseload')[];
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
 * token was issued (final). 429 `too_many_failures` (with Retry-After). 503 `lookup_timeout`: retry; 503
 * `events_not_queued`: stored, but its webhook events could not be queued yet: retry with the same key.
 */
/** How the reports' mean total keeps to one instrument (both report routes). */
const REPORT_INSTRUMENT =
  'Rated totals of different instruments (or versions) are on different scales and are never averaged together: `meanTotal` and `instrumentSessions` are of one instrument, named in `instrument` (the query’s `instrument` id, else the one with the most rated sessions in the range’s published week totals; an id the platform has not registered is 422 unknown_instrument), suppressed on their own counts, with every cell whose sessions are suppressed, and over every instrument at once: a part on one instrument is hidden with a small part on another (a cell’s sessions less one part, or the reports on two instruments side by side, never give a hidden part). Session counts, completion, flagged share and talk share are over every instrument. Weeks published before the reports were split by instrument (migration 0015) keep their frozen figures but add nothing to a mean total; `weeksWithoutInstrument` names them.';

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
      'The session comes from the token, never the URL. Accepts the session’s client token up to 7 days after its exp (a rating queued offline); 403 session_mismatch when the session was recorded with other participants; 409 already_rated when it already holds this client’s rating under another key, or session_instrument_mismatch when the token names another instrument than the one the session was recorded with; 410 client_erased when the client was erased after the token was issued. Item values are stored snapped to the instrument’s grid.',
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
      'Open with `new WebSocket(url, ["attune.v1", "bearer." + token])`: the token travels in Sec-WebSocket-Protocol, never in the URL or an Authorization header. The 101 answer selects `attune.v1`. 403 session_mismatch when the session was recorded with other participants. The socket gets nothing once its token expired (60 s skew) or its key was revoked: it is closed with 1008; it takes nothing but `ping` (answered `pong`): any other message closes it with 1003; at most 8 sockets per therapist and client, a ninth closes their oldest with 1013.',
    ok: { 101: { description: 'Switching protocols (subprotocol attune.v1).' } },
    errors: [401, 403, 426],
  },
  {
    id: 'getTrends',
    method: 'get',
    path: '/v1/trends',
    auth: 'session',
    roles: ['therapist'],
    summary:
      'The client’s series with this therapist and the therapist’s rolling mean, both on this session’s instrument (also inside every summary).',
    description: '403 session_mismatch when the session was recorded with other participants, as for the summary.',
    ok: { 200: { description: 'The trend.', schema: Trend } },
    errors: [401, 403],
  },
  {
    id: 'postCaseload',
    method: 'post',
    path: '/v1/caseload',
    auth: 'session',
    roles: ['caseload'],
    summary:
      'The therapist’s caseload: for the client refs in the body, who is not on track, and the therapist’s own pacing beside their clients’ ratings.',
    description:
      'Read-only; a caseload token only (role caseload: the therapist alone, no session; every session route refuses it with 403, and this route refuses session tokens). The refs are the platform’s own client refs, sent in the body, hashed like every ref and never stored; an unknown ref answers `no_data`; names never leave the browser (unknown keys are refused). Not on track: the latest total at least the instrument’s drop below the mean of up to meanWindow earlier sessions (meanMinSessions at least), or two consecutive falls adding up to the drop, counting only the client’s ratings on the instrument version of their newest rating (`clients[].instrument`, which their `totals` are on too; a new version may have another scale). The pacing comparison splits the window’s sessions at the platform’s talk-balance cue threshold (on a 5 % grid) and gives Welch’s 95 % interval of the difference only with 10 or more sessions on each side. The whole pacing part is on one instrument (`pacing.instrument`: the body’s `instrument`, else the one with the most sessions in the window; an id the platform has not registered is 422 unknown_instrument), so totals on different scales are never averaged together. Read from rollups (migrations 0009, 0013, 0016).',
    body: CaseloadRequest,
    ok: { 200: { description: 'One entry per distinct ref, in the order sent.', schema: CaseloadResponse } },
    errors: [400, 401, 403, 413, 415, 422, 429, 503],
  },
  {
    id: 'getTherapistReport',
    method: 'get',
    path: '/v1/reports/therapists',
    auth: 'admin',
    summary:
      'Per therapist (pseudonym): sessions, flagged share, completion rate and mean talk share over every instrument, and the mean total on one instrument; small cells suppressed. Audited.',
    description: REPORT_INSTRUMENT,
    query: ReportQuery,
    ok: {
      200: {
        description: 'The report (CSV: suppressed cells are empty; the last line is the total).',
        schema: Report,
        csv: true,
      },
    },
    errors: [400, 401, 422],
  },
  {
    id: 'getWeekReport',
    method: 'get',
    path: '/v1/reports/weeks',
    auth: 'admin',
    summary: 'Per ISO week: the same measures over all therapists; small cells suppressed. Audited.',
    description: REPORT_INSTRUMENT,
    query: ReportQuery,
    ok: { 200: { description: 'The report (JSON or CSV).', schema: Report, csv: true } },
    errors: [400, 401, 422],
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
  {
    id: 'getFhirQuestionnaires',
    method: 'get',
    path: '/v1/fhir/questionnaires',
    auth: 'admin',
    summary:
      'Every instrument the platform’s ratings can use (its registered ones and the built-in one) as FHIR R4 Questionnaires, in a Bundle.',
    description:
      'Each Questionnaire’s canonical `url` is `<FHIR_CANONICAL_BASE>/<platform id>/Questionnaire/<instrument id>` with the instrument’s `version`: what a QuestionnaireResponse’s `questionnaire` names.',
    ok: {
      200: {
        description: 'A FHIR R4 Bundle (collection) of Questionnaires.',
        schema: FhirQuestionnaireBundle,
        media: 'application/fhir+json',
      },
    },
    errors: [401, 429],
  },
  {
    id: 'exportQuestionnaireResponse',
    method: 'post',
    path: '/v1/fhir/questionnaire-response',
    auth: 'admin',
    summary:
      'A session’s rating as a FHIR R4 QuestionnaireResponse: `completed` with one answer per item, or `stopped` without items (tagged asked-declined) when the client declined. Audited (without the refs).',
    description:
      'The session and client refs go in the body, never the URL; they are hashed to find the session, echoed as the `encounter` and `subject` identifiers (under the systems in the platform’s `fhir` settings), and never stored. No name, email, IP, therapist or Attune hash is in the resource. 404 `session_not_found` / `rating_not_found`; 409 `client_mismatch` (the session was recorded with another client) or `instrument_unavailable` (the platform no longer keeps the rating’s instrument version); 410 `client_erased`.',
    body: QuestionnaireResponseRequest,
    ok: {
      200: {
        description: 'A FHIR R4 QuestionnaireResponse.',
        schema: FhirQuestionnaireResponse,
        media: 'application/fhir+json',
      },
    },
    errors: [400, 401, 404, 409, 410, 413, 415, 422, 429],
  },
  {
    id: 'createWebhookEndpoint',
    method: 'post',
    path: '/v1/webhooks/endpoints',
    auth: 'admin',
    summary:
      'Registers an https endpoint for events (rating.created, rating.flagged, rating.declined, pacing.recorded). The answer holds the signing secret (whsec_…), shown once. Audited.',
    description:
      'Each delivery is a POST of a `WebhookEvent` with `Attune-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; verify it with `verifyWebhook` from `attune/server`. 422 invalid_url when the url is not https with a host name (an IP literal, credentials, a fragment, or a name under .localhost, .local, .internal, .arpa or .localdomain are refused; a stored url is checked again before each delivery); 409 too_many_endpoints past 16.',
    body: WebhookEndpointCreate,
    ok: { 201: { description: 'Registered; `secret` is shown only here.', schema: WebhookEndpointCreated } },
    errors: [400, 401, 409, 413, 415, 422, 429],
  },
  {
    id: 'listWebhookEndpoints',
    method: 'get',
    path: '/v1/webhooks/endpoints',
    auth: 'admin',
    summary: 'The platform’s webhook endpoints (never their secrets).',
    ok: { 200: { description: 'The endpoints.', schema: WebhookEndpointList } },
    errors: [401, 429],
  },
  {
    id: 'rotateWebhookSecret',
    method: 'post',
    path: '/v1/webhooks/endpoints/rotate',
    auth: 'admin',
    summary:
      'A new signing secret for the endpoint, shown once. Until `previousUntil` (24 h) deliveries carry a v1 signature under each secret. Audited.',
    body: WebhookEndpointRef,
    ok: { 200: { description: 'The new secret.', schema: WebhookRotated } },
    errors: [400, 401, 404, 413, 415, 422, 429],
  },
  {
    id: 'deleteWebhookEndpoint',
    method: 'post',
    path: '/v1/webhooks/endpoints/delete',
    auth: 'admin',
    summary: 'Deletes the endpoint; its queued deliveries are dropped. Audited.',
    body: WebhookEndpointRef,
    ok: { 200: { description: 'Deleted.', schema: WebhookDeleted } },
    errors: [400, 401, 404, 413, 415, 422, 429],
  },
  {
    id: 'listWebhookDeliveries',
    method: 'get',
    path: '/v1/webhooks/deliveries',
    auth: 'admin',
    summary:
      'The 100 most recent deliveries: event id, type, endpoint, status (retrying, delivered, failed, dead, replaying), attempts, the receiver’s last HTTP status, and `deadAt` when its retries ran out and it reached the dead-letter queue. No payload and no ref is kept. `?status=dead` lists only the deliveries in that state (the 100 most recent of them), however many others came since; an unknown status is 400 `invalid_status`.',
    query: WebhookDeliveryQuery,
    ok: { 200: { description: 'The deliveries, newest first.', schema: WebhookDeliveryList } },
    errors: [400, 401, 429],
  },
  {
    id: 'replayWebhookDelivery',
    method: 'post',
    path: '/v1/webhooks/deliveries/replay',
    auth: 'admin',
    summary:
      'Replays a dead delivery: it becomes `replaying`, is queued again within 15 minutes (its message waits in the dead-letter queue, never in D1) and then retried like a new one. Audited.',
    description:
      '404 `unknown_delivery` / `unknown_endpoint` for ids this platform does not have; 409 `delivery_not_dead` when the delivery is not dead (delivered, retrying or already replaying); 410 `event_gone` when the event went with its session (erased or expired).',
    body: WebhookDeliveryRef,
    ok: { 202: { description: 'Replay requested.', schema: WebhookReplayed } },
    errors: [400, 401, 404, 409, 410, 413, 415, 422, 429],
  },
];

const SECURITY_SCHEMES = {
  sessionToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Minted by the platform backend (`attune/server`, AccessToken). EdDSA (Ed25519) or HS256, `kid` header naming a registered key; claims iss, aud "attune", sub, role, sid, tid, cid, exp (a caseload token, role caseload, has tid and no sid or cid); 60 s skew; exp at most 24 h (+60 s) ahead, iat not in the future.',
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
    if (answer.schema) content[answer.media ?? 'application/json'] = { schema: refOf(answer.schema) };
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
    webhooks: eventWebhooks(refOf),
  };
}

/** What Attune POSTs to a registered endpoint: one entry per event type, all with the same signed body. */
function eventWebhooks(refOf: (s: Schema) => JsonSchema): Json {
  const entries: Json = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    entries[type] = {
      post: {
        operationId: `event.${type}`,
        summary: `The ${type} event, signed (Attune-Signature).`,
        description:
          'Verify with `verifyWebhook(rawBody, header, secret)` from `attune/server`; deduplicate by `id` (the same in every redelivery); answer 2xx within 10 s. Anything else is retried with exponential backoff (30 s doubling, 11 attempts).',
        parameters: [
          {
            name: SIGNATURE_HEADER,
            in: 'header',
            required: true,
            description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one v1 per signing secret.',
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: refOf(WebhookEvent) } } },
        responses: { '200': { description: 'Any 2xx acknowledges the delivery.' } },
      },
    };
  }
  return entries;
}

let cached: Json | undefined;
/** The document, built on first use (not at Worker start-up). */
export function openApiDocument(): Json {
  cached ??= buildOpenApiDocument();
  return cached;
}
