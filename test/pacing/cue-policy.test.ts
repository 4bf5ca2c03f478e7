import { describe, expect, it } from 'vitest';
import { createPacingSession, CUE_TEXT_EN, type Cue, type PacingSessionOptions } from '../../pacing/index.ts';
import type { Spans } from './helpers.ts';

const inSpans = (spans: Spans, s: number) => spans.some(([a, b]) => s >= a && s < b);

/** Runs speaking flags every 100 ms and returns every cue with its time in seconds. */
function cues(
  seconds: number,
  therapist: Spans,
  client: Spans,
  opts: PacingSessionOptions = {},
): { at: number; cue: Cue }[] {
  const s = createPacingSession({
    frameMs: 100,
    sources: { therapist: 'speaking', client: 'speaking' },
    now: () => 0,
    ...opts,
  });
  const out: { at: number; cue: Cue }[] = [];
  for (let f = 0; f < seconds * 10; f++) {
    const sec = (f + 0.5) / 10;
    s.pushSpeaking((f + 1) * 100, inSpans(therapist, sec), inSpans(client, sec));
    const c = s.takeCue();
    if (c) out.push({ at: (f + 1) / 10, cue: c });
  }
  return out;
}

/** Alternating turns: therapist t seconds, client c seconds, repeated over the span. */
function alternate(from: number, to: number, t: number, c: number): { therapist: Spans; client: Spans } {
  const therapist: Spans = [];
  const client: Spans = [];
  for (let x = from; x < to; x += t + c) {
    therapist.push([x, Math.min(to, x + t)]);
    client.push([x + t, Math.min(to, x + t + c)]);
  }
  return { therapist, client };
}

