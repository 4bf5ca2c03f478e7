import { env, exports } from 'cloudflare:workers';
import type { JWK } from 'jose';
import { generateKey, randomId, randomSecret } from '../../sdk/keys.ts';
import { mintToken, type SessionClaims, type SigningAlg } from '../../sdk/mint-token.ts';
import { insertPacing, insertRating, markAsked, type SessionKey, upsertSession } from '../../worker/db/queries.ts';
import { GOOD_RATING, ZERO_PACING } from '../samples.ts';
import { insertAdminKey, insertKey, insertOrigin, insertPlatform } from './seed-queries.ts';
import { sha256 } from '../../worker/auth/ref-hash.ts';

export interface TestPlatform {
  platformId: string;
  kid: string;
  alg: SigningAlg;
  privateKey: JWK | string;
  publicJwk: JWK | null;
  mint: (claims: Partial<SessionClaims>, options?: { now?: number }) => Promise<string>;
  /** Fresh refs for one session; every test uses its own. */
  refs: { sid: string; tid: string; cid: string };
}

/** Registers a platform with a fresh key (through the Worker's own query module) and returns a minting helper. */
export async function seedPlatform(
  options: { alg?: SigningAlg; origins?: string[]; settings?: object; retentionDays?: number } = {},
): Promise<TestPlatform> {
  const key = await generateKey(options.alg ?? 'EdDSA');
  const platformId = randomId('plt_', 8);
  const now = Math.floor(Date.now() / 1000);
  await env.DB.batch([
    insertPlatform(env.DB, {
      id: platformId,
      name: 'Test platform',
      settings: JSON.stringify(options.settings ?? {}),
      ...(options.retentionDays ? { retentionDays: options.retentionDays } : {}),
      now,
    }),
    insertKey(env.DB, {
      kid: key.kid,
      platformId,
      alg: key.alg,
      ...('publicJwk' in key.stored
        ? { publicJwk: JSON.stringify(key.stored.publicJwk) }
        : { secret: key.stored.secret }),
      now,
    }),
    ...(options.origins ?? []).map((o) => insertOrigin(env.DB, platformId, o)),
  ]);
  const refs = { sid: randomId('raw-sid-'), tid: randomId('raw-tid-'), cid: randomId('raw-cid-') };
  return {
    platformId,
    kid: key.kid,
    alg: key.alg,
    privateKey: key.privateKey,
    publicJwk: 'publicJwk' in key.stored ? key.stored.publicJwk : null,
    refs,
    mint: (claims, opts) =>
      mintToken(
        { platformId, kid: key.kid, key: key.privateKey, alg: key.alg },
        { role: 'client', sub: refs.cid, ...refs, ...claims },
        opts,
      ),
  };
}

/**
 * A caller address of its own for each request (unless the test sets one): failed credentials are counted per
 * address (worker/auth/failure-throttle.ts), and no test should be throttled for another test's failures.
 */
function withCallerIp(headers: Headers): Headers {
  if (!headers.has('CF-Connecting-IP'))
    headers.set('CF-Connecting-IP', `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`);
  return headers;
}

export function call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = withCallerIp(new Headers(init.headers));
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  return exports.default.fetch(new Request(`https://api.attune.test${path}`, { ...init, headers }));
}

export function postJson(
  path: string,
  token: string,
  body: unknown,
  extra: Record<string, string> = {},
): Promise<Response> {
  return call(path, {
    method: 'POST',
    token,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomId('idem-', 12), ...extra },
    body: JSON.stringify(body),
  });
}

export { GOOD_RATING, ZERO_PACING };

export const GOOD_PACING = {
  durationSeconds: 3000,
  therapistTalkSeconds: 1200,
  clientTalkSeconds: 1500,
  overlapSeconds: 30,
  overlapCount: 12,
  silenceSeconds: 330,
  silenceCount: 40,
  longestSilenceSeconds: 14,
  longestTherapistTurnSeconds: 75,
  therapistTurns: 120,
  clientTurns: 118,
  cuesShown: 2,
};

