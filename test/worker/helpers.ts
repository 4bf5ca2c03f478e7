import { env, exports } from 'cloudflare:workers';
import type { JWK } from 'jose';
import { generateKey, randomId } from '../../sdk/keys.ts';
import { mintToken, type SessionClaims, type SigningAlg } from '../../sdk/mint-token.ts';
import { insertKey, insertOrigin, insertPlatform } from '../../worker/db/queries.ts';

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
export async function seedPlatform(options: { alg?: SigningAlg; origins?: string[]; settings?: object } = {}): Promise<TestPlatform> {
  const key = await generateKey(options.alg ?? 'EdDSA');
  const platformId = randomId('plt_', 8);
  const now = Math.floor(Date.now() / 1000);
  await env.DB.batch([
    insertPlatform(env.DB, { id: platformId, name: 'Test platform', settings: JSON.stringify(options.settings ?? {}), now }),
    insertKey(env.DB, {
      kid: key.kid,
      platformId,
      alg: key.alg,
      ...('publicJwk' in key.stored ? { publicJwk: JSON.stringify(key.stored.publicJwk) } : { secret: key.stored.secret }),
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

export function call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  return exports.default.fetch(new Request(`https://api.attune.test${path}`, { ...init, headers }));
}

export function postJson(path: string, token: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: 'POST',
    token,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomId('idem-', 12), ...extra },
    body: JSON.stringify(body),
  });
}

export const GOOD_RATING = {
  kind: 'rating',
  instrument: 'attune-session-4',
  version: 1,
  items: [
    { id: 'bond', value: 9.5 },
    { id: 'goals', value: 8.2 },
    { id: 'approach', value: 9.1 },
    { id: 'overall', value: 9.4 },
  ],
};

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

export const sessionPath = (sid: string, what: 'rating' | 'pacing' | 'summary') => `/v1/sessions/${encodeURIComponent(sid)}/${what}`;
