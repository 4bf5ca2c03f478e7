// Request plans for the endpoint fuzz: fast-check builds a plan (method, path parameter, credentials, headers,
// query, body), `buildRequest` turns it into a Request with fresh tokens, and `injectedStrings` lists what the
// error body must not echo.
import fc from 'fast-check';
import { CompactSign, importJWK } from 'jose';
import type * as v from 'valibot';
import type { WebhookDeliveryRef } from '../../../schemas/webhook.ts';
import type { TestPlatform } from '../helpers.ts';
import { fuzzString, headerValue, idempotencyKey, MARKER, validRef } from './fuzz-strings.ts';

/**
 * How an endpoint authenticates: a session token of a role in `Authorization` ('any' takes both roles), a caseload
 * token ('caseload': the therapist alone), a therapist token in `Sec-WebSocket-Protocol` ('live'), an admin key, or
 * nothing ('dev' is the DEV_MODE-only route).
 */
export type AuthKind = 'none' | 'dev' | 'client' | 'therapist' | 'caseload' | 'any' | 'live' | 'admin';

export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  /** `:sid` becomes the token's session ref (or a fuzzed one), `:ref` a client ref (known or fuzzed). */
  path: string;
  auth: AuthKind;
  /** The request body's schema (what a well-formed body must satisfy), and well-formed bodies to mutate. */
  body: { schema: v.GenericSchema; valid: (ctx: FuzzContext) => fc.Arbitrary<unknown> } | null;
  /** Query parameters the route reads, with well-formed values (fuzzed values are mixed in). */
  query?: Record<string, fc.Arbitrary<string>>;
  /** Schema of a 2xx JSON answer. */
  ok?: v.GenericSchema;
}

export interface FuzzContext {
  platform: TestPlatform;
  adminKey: string;
  /** An admin key of another platform. */
  otherAdminKey: string;
  /** A few refs each, so that tokens often name a session already written (replays, conflicts, mismatches). */
  pools: { sids: string[]; tids: string[]; cids: string[] };
  /** Instrument ids the platform registered (a token may pick one with `ins`). */
  instrumentIds: string[];
  origin: string;
  /** Webhook deliveries seeded for the delivery routes (fuzz-webhooks.ts); empty for the other endpoints. */
  deliveries: WebhookDeliveryRef[];
}

type Role = 'client' | 'therapist' | 'caseload';

interface SessionPlan {
  role: Role;
  sid: string;
  tid: string;
  cid: string;
  ins: string | undefined;
  sched: boolean;
}

type CredentialPlan =
  | { kind: 'valid'; session: SessionPlan }
  | { kind: 'absent' }
  | { kind: 'header'; value: string }
  | { kind: 'bearer'; value: string }
  | { kind: 'tampered'; session: SessionPlan; at: number }
  | { kind: 'claims'; session: SessionPlan; claim: string; value: unknown }
  | { kind: 'expired'; session: SessionPlan }
  | { kind: 'wrongRole'; session: SessionPlan }
  | { kind: 'admin' }
  | { kind: 'adminLike'; value: string }
  | { kind: 'otherAdmin' }
  | { kind: 'sessionOnAdmin'; session: SessionPlan };

type BodyPlan =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; value: string }
  | { kind: 'bytes'; value: Uint8Array };

type ParamPlan = { kind: 'own'; pick: number } | { kind: 'fuzz'; value: string; encode: boolean };

export interface RequestPlan {
  method: string;
  param: ParamPlan;
  credentials: CredentialPlan;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
  origin: string | undefined;
  upgrade: string | undefined;
  extraHeader: [string, string] | undefined;
  query: [string, string][];
  body: BodyPlan;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
const REUSED_KEYS = ['fuzz-reused-key-0001', 'fuzz-reused-key-0002'];

function sessionPlan(ctx: FuzzContext, role: Role | 'any'): fc.Arbitrary<SessionPlan> {
  const { sids, tids, cids } = ctx.pools;
  const refs = fc.oneof(
    // A pooled session with its own participants (replays, already_rated), a fresh session of pooled
    // participants, or anything (participants that do not match the session's: session_mismatch).
    {
      arbitrary: fc
        .nat()
        .map((i) => ({ sid: sids[i % sids.length]!, tid: tids[i % tids.length]!, cid: cids[i % cids.length]! })),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(validRef, fc.nat())
        .map(([sid, i]) => ({ sid, tid: tids[i % tids.length]!, cid: cids[i % cids.length]! })),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        sid: fc.oneof(fc.constantFrom(...sids), validRef),
        tid: validRef,
        cid: fc.oneof(fc.constantFrom(...cids), validRef),
      }),
      weight: 1,
    },
  );
  return fc
    .record({
      role: role === 'any' ? fc.constantFrom<Role>('client', 'therapist') : fc.constant(role),
      refs,
      ins: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 4 },
        { arbitrary: fc.constantFrom(...ctx.instrumentIds), weight: 2 },
        { arbitrary: fc.constantFrom('no-such-instrument'), weight: 1 },
      ),
      sched: fc.boolean(),
    })
    .map(({ refs: r, ...rest }) => ({ ...rest, ...r }));
}

