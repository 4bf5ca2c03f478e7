/** Hand-written OpenAPI 3.1 description of the public API; test/worker/openapi.test.ts keeps it in step with the routes. */

const error = { $ref: '#/components/responses/Error' };
const bearer = [{ sessionToken: [] }];
const sid = { name: 'sid', in: 'path', required: true, description: 'The session ref from the token (URL-encoded).', schema: { type: 'string', minLength: 1, maxLength: 128 } };
const idemKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description: 'One key per submission (a UUID); a retry with the same key and body gets the stored response.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
};
const accepted = (status: string) => ({
  description: 'Stored (or, for an identical retry, the stored response again, with `Idempotent-Replayed: true`).',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['status', 'receivedAt'],
        properties: { status: { type: 'string', enum: status.split('|') }, receivedAt: { type: 'integer', description: 'epoch seconds' } },
      },
    },
  },
});
const errors = { '400': error, '401': error, '403': error, '409': error, '413': error, '415': error, '422': error };

const score = { type: 'number', minimum: 0, maximum: 10, multipleOf: 0.1 };
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
        description: 'EdDSA (Ed25519) or HS256, `kid` header naming a registered key; claims iss, aud "attune", sub, role, sid, tid, cid, exp; 60 s skew.',
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
      SessionSummary: {
        type: 'object',
        required: ['status', 'instrument', 'items', 'total', 'maxTotal', 'flags', 'ratedAt', 'pacing'],
        properties: {
          status: { type: 'string', enum: ['pending', 'rated', 'declined'] },
          instrument: { type: ['object', 'null'], properties: { id: { type: 'string' }, version: { type: 'integer' } } },
          items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, value: { type: 'number' } } } },
          total: { type: ['number', 'null'] },
          maxTotal: { type: ['number', 'null'] },
          flags: { type: 'array', items: { type: 'string', enum: ['total_low', 'item_low', 'dropped'] } },
          ratedAt: { type: ['integer', 'null'] },
          pacing: { oneOf: [{ $ref: '#/components/schemas/PacingAggregates' }, { type: 'null' }] },
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
        summary: 'What the widget needs at mount: role, instrument, locale, schedule, cue settings.',
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
        summary: 'The client rates (or declines to rate) its session. Exactly once per session.',
        security: bearer,
        parameters: [sid, idemKey],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RatingSubmission' } } } },
        responses: { '201': accepted('rated|declined'), ...errors },
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
  },
} as const;
