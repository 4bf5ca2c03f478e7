/** Hand-written OpenAPI 3.1 description of the public API; test/worker/openapi.test.ts keeps it in step with the routes. */

const error = { $ref: '#/components/responses/Error' };
const bearer = [{ sessionToken: [] }];
const adminBearer = [{ adminKey: [] }];
const dateParam = (name: string, what: string) => ({
  name,
  in: 'query',
  required: false,
  description: `${what} (YYYY-MM-DD, inclusive; widened to whole ISO weeks). Default: the last 13 weeks.`,
  schema: { type: 'string', format: 'date' },
});
const reportParams = [
  dateParam('from', 'First day'),
  dateParam('to', 'Last day'),
  { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'], default: 'json' } },
];
const num = (description?: string) => ({ type: ['number', 'null'], ...(description ? { description } : {}) });
const sid = { name: 'sid', in: 'path', required: true, description: 'The session ref from the token (URL-encoded).', schema: { type: 'string', minLength: 1, maxLength: 128 } };
const idemKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description: 'One key per submission (a UUID); a retry with the same key and body gets the stored response.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
};
const accepted = (status: string, extra: Record<string, object> = {}) => ({
  description: 'Stored (or, for an identical retry, the stored response again, with `Idempotent-Replayed: true`).',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['status', 'receivedAt'],
        properties: { status: { type: 'string', enum: status.split('|') }, receivedAt: { type: 'integer', description: 'epoch seconds' }, ...extra },
      },
    },
  },
});
const errors = { '400': error, '401': error, '403': error, '409': error, '413': error, '415': error, '422': error };