const CLAIMS = ['sid', 'tid', 'cid', 'sub', 'role', 'exp', 'iat', 'nbf', 'aud', 'iss', 'sched', 'ins', 'loc', 'extra'];

function credentialPlan(ctx: FuzzContext, auth: AuthKind): fc.Arbitrary<CredentialPlan> {
  const noisy: fc.Arbitrary<CredentialPlan>[] = [
    fc.constant({ kind: 'absent' as const }),
    fuzzString.map((value) => ({ kind: 'header' as const, value })),
    fuzzString.map((value) => ({ kind: 'bearer' as const, value })),
  ];
  if (auth === 'none' || auth === 'dev') return fc.oneof(fc.constant({ kind: 'absent' as const }), ...noisy);
  if (auth === 'admin') {
    const s = sessionPlan(ctx, 'therapist');
    return fc.oneof(
      { arbitrary: fc.constant({ kind: 'admin' as const }), weight: 16 },
      ...noisy.map((arbitrary) => ({ arbitrary, weight: 1 })),
      { arbitrary: fuzzString.map((value) => ({ kind: 'adminLike' as const, value })), weight: 1 },
      { arbitrary: fc.constant({ kind: 'otherAdmin' as const }), weight: 1 },
      { arbitrary: s.map((session) => ({ kind: 'sessionOnAdmin' as const, session })), weight: 1 },
    );
  }
  const s = sessionPlan(
    ctx,
    auth === 'client' || auth === 'therapist' || auth === 'caseload' ? auth : auth === 'live' ? 'therapist' : 'any',
  );
  return fc.oneof(
    { arbitrary: s.map((session) => ({ kind: 'valid' as const, session })), weight: 24 },
    ...noisy.map((arbitrary) => ({ arbitrary, weight: 1 })),
    {
      arbitrary: fc.tuple(s, fc.nat()).map(([session, at]) => ({ kind: 'tampered' as const, session, at })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(
          s,
          fc.constantFrom(...CLAIMS),
          fc.oneof(fuzzString, fc.jsonValue({ maxDepth: 2 }), fc.integer(), fc.double()),
        )
        .map(([session, claim, value]) => ({ kind: 'claims' as const, session, claim, value })),
      weight: 2,
    },
    { arbitrary: s.map((session) => ({ kind: 'expired' as const, session })), weight: 1 },
    { arbitrary: s.map((session) => ({ kind: 'wrongRole' as const, session })), weight: 1 },
  );
}

const EXTREME_NUMBERS = fc.constantFrom(-1, -0, 0.05, 1e-7, 1e308, -1e308, 2 ** 53 + 1, 1e6 + 1, 21_601, 100_001);

/** Any JSON value, fuzzed strings and extreme numbers included. */
const fuzzJson: fc.Arbitrary<unknown> = fc.oneof(
  fuzzString,
  EXTREME_NUMBERS,
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(fuzzString, { maxLength: 3 }),
  fc.dictionary(fuzzString, fuzzString, { maxKeys: 3 }),
);

type Mutation =
  | { op: 'replace'; value: unknown }
  | { op: 'nudge'; by: number }
  | { op: 'delete' }
  | { op: 'add'; key: string; value: unknown };

/**
 * The well-formed body with one leaf replaced, nudged (a number moved a little: off the grid, past a bound) or
 * deleted, or one key added: an attacker's near-miss.
 */
function mutate(body: unknown, pick: number, m: Mutation): unknown {
  const copy: unknown = structuredClone(body);
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) {
        slots.push([node, i]);
        walk(child);
      }
    } else if (node && typeof node === 'object') {
      for (const [k, child] of Object.entries(node)) {
        slots.push([node as Record<string, unknown>, k]);
        walk(child);
      }
    }
  };
  walk(copy);
  if (m.op === 'nudge') {
    const numeric = slots.filter(([parent, k]) => typeof (parent as Record<string | number, unknown>)[k] === 'number');
    const slot = numeric[pick % Math.max(1, numeric.length)];
    if (slot) {
      const [parent, key] = slot as [Record<string | number, number>, string | number];
      parent[key] = (parent[key] ?? 0) + m.by;
    }
    return copy;
  }
  if (m.op === 'add' || slots.length === 0) {
    const containers = [copy, ...slots.map(([parent, k]) => (parent as Record<string | number, unknown>)[k])].filter(
      (x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x),
    );
    const target = containers[pick % Math.max(1, containers.length)];
    if (m.op === 'add' && target) target[m.key] = m.value;
    else if (m.op === 'replace') return m.value;
    return copy;
  }
  const [parent, key] = slots[pick % slots.length]!;
  if (m.op === 'replace') (parent as Record<string | number, unknown>)[key] = m.value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key as string];
  return copy;
}