/** The token's own session's route: the session comes from the token, never from the URL. */
export const sessionPath = (what: 'rating' | 'pacing' | 'summary') => `/v1/session/${what}`;

/** Registers an admin key for the platform (as `npm run platform -- admin-key` does) and returns it. */
export async function seedAdminKey(platformId: string): Promise<{ key: string; id: string }> {
  const key = `attune_admin_${randomSecret(32)}`;
  const id = randomId('adm_', 6);
  await insertAdminKey(env.DB, {
    id,
    platformId,
    keyHash: await sha256(key),
    now: Math.floor(Date.now() / 1000),
  }).run();
  return { key, id };
}

export function adminCall(path: string, key: string, init: RequestInit = {}): Promise<Response> {
  const headers = withCallerIp(new Headers(init.headers));
  headers.set('Authorization', `Bearer ${key}`);
  return exports.default.fetch(new Request(`https://api.attune.test${path}`, { ...init, headers }));
}

/** The stand-in hash storeSession gives a name (same shape as a real ref hash). */
export function testHash(name: string): Promise<string> {
  return sha256(`test-ref:${name}`);
}

export interface StoredSession {
  sid: string;
  tid: string;
  cid: string;
  /** Epoch seconds of the session (its rollup day). */
  at: number;
  rating?: { total: number; flags?: string[] } | 'declined';
  pacing?: { therapist: number; client: number };
  asked?: boolean;
}

/** Writes a session with its facts straight through the query module (the rollup triggers run as in production). */
export async function storeSession(platformId: string, s: StoredSession): Promise<void> {
  const key = {
    platformId,
    sidHash: await testHash(s.sid),
    therapistHash: await testHash(s.tid),
    clientHash: await testHash(s.cid),
  };
  const statements = [sessionRow(key, s.at)];
  if (s.asked) statements.push(markAsked(env.DB, platformId, key.sidHash, s.at));
  if (s.rating) {
    const rated = s.rating !== 'declined';
    const r = s.rating === 'declined' ? null : s.rating;
    statements.push(
      insertRating(env.DB, key, {
        status: rated ? 'rated' : 'declined',
        instrumentId: 'attune-session-4',
        instrumentVersion: 1,
        items: r
          ? JSON.stringify([
              { id: 'bond', value: r.total / 4 },
              { id: 'goals', value: r.total / 4 },
              { id: 'approach', value: r.total / 4 },
              { id: 'overall', value: r.total / 4 },
            ])
          : '[]',
        total: r?.total ?? null,
        maxTotal: r ? 40 : null,
        flags: JSON.stringify(r?.flags ?? []),
        ratedAt: s.at + 60,
      }),
    );
  }
  if (s.pacing) {
    statements.push(
      insertPacing(
        env.DB,
        key,
        {
          ...ZERO_PACING,
          durationSeconds: 3000,
          therapistTalkSeconds: s.pacing.therapist,
          clientTalkSeconds: s.pacing.client,
        },
        s.at + 60,
      ),
    );
  }
  await env.DB.batch(statements);
}

/** A session row of the default instrument, without a schedule, recorded at `now`. */
export function sessionRow(key: SessionKey, now: number) {
  return upsertSession(env.DB, {
    ...key,
    instrumentId: 'attune-session-4',
    instrumentVersion: 1,
    scheduledStart: null,
    scheduledEnd: null,
    now,
  });
}

/** Every value of every table (but the migrations' own), as strings. */
export async function everyCell(): Promise<string[]> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
  ).all<{ name: string }>();
  const cells: string[] = [];
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    for (const row of rows.results) for (const value of Object.values(row)) cells.push(String(value));
  }
  return cells;
}

/** The client's rating POST (GOOD_RATING) as a Request, for a test that calls the Worker's fetch itself. */
export function ratingRequest(token: string, key: string = crypto.randomUUID()): Request {
  return new Request(`https://api.attune.test${sessionPath('rating')}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify(GOOD_RATING),
  });
}
