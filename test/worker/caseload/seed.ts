import { env } from 'cloudflare:workers';
import { DEFAULT_INSTRUMENT, type Instrument, instrumentMaxTotal } from '../../../schemas/index.ts';
import { mintToken } from '../../../sdk/mint-token.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { insertPacing, insertRating, upsertSession } from '../../../worker/db/queries.ts';
import { GOOD_PACING, postJson, type TestPlatform } from '../helpers.ts';

export interface CaseloadSession {
  sid: string;
  /** Raw refs, hashed here with the Worker's own key (as the token routes do). */
  tid: string;
  cid: string;
  at: number;
  total?: number | 'declined';
  /** The therapist's share of talk (0..1) and the session's other pacing facts. */
  share?: number;
  longestTurn?: number;
  overlaps?: number;
  /** The instrument the session is rated on (default the built-in 0..40 one); items share the total equally. */
  instrument?: Instrument;
}

/** Writes a session through the Worker's query module with real ref hashes, so POST /v1/caseload finds it. */
export async function storeRaw(platformId: string, s: CaseloadSession): Promise<void> {
  const h = (kind: 'sid' | 'tid' | 'cid', ref: string) => hashRef(env.REF_HASH_SECRET, platformId, kind, ref);
  const key = {
    platformId,
    sidHash: await h('sid', s.sid),
    therapistHash: await h('tid', s.tid),
    clientHash: await h('cid', s.cid),
  };
  const ins = s.instrument ?? DEFAULT_INSTRUMENT;
  const statements = [
    upsertSession(env.DB, {
      ...key,
      instrumentId: ins.id,
      instrumentVersion: ins.version,
      scheduledStart: null,
      scheduledEnd: null,
      now: s.at,
    }),
  ];
  if (s.total !== undefined) {
    const declined = s.total === 'declined';
    const total = declined ? null : (s.total as number);
    statements.push(
      insertRating(env.DB, key, {
        status: declined ? 'declined' : 'rated',
        instrumentId: ins.id,
        instrumentVersion: ins.version,
        items:
          total === null ? '[]' : JSON.stringify(ins.items.map(({ id }) => ({ id, value: total / ins.items.length }))),
        total,
        maxTotal: total === null ? null : instrumentMaxTotal(ins),
        flags: '[]',
        ratedAt: s.at + 60,
      }),
    );
  }
  if (s.share !== undefined) {
    const talk = 2400;
    statements.push(
      insertPacing(
        env.DB,
        key,
        {
          ...GOOD_PACING,
          therapistTalkSeconds: talk * s.share,
          clientTalkSeconds: talk * (1 - s.share),
          longestTherapistTurnSeconds: s.longestTurn ?? 60,
          overlapCount: s.overlaps ?? 5,
        },
        s.at + 60,
      ),
    );
  }
  await env.DB.batch(statements);
}

/** A caseload token for the platform's therapist `tid` (default the platform's own test therapist). */
export function caseloadToken(
  p: TestPlatform,
  tid = p.refs.tid,
  extra: { ttlSeconds?: number; ins?: string; loc?: string } = {},
  options: { now?: number } = {},
): Promise<string> {
  return mintToken(
    { platformId: p.platformId, kid: p.kid, key: p.privateKey, alg: p.alg },
    { role: 'caseload', sub: tid, tid, ...extra },
    options,
  );
}

export function postCaseload(token: string, body: unknown, headers: Record<string, string> = {}) {
  return postJson('/v1/caseload', token, body, headers);
}

export const DAY = 86_400;
/** Midday UTC `n` days ago (so a session never straddles a day boundary in a test). */
export function daysAgo(n: number): number {
  const now = Math.floor(Date.now() / 1000);
  return (Math.floor(now / DAY) - n) * DAY + DAY / 2;
}