function bodyPlan(ctx: FuzzContext, ep: Endpoint): fc.Arbitrary<BodyPlan> {
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { arbitrary: fuzzJson.map((value) => ({ op: 'replace' as const, value })), weight: 4 },
    {
      arbitrary: fc
        .constantFrom(0.05, -0.05, 0.01, 1e-9, -1e-9, 0.5, 1, -1, 1000, 1e7)
        .map((by) => ({ op: 'nudge' as const, by })),
      weight: 4,
    },
    { arbitrary: fc.constant({ op: 'delete' as const }), weight: 1 },
    {
      arbitrary: fc.tuple(fuzzString, fuzzJson).map(([key, value]) => ({ op: 'add' as const, key, value })),
      weight: 1,
    },
  );
  const garbage: fc.WeightedArbitrary<BodyPlan>[] = [
    { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
    { arbitrary: fuzzJson.map((value) => ({ kind: 'json' as const, value })), weight: 2 },
    { arbitrary: fuzzString.map((value) => ({ kind: 'text' as const, value })), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((value) => ({ kind: 'bytes' as const, value })), weight: 1 },
  ];
  if (!ep.body) return fc.oneof({ arbitrary: fc.constant({ kind: 'none' as const }), weight: 8 }, ...garbage);
  const valid = ep.body.valid(ctx);
  return fc.oneof(
    { arbitrary: valid.map((value) => ({ kind: 'json' as const, value })), weight: 6 },
    {
      arbitrary: fc
        .tuple(valid, fc.nat(), mutation)
        .map(([b, n, m]) => ({ kind: 'json' as const, value: mutate(b, n, m) })),
      weight: 6,
    },
    ...garbage,
  );
}

function option<T>(arb: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: arb, weight });
}

export function requestPlan(ctx: FuzzContext, ep: Endpoint): fc.Arbitrary<RequestPlan> {
  const query = Object.entries(ep.query ?? {}).map(([name, good]) =>
    option(fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: fuzzString, weight: 1 }), 3).map((value) =>
      value === undefined ? [] : [[name, value] as [string, string]],
    ),
  );
  return fc.record({
    method: fc.oneof(
      { arbitrary: fc.constant(ep.method), weight: 12 },
      { arbitrary: fc.constantFrom(...METHODS), weight: 1 },
    ),
    param: fc.oneof(
      { arbitrary: fc.nat().map((pick) => ({ kind: 'own' as const, pick })), weight: 12 },
      {
        arbitrary: fc
          .tuple(fuzzString, fc.boolean())
          .map(([value, encode]) => ({ kind: 'fuzz' as const, value, encode })),
        weight: 1,
      },
    ),
    credentials: credentialPlan(ctx, ep.auth),
    contentType: fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 8 },
      {
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'APPLICATION/JSON',
          'text/plain',
          'multipart/form-data',
          undefined,
        ),
        weight: 2,
      },
      { arbitrary: fuzzString, weight: 1 },
    ),
    idempotencyKey: fc.oneof(
      { arbitrary: idempotencyKey, weight: 8 },
      { arbitrary: fc.constantFrom(...REUSED_KEYS), weight: 2 },
      { arbitrary: fuzzString, weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 1 },
    ),
    origin: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 16 },
      { arbitrary: fc.constant(ctx.origin), weight: 2 },
      { arbitrary: fc.constantFrom('null', 'https://evil.example'), weight: 1 },
      { arbitrary: fuzzString, weight: 1 },
    ),
    upgrade: ep.auth === 'live' ? option(fc.oneof(fc.constant('websocket'), fuzzString), 3) : fc.constant(undefined),
    extraHeader: option(
      fc.tuple(
        fc.constantFrom(
          'Accept',
          'Cookie',
          'X-Forwarded-For',
          'Sec-WebSocket-Protocol',
          'Accept-Language',
          'If-None-Match',
          'Range',
        ),
        fuzzString,
      ),
      1,
    ).map((h) => h as [string, string] | undefined),
    query: fc
      .tuple(fc.tuple(...query), option(fc.tuple(fuzzString, fuzzString), 1))
      .map(([qs, extra]) => [...qs.flat(), ...(extra ? [extra] : [])]),
    body: bodyPlan(ctx, ep),
  });
}

