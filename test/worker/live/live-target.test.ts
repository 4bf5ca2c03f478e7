// During a deploy a Worker from before migration 0014 may hand the live object a target without the instrument id and
// version. The object completes it as the trend does before a session is recorded (worker/live/live-target.ts): the
// session's recorded instrument, else the one a token naming none gets on the platform. It used to close with 1011.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT, type SessionSummary, type Trend } from '../../../schemas/index.ts';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { CLOSE_SUMMARY_FAILED, TARGET_HEADER } from '../../../worker/live/session-live.ts';
import type { SentTarget } from '../../../worker/live/live-target.ts';
import { likertInstrument } from '../../samples.ts';
import { daysAgo, storeRaw } from '../caseload/seed.ts';
import { call, seedPlatform, type TestPlatform } from '../helpers.ts';

const LIKERT = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;

/** The target as a Worker from before 0014 sent it (summary-target.ts then): no instrument id, no version. */
async function oldTarget(p: TestPlatform, sid: string, extra: object = {}): Promise<SentTarget> {
  const h = (kind: 'sid' | 'tid' | 'cid', ref: string) => hashRef(env.REF_HASH_SECRET, p.platformId, kind, ref);
  return {
    platformId: p.platformId,
    sidHash: await h('sid', sid),
    therapistHash: await h('tid', 't'),
    clientHash: await h('cid', 'c'),
    trendDays: 90,
    trendPoints: 24,
    ask: { mode: 'every' },
    ...extra,
  };
}

type Outcome = { summary: SessionSummary } | { closed: number };

/** Connects straight to the session's object with `target` (as the Worker forwards an upgrade): the first summary, or the close. */
async function connect(target: SentTarget): Promise<Outcome> {
  const stub = env.LIVE.get(env.LIVE.idFromName(`${target.platformId}:${target.sidHash}`));
  const res = await stub.fetch(
    new Request('https://live.internal/connect', {
      headers: { Upgrade: 'websocket', [TARGET_HEADER]: JSON.stringify(target) },
    }),
  );
  const ws = res.webSocket;
  if (!ws) throw new Error(`no upgrade: ${res.status}`);
  const outcome = new Promise<Outcome>((resolve) => {
    ws.addEventListener('message', (e) =>
      resolve({ summary: (JSON.parse(String(e.data)) as { summary: SessionSummary }).summary }),
    );
    ws.addEventListener('close', (e) => resolve({ closed: e.code }));
  });
  ws.accept();
  const o = await outcome;
  ws.close(1000);
  return o;
}

async function trendOver(target: SentTarget): Promise<Trend> {
  const o = await connect(target);
  if (!('summary' in o)) throw new Error(`the socket closed with ${o.closed}`);
  return o.summary.trend!;
}

/** GET /v1/trends with a therapist token for the session (naming `ins`, or none): what the current Worker shows. */
async function currentTrend(p: TestPlatform, sid: string, ins?: string): Promise<Trend> {
  const token = await p.mint({ sid, tid: 't', cid: 'c', role: 'therapist', ...(ins ? { ins } : {}) });
  const res = await call('/v1/trends', { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Trend;
}

describe('the live object takes a target from a Worker older than the instrument fields', () => {
  const builtin = [31, 36, 28.5, 34];
  const likert = [6, 9, 14, 5];

  /** Therapist t and client c, interleaved over eight days on the built-in 0..40 instrument and likert-3 (3..21). */
  async function twoInstruments() {
    const p = await seedPlatform({ settings: { instruments: [LIKERT] } });
    for (let i = 0; i < 4; i++) {
      await storeRaw(p.platformId, { sid: `b${i}`, tid: 't', cid: 'c', at: daysAgo(9 - 2 * i), total: builtin[i]! });
      await storeRaw(p.platformId, {
        sid: `l${i}`,
        tid: 't',
        cid: 'c',
        at: daysAgo(8 - 2 * i),
        total: likert[i]!,
        instrument: LIKERT,
      });
    }
    return p;
  }

  it('before the session is recorded: the summary, with the trend of the instrument a token naming none gets', async () => {
    const p = await twoInstruments();
    const o = await connect(await oldTarget(p, 'fresh'));
    expect(o).toMatchObject({ summary: { status: 'pending' } });
    const trend = (o as { summary: SessionSummary }).summary.trend!;
    expect(trend.therapist.meanTotal).toBe(mean(builtin));
    expect(trend.client.map((x) => x.total)).toEqual(builtin);
    expect(trend).toEqual(await currentTrend(p, 'fresh'));
    expect(trend).not.toEqual(await currentTrend(p, 'fresh', LIKERT.id));
  });

  it('once the session is recorded: the trend of its recorded instrument, as the current Worker shows it', async () => {
    const p = await twoInstruments();
    const trend = await trendOver(await oldTarget(p, 'l2'));
    expect(trend.therapist.meanTotal).toBe(mean(likert));
    expect(trend.client.map((x) => x.total)).toEqual(likert);
    expect(trend).toEqual(await currentTrend(p, 'l2', LIKERT.id));
  });

  it('a platform with its own version of the built-in instrument: that version, as for a token naming none', async () => {
    const v2 = { ...DEFAULT_INSTRUMENT, version: 2 };
    const p = await seedPlatform({ settings: { instruments: [v2] } });
    const [old, current] = [
      [20, 22],
      [37, 39, 38],
    ];
    for (const [i, total] of old.entries())
      await storeRaw(p.platformId, { sid: `v1-${i}`, tid: 't', cid: 'c', at: daysAgo(9 - i), total });
    for (const [i, total] of current.entries())
      await storeRaw(p.platformId, { sid: `v2-${i}`, tid: 't', cid: 'c', at: daysAgo(5 - i), total, instrument: v2 });
    const trend = await trendOver(await oldTarget(p, 'fresh'));
    expect(trend.therapist.meanTotal).toBe(mean(current));
    expect(trend).toEqual(await currentTrend(p, 'fresh'));
  });

  it('only the missing instrument is filled in: a target naming half of it, or without participants, still closes with 1011', async () => {
    const p = await twoInstruments();
    expect(await connect(await oldTarget(p, 'fresh', { instrumentId: LIKERT.id }))).toEqual({
      closed: CLOSE_SUMMARY_FAILED,
    });
    expect(await connect(await oldTarget(p, 'fresh', { instrumentVersion: 1 }))).toEqual({
      closed: CLOSE_SUMMARY_FAILED,
    });
    const { therapistHash: _, ...noTherapist } = await oldTarget(p, 'fresh');
    expect(await connect(noTherapist as SentTarget)).toEqual({ closed: CLOSE_SUMMARY_FAILED });
  });
});
