/**
 * The demo therapist's history, so the caseload page (demo/public/caseload.html) has something to show on a fresh
 * `npm start`: about 70 past sessions of eight clients with ratings and pacing over the last 16 weeks, written as
 * plain SQL so the rollup triggers (migrations 0004 and 0009) run exactly as for real writes. Refs are hashed with
 * the Worker's own ref hash (REF_HASH_SECRET, per platform), so the caseload route finds them; `INSERT OR IGNORE`
 * makes a second seed change nothing. Deterministic (a fixed PRNG): the same history every time.
 */
import { hashRef } from '../worker/auth/ref-hash.ts';
import { rng } from './lib-rng.ts';

/** The demo's clients, by the platform's refs (the caseload page names them; names never reach the Worker). */
export const DEMO_CLIENT_REFS = [
  'demo-client',
  'demo-c-ana',
  'demo-c-ben',
  'demo-c-chloe',
  'demo-c-dev',
  'demo-c-eli',
  'demo-c-fatima',
  'demo-c-gus',
] as const;
export const DEMO_THERAPIST_REF = 'demo-therapist';

/** Two of them are not on track: Ben fell twice in a row; Dev's latest is well below his own mean. */
const FALLING: Record<string, number[]> = { 'demo-c-ben': [33, 30.5, 27], 'demo-c-dev': [24] };

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const DAY = 86_400;

export async function demoHistorySql(platformId: string, secret: string, now: number): Promise<string> {
  const random = rng(2026);
  const h = (kind: 'sid' | 'tid' | 'cid', ref: string) => hashRef(secret, platformId, kind, ref);
  const tid = await h('tid', DEMO_THERAPIST_REF);
  const today = Math.floor(now / DAY);
  const lines: string[] = [];
  for (const [c, ref] of DEMO_CLIENT_REFS.entries()) {
    const cid = await h('cid', ref);
    const base = 31 + random() * 6;
    const count = 7 + Math.floor(random() * 5);
    const falling = FALLING[ref] ?? [];
    for (let k = 0; k < count; k++) {
      // Weekly, oldest first, the last one at least two days ago (today's calls are the live demo's).
      const at = (today - 2 - 7 * (count - 1 - k) - (c % 5)) * DAY + 15 * 3600 + c * 600;
      const sid = await h('sid', `demo-history-${ref}-${k}`);
      const share = Math.round((0.35 + random() * 0.4) * 1000) / 1000;
      const fromEnd = count - k;
      const total =
        fromEnd <= falling.length
          ? falling[falling.length - fromEnd]!
          : Math.min(40, Math.max(10, Math.round((base - 9 * (share - 0.5) + (random() - 0.5) * 3) * 10) / 10));
      const talk = 2400;
      const turn = Math.round((40 + share * 90 + random() * 20) * 10) / 10;
      const overlaps = Math.floor(2 + share * 8 + random() * 3);
      const items = ['bond', 'goals', 'approach', 'overall'].map((id) => ({
        id,
        value: Math.round((total / 4) * 10) / 10,
      }));
      lines.push(
        `INSERT OR IGNORE INTO sessions (platform_id, sid_hash, therapist_hash, client_hash, instrument_id, instrument_version, created_at, client_seq)
         SELECT ${q(platformId)}, ${q(sid)}, ${q(tid)}, ${q(cid)}, 'attune-session-4', 1, ${at},
                (SELECT coalesce(max(client_seq), 0) + 1 FROM sessions
                  WHERE platform_id = ${q(platformId)} AND client_hash = ${q(cid)} AND therapist_hash = ${q(tid)});`,
        `INSERT OR IGNORE INTO ratings (platform_id, sid_hash, therapist_hash, client_hash, status, instrument_id, instrument_version, items, total, max_total, flags, rated_at)
         VALUES (${q(platformId)}, ${q(sid)}, ${q(tid)}, ${q(cid)}, 'rated', 'attune-session-4', 1, ${q(JSON.stringify(items))}, ${total}, 40, '[]', ${at + 3000});`,
        `INSERT OR IGNORE INTO pacing (platform_id, sid_hash, therapist_hash, client_hash, duration_seconds, therapist_talk_seconds, client_talk_seconds,
                                      overlap_seconds, overlap_count, silence_seconds, silence_count, longest_silence_seconds,
                                      longest_therapist_turn_seconds, therapist_turns, client_turns, cues_shown, recorded_at)
         VALUES (${q(platformId)}, ${q(sid)}, ${q(tid)}, ${q(cid)}, 3000, ${Math.round(talk * share)}, ${Math.round(talk * (1 - share))},
                 ${overlaps * 2}, ${overlaps}, 400, 30, 12, ${turn}, 110, 105, 1, ${at + 3000});`,
      );
    }
  }
  return lines.join('\n');
}