async function signClaims(p: TestPlatform, claims: Record<string, unknown>): Promise<string> {
  const key = await importJWK(p.privateKey as JsonWebKey & { kty: string }, p.alg);
  // CompactSign signs any payload (SignJWT would refuse e.g. a non-finite exp): the Worker must refuse it instead.
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: p.alg, kid: p.kid, typ: 'JWT' })
    .sign(key);
}

function claimsOf(ctx: FuzzContext, s: SessionPlan, now: number): Record<string, unknown> {
  return {
    iss: ctx.platform.platformId,
    aud: 'attune',
    sub: s.role === 'client' ? s.cid : s.tid,
    role: s.role,
    tid: s.tid,
    // A caseload token names no session and no client.
    ...(s.role === 'caseload' ? {} : { sid: s.sid, cid: s.cid }),
    iat: now,
    exp: now + 3600,
    ...(s.ins ? { ins: s.ins } : {}),
    ...(s.sched ? { sched: { start: now - 600, end: now + 2400 } } : {}),
  };
}

/** The token a credential plan names (signed with the platform's key unless the plan is noise). */
async function tokenOf(ctx: FuzzContext, c: CredentialPlan): Promise<string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  switch (c.kind) {
    case 'valid':
    case 'sessionOnAdmin':
      return signClaims(ctx.platform, claimsOf(ctx, c.session, now));
    case 'tampered': {
      const t = await signClaims(ctx.platform, claimsOf(ctx, c.session, now));
      const i = c.at % t.length;
      return t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    }
    case 'claims':
      return signClaims(ctx.platform, { ...claimsOf(ctx, c.session, now), [c.claim]: c.value });
    case 'expired':
      return signClaims(ctx.platform, { ...claimsOf(ctx, c.session, now - 8 * 24 * 3600) });
    case 'wrongRole':
      return signClaims(
        ctx.platform,
        claimsOf(ctx, { ...c.session, role: c.session.role === 'client' ? 'therapist' : 'client' }, now),
      );
    default:
      return undefined;
  }
}

/** The session ref the plan's token names (what `:sid` becomes for a well-aimed request). */
function ownSid(c: CredentialPlan): string | undefined {
  return 'session' in c ? c.session.sid : undefined;
}

export interface BuiltRequest {
  request: Request;
  /** The raw refs a valid token carried (to check that none was stored raw). */
  refs: string[];
}