const score = {
  type: 'number',
  minimum: -1e6,
  maximum: 1e6,
  description: 'Within the session instrument’s min..max and on its step (GET /v1/context); 422 invalid_items otherwise.',
};
const seconds = { type: 'number', minimum: 0, maximum: 21600 };
const count = { type: 'integer', minimum: 0, maximum: 100000 };
const pacingFields = [
  'durationSeconds', 'therapistTalkSeconds', 'clientTalkSeconds', 'overlapSeconds', 'overlapCount', 'silenceSeconds',
  'silenceCount', 'longestSilenceSeconds', 'longestTherapistTurnSeconds', 'therapistTurns', 'clientTurns', 'cuesShown',
];
const PacingAggregates = {
  type: 'object',
  required: pacingFields,
  properties: Object.fromEntries(pacingFields.map((f) => [f, /Count$|Turns$|cuesShown/.test(f) ? count : seconds])),
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Attune API',
    version: '1.0.0',
    description:
      'Session feedback and pacing aggregates. Authenticate with a session token minted by the platform backend (sdk/mint-token.ts). Errors never echo input.',
  },
  components: {
    securitySchemes: {
      sessionToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'EdDSA (Ed25519) or HS256, `kid` header naming a registered key; claims iss, aud "attune", sub, role, sid, tid, cid, exp; 60 s skew; exp at most 24 h (+60 s) ahead, iat not in the future. Only POST /v1/sessions/{sid}/rating accepts a client token up to 7 days past exp (an offline-queued rating).',
      },
      adminKey: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'attune_admin_<43 chars>',
        description: 'A platform admin key from `npm run platform -- admin-key --platform ID` (shown once; Attune stores its SHA-256). Never a session token.',
      },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
      },
      RatingSubmission: {
        oneOf: [
          {
            type: 'object',
            required: ['kind', 'instrument', 'version', 'items'],
            properties: {
              kind: { const: 'rating' },
              instrument: { type: 'string' },
              version: { type: 'integer', minimum: 1 },
              items: {
                type: 'array',
                minItems: 1,
                maxItems: 12,
                items: { type: 'object', required: ['id', 'value'], properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$' }, value: score } },
              },
            },
          },
          { type: 'object', required: ['kind'], properties: { kind: { const: 'declined' } } },
        ],
      },
      PacingAggregates,
      TrendPoint: {
        type: 'object',
        required: ['at', 'total', 'items', 'therapistShare'],
        properties: {
          at: { type: 'integer', description: 'epoch seconds of the rating (or of the session when not rated)' },
          total: { type: ['number', 'null'] },
          items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, value: { type: 'number' } } } },
          therapistShare: { type: ['number', 'null'], description: 'therapist share of talk, 0..1, from the session’s pacing' },
        },
      },
      Trend: {
        type: 'object',
        required: ['client', 'therapist'],
        properties: {
          client: { type: 'array', description: 'The client’s rated sessions with this therapist, oldest first; this session last.', items: { $ref: '#/components/schemas/TrendPoint' } },
          therapist: {
            type: 'object',
            required: ['days', 'sessions', 'meanTotal', 'meanTherapistShare'],
            description: 'The therapist’s rolling mean over the last `days` days (platform setting trend.days, default 90).',
            properties: { days: { type: 'integer' }, sessions: { type: 'integer' }, meanTotal: num(), meanTherapistShare: num() },
          },
        },
      },
      ReportRow: {
        type: 'object',
        required: ['key', 'sessions', 'asked', 'meanTotal', 'flaggedShare', 'completionRate', 'meanTherapistShare', 'suppressed', 'talkShareSuppressed'],
        properties: {
          key: { type: 'string', description: 'therapist pseudonym (t_...), week start (YYYY-MM-DD) or "total"' },
          sessions: { type: ['integer', 'null'], description: 'rated sessions; null when suppressed' },
          asked: { type: ['integer', 'null'], description: 'sessions in which the client was asked (declines included)' },
          meanTotal: num(),
          flaggedShare: num(),
          completionRate: num('rated / asked'),
          meanTherapistShare: num('over sessions with pacing; suppressed on its own count'),
          suppressed: { type: 'boolean' },
          talkShareSuppressed: { type: 'boolean' },
        },
      },
      Report: {
        type: 'object',
        required: ['report', 'from', 'to', 'minCell', 'minClients', 'rows', 'total'],
        description:
          'Cells resting on fewer than minCell sessions or fewer than minClients distinct clients are null, with the complementary cells that would reveal them. The range is widened to whole ISO weeks.',
        properties: {
          report: { type: 'string', enum: ['therapists', 'weeks'] },
          from: { type: 'string', format: 'date' },
          to: { type: 'string', format: 'date' },
          minCell: { type: 'integer' },
          minClients: { type: 'integer' },
          rows: { type: 'array', items: { $ref: '#/components/schemas/ReportRow' } },
          total: { $ref: '#/components/schemas/ReportRow' },
        },
      },
      SessionSummary: {
        type: 'object',
        required: ['status', 'instrument', 'items', 'total', 'maxTotal', 'flags', 'ratedAt', 'pacing'],
        properties: {
          status: { type: 'string', enum: ['pending', 'rated', 'declined'] },
          instrument: { type: ['object', 'null'], properties: { id: { type: 'string' }, version: { type: 'integer' } } },
          items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, value: { type: 'number' } } } },
          total: { type: ['number', 'null'] },
          maxTotal: { type: ['number', 'null'] },
          flags: {
            type: 'array',
            description: 'Each flag names the rule that raised it, with its threshold and the numbers it compared.',
            items: {
              type: 'object',
              required: ['rule', 'threshold'],
              properties: {
                rule: { type: 'string', enum: ['total_below', 'item_below', 'drop_from_previous', 'drop_from_mean'] },
                threshold: { type: 'number' },
                total: { type: 'number' },
                previous: { type: 'number' },
                mean: { type: 'number' },
                sessions: { type: 'integer' },
                items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, value: { type: 'number' } } } },
              },
            },
          },
          ratedAt: { type: ['integer', 'null'] },
          pacing: { oneOf: [{ $ref: '#/components/schemas/PacingAggregates' }, { type: 'null' }] },
          trend: { $ref: '#/components/schemas/Trend' },
          asked: { type: 'boolean', description: 'whether the client was asked to rate this session (their page asked)' },
          skipped: { type: 'boolean', description: "true when the platform's feedback-fatigue setting skips this session: the client will not be asked" },
        },
      },
    },
    responses: {
      Error: { description: 'An error; the body never echoes the request.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  },
  paths: {
    '/v1/context': {
      get: {
        summary: 'What the widget needs at mount: role, instrument, locale, schedule, cue settings; for the client whether to ask (recorded as asked).',
        security: bearer,
        responses: {
          '200': {
            description: 'The context for this token.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['role', 'instrument', 'locale', 'schedule', 'cues'],
                  properties: {
                    role: { type: 'string', enum: ['client', 'therapist'] },
                    instrument: { type: 'object' },
                    locale: { type: 'string' },
                    schedule: { type: ['object', 'null'], properties: { start: { type: 'integer' }, end: { type: 'integer' } } },
                    cues: { type: 'object' },
                    ask: { type: 'boolean', description: 'client role only: false when the platform’s feedback-fatigue setting skips this session' },
                  },
                },
              },
            },
          },
          '401': error,
          '403': error,
          '422': error,
        },
      },
    },
    '/v1/sessions/{sid}/rating': {
      post: {
        summary:
          'The client rates (or declines to rate) its session. Exactly once per session. Accepts the session’s client token up to 7 days after its exp (a rating queued offline); 403 session_mismatch when the session was recorded with other participants.',
        security: bearer,
        parameters: [sid, idemKey],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RatingSubmission' } } } },
        responses: {
          '201': accepted('rated|declined', { delivered: { type: 'boolean', description: 'the summary reached at least one open therapist socket' } }),
          ...errors,
        },
      },
    },
    '/v1/sessions/{sid}/pacing': {
      post: {
        summary: 'The therapist widget records the session’s pacing aggregates. Exactly once per session.',
        security: bearer,
        parameters: [sid, idemKey],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/PacingAggregates' } } } },
        responses: { '201': accepted('recorded'), ...errors },
      },
    },
    '/v1/sessions/{sid}/summary': {
      get: {
        summary: 'The therapist reads the session summary (status pending until the client rates).',
        security: bearer,
        parameters: [sid],
        responses: {
          '200': { description: 'The summary.', content: { 'application/json': { schema: { $ref: '#/components/schemas/SessionSummary' } } } },
          '401': error,
          '403': error,
        },
      },
    },
    '/v1/live': {
      get: {
        summary: 'The therapist’s WebSocket: `{ "type": "summary", "summary": SessionSummary }` at once and after every change; send `ping`, get `pong`.',
        description:
          'Open with `new WebSocket(url, ["attune.v1", "bearer." + token])`: the token travels in Sec-WebSocket-Protocol, never in the URL. The 101 answer selects `attune.v1`. Therapist token only.',
        parameters: [
          { name: 'Sec-WebSocket-Protocol', in: 'header', required: true, description: '`attune.v1, bearer.<session JWT>`', schema: { type: 'string' } },
          { name: 'Upgrade', in: 'header', required: true, schema: { type: 'string', const: 'websocket' } },
        ],
        responses: { '101': { description: 'Switching protocols (subprotocol attune.v1).' }, '401': error, '403': error, '426': error },
      },
    },
    '/v1/trends': {
      get: {
        summary: 'The client’s series with this therapist and the therapist’s rolling mean (also inside every summary).',
        security: bearer,
        responses: {
          '200': { description: 'The trend.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Trend' } } } },
          '401': error,
          '403': error,
        },
      },
    },
    '/v1/reports/therapists': {
      get: {
        summary: 'Per therapist (pseudonym): sessions, mean total, flagged share, completion rate, mean talk share; small cells suppressed. Audited.',
        security: adminBearer,
        parameters: reportParams,
        responses: {
          '200': {
            description: 'The report (JSON or CSV; suppressed CSV cells are empty; the last line is the total).',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } }, 'text/csv': { schema: { type: 'string' } } },
          },
          '400': error,
          '401': error,
        },
      },
    },
    '/v1/reports/weeks': {
      get: {
        summary: 'Per ISO week: the same measures over all therapists; small cells suppressed. Audited.',
        security: adminBearer,
        parameters: reportParams,
        responses: {
          '200': {
            description: 'The report (JSON or CSV).',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } }, 'text/csv': { schema: { type: 'string' } } },
          },
          '400': error,
          '401': error,
        },
      },
    },
    '/v1/reports/pseudonyms': {
      post: {
        summary: 'Maps the platform’s own therapist refs to their report pseudonyms (hashed here, never stored). Audited.',
        security: adminBearer,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['therapists'], properties: { therapists: { type: 'array', maxItems: 1000, items: { type: 'string' } } } } } },
        },
        responses: {
          '200': {
            description: 'One pseudonym per ref.',
            content: { 'application/json': { schema: { type: 'object', properties: { pseudonyms: { type: 'array', items: { type: 'object', properties: { ref: { type: 'string' }, pseudonym: { type: 'string' } } } } } } } },
          },
          '401': error,
          '422': error,
        },
      },
    },
    '/v1/clients/{ref}': {
      delete: {
        summary: 'Erases a client: sessions, ratings, pacing and idempotency records; the rollups are adjusted in the same transaction. Audited (without the ref).',
        security: adminBearer,
        parameters: [{ name: 'ref', in: 'path', required: true, description: 'The client ref (URL-encoded).', schema: { type: 'string', minLength: 1, maxLength: 128 } }],
        responses: {
          '200': { description: 'What was erased.', content: { 'application/json': { schema: { type: 'object', properties: { erased: { type: 'object', properties: { sessions: { type: 'integer' } } } } } } } },
          '400': error,
          '401': error,
        },
      },
    },
  },
} as const;