describe('cue policy', () => {
  it('is quiet in the first five minutes even if the therapist talks all the time', () => {
    const all = cues(299, [[0, 299]], []);
    expect(all).toEqual([]);
  });

  it('cues a monologue past 90 s once the quiet start is over, once per turn', () => {
    const { therapist, client } = alternate(0, 300, 10, 30); // client-heavy start: no balance cue
    therapist.push([300, 420]); // a 120 s monologue from 5:00
    const got = cues(430, therapist, client);
    expect(got.map((x) => x.cue.kind)).toEqual(['monologue']);
    expect(got[0]!.at).toBeGreaterThanOrEqual(390);
    expect(got[0]!.at).toBeLessThan(391);
    expect(got[0]!.cue.key).toBe('monologue.pause');
    expect(got[0]!.cue.hideAtMs - got[0]!.cue.atMs).toBe(12_000);
  });

  it('cues talk balance when the therapist holds more than 60% of the last five minutes', () => {
    const { therapist, client } = alternate(0, 600, 40, 20); // 67% therapist, no turn past 90 s
    const got = cues(600, therapist, client);
    expect(got.map((x) => x.cue.kind)).toEqual(['balance']);
    expect(got[0]!.at).toBeGreaterThanOrEqual(300);
    expect(got[0]!.at).toBeLessThan(301);
  });

  it('does not cue balance at 55%', () => {
    const { therapist, client } = alternate(0, 900, 22, 18);
    expect(cues(900, therapist, client)).toEqual([]);
  });

  it('cues three overlaps within two minutes, not two', () => {
    const { therapist, client } = alternate(0, 600, 10, 10);
    const extra = (at: number): [number, number] => [at, at + 1.5]; // client talks over the therapist
    const three = cues(600, therapist, [...client, extra(361), extra(381), extra(401)]);
    expect(three.map((x) => x.cue.kind)).toEqual(['overlap']);
    expect(three[0]!.at).toBeGreaterThan(401);
    expect(three[0]!.at).toBeLessThan(403);
    const spread = cues(600, therapist, [...client, extra(321), extra(401), extra(481)]);
    expect(spread).toEqual([]);
  });

  it('keeps at least three minutes between conversational cues', () => {
    // Monologues of 100 s separated by short client turns: each would cue, the gap holds them back.
    const therapist: Spans = [
      [0, 100],
      [105, 205],
      [210, 310],
      [315, 415],
      [420, 520],
      [525, 625],
      [630, 730],
    ];
    const client: Spans = [
      [100, 105],
      [205, 210],
      [310, 315],
      [415, 420],
      [520, 525],
      [625, 630],
    ];
    const got = cues(740, therapist, client);
    expect(got.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < got.length; i++) expect(got[i]!.at - got[i - 1]!.at).toBeGreaterThanOrEqual(180);
  });

  it('gives time cues at 10 and 5 minutes left, the rating reserve at 3, and overrun', () => {
    const startEpoch = 1_800_000_000;
    const opts = { schedule: { start: startEpoch, end: startEpoch + 20 * 60 }, now: () => startEpoch * 1000 };
    const { therapist, client } = alternate(0, 1300, 10, 10);
    const got = cues(1300, therapist, client, opts);
    const time = got.filter((x) => x.cue.kind === 'time');
    expect(time.map((x) => [x.cue.key, x.cue.minutesLeft])).toEqual([
      ['time.minutesLeft', 10],
      ['time.minutesLeft', 5],
      ['time.ratingReserve', null],
      ['time.overrun', null],
    ]);
    expect(time[0]!.at).toBeCloseTo(600, 0);
    expect(time[1]!.at).toBeCloseTo(900, 0);
    expect(time[2]!.at).toBeCloseTo(1020, 0);
    expect(time[3]!.at).toBeGreaterThan(1200);
    expect(time[3]!.at).toBeLessThan(1201);
    expect(CUE_TEXT_EN['time.minutesLeft'].replace('{minutes}', '10')).toBe('10 minutes left.');
  });

  it('waits for the quiet start and then shows only the most urgent time cue', () => {
    const startEpoch = 1_800_000_000;
    // 8-minute session: 5 and 3 minutes left both pass during the quiet start
    const opts = { schedule: { start: startEpoch, end: startEpoch + 8 * 60 }, now: () => startEpoch * 1000 };
    const got = cues(420, [], [], opts);
    expect(got.map((x) => x.cue.key)).toEqual(['time.ratingReserve']);
    expect(got[0]!.at).toBeCloseTo(300, 0);
  });

  it('says the minutes actually left when a minutes-left mark passed in the quiet start, fixed when raised', () => {
    const startEpoch = 1_800_000_000;
    // 10 min 40 s session: the 10-minute mark passes at 0:40, in the quiet start; at 5:00 there are 5:40 left.
    const opts = { schedule: { start: startEpoch, end: startEpoch + 640 }, now: () => startEpoch * 1000 };
    const got = cues(600, [], [], opts);
    const time = got.filter((x) => x.cue.kind === 'time');
    expect(time.map((x) => [x.cue.key, x.cue.minutesLeft, x.cue.markMinutes])).toEqual([
      ['time.minutesLeft', 6, 10],
      ['time.minutesLeft', 5, 5],
      ['time.ratingReserve', null, null],
    ]);
    expect(time[0]!.at).toBeCloseTo(300, 0);
    expect(time[1]!.at).toBeCloseTo(340, 0);
    expect(CUE_TEXT_EN[time[0]!.cue.key].replace('{minutes}', String(time[0]!.cue.minutesLeft))).toBe(
      '6 minutes left.',
    );
  });

  it('rounds the minutes left up and the wall clock at the first frame sets them', () => {
    const startEpoch = 1_800_000_000;
    // The call starts 2 min 30 s after the scheduled start of a 15-minute session: at 5:00 in, 7:30 are left.
    const opts = { schedule: { start: startEpoch, end: startEpoch + 900 }, now: () => (startEpoch + 150) * 1000 };
    const time = cues(330, [], [], opts).filter((x) => x.cue.kind === 'time');
    expect(time.map((x) => [x.cue.minutesLeft, x.cue.markMinutes])).toEqual([[8, 10]]);
  });

  it('follows configured thresholds', () => {
    const { therapist, client } = alternate(0, 200, 35, 10);
    const got = cues(200, therapist, client, {
      cues: { quietStartSeconds: 60, monologueSeconds: 30, balanceShareAbove: 0.9 },
    });
    expect(got[0]!.cue.kind).toBe('monologue');
    expect(got[0]!.at).toBeGreaterThanOrEqual(60);
  });
});