/** Returns null when the plan cannot become a Request at all (a path a URL parser refuses). */
export async function buildRequest(ctx: FuzzContext, ep: Endpoint, plan: RequestPlan): Promise<BuiltRequest | null> {
  // Each request from its own address, as from many clients: failed credentials are throttled per address
  // (test/worker/auth/auth-throttle.test.ts), and the fuzz means to reach past auth, not to measure the throttle.
  const headers = new Headers({
    'CF-Connecting-IP': `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`,
  });
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) headers.set(name, headerValue(value));
  };
  const c = plan.credentials;
  const token = await tokenOf(ctx, c);
  if (ep.auth === 'live') {
    if (token) set('Sec-WebSocket-Protocol', `attune.v1, bearer.${token}`);
    else if (c.kind === 'header' || c.kind === 'bearer')
      set('Sec-WebSocket-Protocol', `attune.v1, ${c.kind === 'bearer' ? 'bearer.' : ''}${c.value}`);
  } else if (c.kind === 'admin') set('Authorization', `Bearer ${ctx.adminKey}`);
  else if (c.kind === 'otherAdmin') set('Authorization', `Bearer ${ctx.otherAdminKey}`);
  else if (c.kind === 'adminLike') set('Authorization', `Bearer attune_admin_${c.value}`);
  else if (c.kind === 'header') set('Authorization', c.value);
  else if (c.kind === 'bearer') set('Authorization', `Bearer ${c.value}`);
  else if (token) set('Authorization', `Bearer ${token}`);
  set('Content-Type', plan.contentType);
  set('Idempotency-Key', plan.idempotencyKey);
  set('Origin', plan.origin);
  set('Upgrade', plan.upgrade);
  if (plan.extraHeader) set(plan.extraHeader[0], plan.extraHeader[1]);

  const p = plan.param;
  const own = ep.path.includes(':ref')
    ? ctx.pools.cids[p.kind === 'own' ? p.pick % ctx.pools.cids.length : 0]!
    : (ownSid(c) ?? ctx.pools.sids[0]!);
  const param = p.kind === 'own' ? encodeURIComponent(own) : p.encode ? encodeURIComponent(p.value) : p.value;
  const path = ep.path.replace(/:sid|:ref/, param);
  const search = plan.query.length ? `?${new URLSearchParams(plan.query).toString()}` : '';

  let body: BodyInit | undefined;
  const b = plan.body;
  if (b.kind === 'json') body = JSON.stringify(b.value);
  else if (b.kind === 'text') body = b.value;
  else if (b.kind === 'bytes') body = new Uint8Array(b.value);
  if (plan.method === 'GET' || plan.method === 'HEAD') body = undefined;

  let request: Request;
  try {
    request = new Request(`https://api.attune.test${path}${search}`, {
      method: plan.method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  } catch {
    return null;
  }
  const refs = 'session' in c && token ? [c.session.sid, c.session.tid, c.session.cid] : [];
  return { request, refs };
}

/** The field names a schema declares (an error may name those: `invalid_body` lists the failing paths). */
export function schemaKeys(schema: unknown, out = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as {
    entries?: Record<string, unknown>;
    options?: unknown[];
    item?: unknown;
    pipe?: unknown[];
    wrapped?: unknown;
  };
  for (const [k, child] of Object.entries(s.entries ?? {})) {
    out.add(k);
    schemaKeys(child, out);
  }
  for (const child of [...(s.options ?? []), s.item, s.wrapped]) schemaKeys(child, out);
  if (s.pipe?.[0] !== schema) schemaKeys(s.pipe?.[0], out);
  return out;
}

/**
 * Every string the plan put into the request (what an error must not echo), but for the field names of the
 * endpoint's body schema.
 */
export function injectedStrings(plan: RequestPlan, fieldNames: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'string') out.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object' && !(x instanceof Uint8Array))
      for (const [k, v] of Object.entries(x)) {
        if (!fieldNames.has(k)) out.push(k);
        walk(v);
      }
  };
  if (plan.param.kind === 'fuzz') out.push(plan.param.value);
  const c = plan.credentials;
  if ('value' in c) walk(c.value);
  // Headers as sent (see headerValue); the credential's value went into a header too.
  const headers = [
    plan.contentType,
    plan.idempotencyKey,
    plan.origin,
    plan.upgrade,
    plan.extraHeader?.[1],
    'value' in c && typeof c.value === 'string' ? c.value : undefined,
  ];
  for (const h of headers) if (h !== undefined) out.push(h, headerValue(h));
  for (const [k, v] of plan.query) out.push(k, v);
  if (plan.body.kind === 'json') walk(plan.body.value);
  if (plan.body.kind === 'text') out.push(plan.body.value);
  // Short strings (`a`, `null`, `1`) and the well-formed vocabulary would match fixed messages by chance.
  return [...new Set(out)].filter((s) => s.trim().length >= 8 && !WELL_FORMED.has(s));
}

const WELL_FORMED = new Set([
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'multipart/form-data',
  'websocket',
  'https://evil.example',
]);

export { MARKER };
