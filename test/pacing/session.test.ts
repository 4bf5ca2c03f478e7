import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PacingAggregates } from '../../schemas/pacing.ts';
import { createPacingSession, levelFromAudioLevel, levelFromDb, rms } from '../../pacing/index.ts';
import { runLevels, runSpeaking } from './helpers.ts';

describe('pacing session', () => {
  it('produces valid PacingAggregates at the end', () => {
    const s = runSpeaking(
      120,
      [
        [0, 40],
        [60, 70],
      ],
      [
        [40, 58],
        [69, 100],
      ],
    );
    const a = s.aggregates();
    expect(v.parse(PacingAggregates, a)).toEqual(a);
    expect(a).toMatchObject({
      durationSeconds: 120,
      therapistTalkSeconds: 50,
      clientTalkSeconds: 49,
      overlapSeconds: 1,
      overlapCount: 1,
      longestTherapistTurnSeconds: 40,
      therapistTurns: 2,
      clientTurns: 2,
      silenceSeconds: 22, // 58-60 s (exactly the 2 s minimum) and 100-120 s
      silenceCount: 2,
      longestSilenceSeconds: 20,
      cuesShown: 0,
    });
  });

  it('ignores frames after the end and frames that go back in time', () => {
    const s = createPacingSession({
      sources: { therapist: 'speaking', client: 'speaking' },
      frameMs: 100,
      now: () => 0,
    });
    for (let t = 100; t <= 10_000; t += 100) s.pushSpeaking(t, true, false);
    s.pushSpeaking(5000, false, true);
    const a = s.aggregates();
    s.pushSpeaking(20_000, true, true);
    expect(s.aggregates()).toEqual(a);
    expect(a.therapistTalkSeconds).toBe(10);
    expect(a.clientTalkSeconds).toBe(0);
  });

  it('treats a long hole in the frames (a throttled tab) as silence, not as talk', () => {
    const s = createPacingSession({
      sources: { therapist: 'speaking', client: 'speaking' },
      frameMs: 100,
      now: () => 0,
    });
    for (let t = 100; t <= 5000; t += 100) s.pushSpeaking(t, true, false);
    for (let t = 65_000; t <= 70_000; t += 100) s.pushSpeaking(t, true, false);
    const a = s.aggregates();
    expect(a.durationSeconds).toBe(70);
    expect(a.therapistTalkSeconds).toBeLessThan(11);
  });

  it('hands a new cue out once and hides it after autoHideSeconds or on dismiss', () => {
    const s = createPacingSession({
      sources: { therapist: 'speaking', client: 'speaking' },
      frameMs: 100,
      now: () => 0,
      cues: { quietStartSeconds: 10, monologueSeconds: 20, autoHideSeconds: 5 },
    });
    let t = 0;
    const until = (sec: number) => {
      while (t < sec * 1000) {
        t += 100;
        s.pushSpeaking(t, true, false);
      }
    };
    until(21);
    const cue = s.takeCue();
    expect(cue?.kind).toBe('monologue');
    expect(s.takeCue()).toBeNull();
    expect(s.snapshot().cue).toEqual(cue);
    until(27);
    expect(s.snapshot().cue).toBeNull();
    expect(s.snapshot().cuesShown).toBe(1);
    s.dismissCue();
    expect(s.snapshot().cue).toBeNull();
  });

  it('reports remaining time against the schedule from the wall clock at the first frame', () => {
    const start = 1_800_000_000;
    const s = createPacingSession({ schedule: { start, end: start + 3000 }, now: () => (start + 60) * 1000 });
    s.pushLevels(1000, 0, 0);
    s.pushLevels(31_000, 0, 0);
    expect(s.snapshot().remainingMs).toBe((3000 - 60 - 30) * 1000);
    expect(s.snapshot().elapsedMs).toBe(30_020);
  });

  it('shows who is speaking now without waiting for the lag', () => {
    const s = createPacingSession({ now: () => 0 });
    for (let f = 1; f <= 100; f++) s.pushLevels(f * 20, levelFromDb(-60 + (f % 3)), levelFromDb(-60));
    for (let f = 101; f <= 110; f++) s.pushLevels(f * 20, levelFromDb(-20), levelFromDb(-60));
    const m = s.snapshot();
    expect(m.therapistVoiceNow).toBe(true);
    expect(m.clientVoiceNow).toBe(false);
    expect(m.therapistSpeaking).toBe(false); // 200 ms of speech is still inside the lag
    expect(s.lagMs).toBeGreaterThan(200);
  });

  it('accepts RTCRtpSynchronizationSource audio levels like RMS levels', () => {
    expect(levelFromAudioLevel(undefined)).toBe(0);
    expect(levelFromAudioLevel(1.5)).toBe(1);
    expect(levelFromAudioLevel(0.25)).toBe(0.25);
    expect(levelFromDb(-20)).toBeCloseTo(0.1, 10);
    expect(rms(new Float32Array([0.5, -0.5, 0.5, -0.5]))).toBeCloseTo(0.5, 10);
  });

  it('mixes a level source for the therapist with a speaking source for the client', () => {
    const s = createPacingSession({ sources: { therapist: 'level', client: 'speaking' }, now: () => 0 });
    for (let f = 1; f <= 1000; f++) {
      const sec = f / 50;
      // Speech-like: syllables of 200 ms with 60 ms dips (a steady level would be taken for noise).
      const tLevel = sec >= 2 && sec < 8 ? levelFromDb(f % 13 < 10 ? -20 + ((f * 7) % 6) : -32) : levelFromDb(-65);
      s.pushFrame(f * 20, tLevel, sec >= 10 && sec < 14 ? 1 : 0);
    }
    const a = s.aggregates();
    expect(a.therapistTalkSeconds).toBeGreaterThan(5.9);
    expect(a.therapistTalkSeconds).toBeLessThan(6.2);
    expect(a.clientTalkSeconds).toBeCloseTo(4, 1);
  });

  it('level sessions and their truth agree on a synthetic two-party session', () => {
    const t: [number, number][] = [
      [1, 9],
      [15, 30],
    ];
    const c: [number, number][] = [
      [9.5, 14.5],
      [29, 40],
    ];
    const lv = runLevels(
      45,
      { speech: t, noiseDb: -50, leakDb: -24 },
      { speech: c, noiseDb: -48, leakDb: -24 },
    ).aggregates();
    const truth = runSpeaking(45, t, c).aggregates();
    // Within 0.6 s of 23 and 16 s. The client's levels lose 0.52 s: where these random levels happen not to rise
    // 5 dB in 450 ms (the rise test) the speech pauses, and a pause the hangover bridges is not talk.
    expect(Math.abs(lv.therapistTalkSeconds - truth.therapistTalkSeconds)).toBeLessThan(0.6);
    expect(Math.abs(lv.clientTalkSeconds - truth.clientTalkSeconds)).toBeLessThan(0.6);
    expect(lv.overlapCount).toBe(truth.overlapCount);
  });
});

/** A 20 ms level frame f: speech in syllables (200 ms, 60 ms dips) or a quiet noise bed. */
const voice = (f: number, speaking: boolean) =>
  speaking ? levelFromDb(f % 13 < 10 ? -20 + ((f * 7) % 6) : -32) : levelFromDb(-65 + (f % 3) * 0.5);

describe('overlaps of level sources', () => {
  // Both parties from levels: the therapist talks 2-5 s, the client from 5 - overlapS to 8 s.
  const run = (overlapS: number, conversation = {}) => {
    const s = createPacingSession({ now: () => 0, conversation });
    for (let f = 1; f <= 500; f++) {
      const sec = (f - 1) / 50;
      s.pushLevels(f * 20, voice(f, sec >= 2 && sec < 5), voice(f + 7, sec >= 5 - overlapS && sec < 8));
    }
    s.end();
    return s.snapshot();
  };
  it('judges the 700 ms overlap against a threshold grown by half a pad: measured overlaps run longer', () => {
    // An overlap under 700 ms whose measure lands in [700, 740) ms (measured with every overlap counted): the
    // default threshold grown by half a pad does not count it; the plain 700 ms threshold (660 + 40 here) does.
    const overlap = [0.52, 0.54, 0.56, 0.58, 0.6, 0.62].find((o) => {
      const ms = run(o, { minOverlapMs: 0 }).overlapMs;
      return ms >= 700 && ms < 740;
    });
    expect(overlap).toBeDefined();
    expect(run(overlap!).overlapCount).toBe(0);
    expect(run(overlap!, { minOverlapMs: 660 }).overlapCount).toBe(1);
    expect(run(0.9).overlapCount).toBe(1);
  });
});

describe('takeover of level sources', () => {
  // The therapist talks 2-10 s and on after a 1.5 s pause; the client replies alone in it for replyS seconds.
  const run = (replyS: number, conversation = {}) => {
    const s = createPacingSession({ now: () => 0, conversation });
    for (let f = 1; f <= 1100; f++) {
      const sec = (f - 1) / 50;
      const therapist = (sec >= 2 && sec < 10) || (sec >= 11.5 && sec < 20);
      s.pushLevels(f * 20, voice(f, therapist), voice(f + 7, sec >= 10.3 && sec < 10.3 + replyS));
    }
    s.end();
    return s.snapshot();
  };
  it('judges the 1 s takeover on the reply as spoken: its measure is about half a pad (40 ms) longer', () => {
    // A reply under 1 s whose measure lands in [1.00, 1.04) s: the default threshold grown by half a pad keeps the
    // therapist's turn whole; the plain 1 s threshold (960 + 40 here) splits it.
    const reply = [0.86, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98].find((r) => {
      const ms = run(r).clientTalkMs;
      return ms >= 1000 && ms < 1040;
    });
    expect(reply).toBeDefined();
    expect(run(reply!).therapistTurns).toBe(1);
    expect(run(reply!, { takeoverMs: 960 }).therapistTurns).toBe(2);
  });
});

describe('pacing session, source kind per frame (pushMixed)', () => {
  it('counts flags through the hangover and minimum length in a level session, exactly in a speaking session', () => {
    // Client flags: 3 s on, 2 s off, five times; then a 100 ms gap inside a turn and a lone 40 ms blip.
    const flag = (ms: number) =>
      (ms < 25_000 && ms % 5000 < 3000) ||
      (ms >= 26_000 && ms < 28_000 && !(ms >= 27_000 && ms < 27_100)) ||
      (ms >= 29_000 && ms < 29_040);
    const mixed = createPacingSession({ now: () => 0 });
    const fixed = createPacingSession({ now: () => 0, sources: { therapist: 'level', client: 'speaking' } });
    for (let f = 1; f <= 1600; f++) {
      const ms = (f - 1) * 20; // the frame covers [ms, ms + 20)
      mixed.pushMixed(f * 20, voice(f, false), flag(ms));
      fixed.pushSpeaking(f * 20, false, flag(ms));
    }
    // 15 + 2 - 0.1 + 0.04 as flagged. A session made for levels bridges the 100 ms gap (250 ms hangover) for turns
    // but does not count it as talk, and drops the 40 ms blip (100 ms minimum): 16.9. LiveKit's flags change at most
    // every 400 ms, so they lose nothing.
    const a = mixed.aggregates();
    // Within a 10 ms step of the timeline (the detector's lag is not a whole number of frames).
    expect(Math.abs(a.clientTalkSeconds - 16.9)).toBeLessThan(0.015);
    expect(a.therapistTalkSeconds).toBe(0);
    expect(Math.abs(fixed.aggregates().clientTalkSeconds - 16.94)).toBeLessThan(0.015);
  });

  it('does not carry onset hits from before a stretch of flags into the levels after it', () => {
    const run = (flagsBetween: boolean) => {
      const s = createPacingSession({ now: () => 0 });
      for (let f = 1; f <= 750; f++) {
        const sec = (f - 1) / 50;
        // The client talks by levels 2-5.9 s (its last frames are onset hits), then 4 s with only a flag (off),
        // then the room's levels again.
        const flagged = flagsBetween && sec >= 5.9 && sec < 9.9;
        s.pushMixed(f * 20, voice(f, false), flagged ? false : voice(f, sec >= 2 && sec < 5.9));
      }
      return s.aggregates().clientTalkSeconds;
    };
    // Through levels all along: the 3.9 s turn and its pads. A stretch of flags in the silence changes nothing.
    expect(run(false)).toBeGreaterThan(3.8);
    expect(run(false)).toBeLessThan(4.2);
    expect(Math.abs(run(true) - run(false))).toBeLessThanOrEqual(0.04);
  });

  it('keeps counting a role whose source switches from flags to levels and back', () => {
    const s = createPacingSession({ now: () => 0 });
    for (let f = 1; f <= 1500; f++) {
      const sec = (f - 1) / 50;
      // Flags until 10 s (talk 2-6 s), levels until 20 s (talk 12-18 s), flags again (talk 22-25 s).
      const client =
        sec < 10 ? sec >= 2 && sec < 6 : sec < 20 ? voice(f, sec >= 12 && sec < 18) : sec >= 22 && sec < 25;
      s.pushMixed(f * 20, voice(f, false), client);
    }
    const a = s.aggregates();
    // Levels add up to the pads (60 ms each side) and lose up to a syllable dip at the end.
    expect(a.clientTalkSeconds).toBeGreaterThan(4 + 6 - 0.2 + 3);
    expect(a.clientTalkSeconds).toBeLessThan(4 + 6 + 0.2 + 3);
    expect(a.clientTurns).toBe(3);
  });

  it('joins a turn that goes on across a switch from levels to a flag', () => {
    const s = createPacingSession({ now: () => 0 });
    for (let f = 1; f <= 750; f++) {
      const sec = (f - 1) / 50;
      // The client talks 2-12 s: by levels until 7 s, then only a flag is left (the track went away).
      const client = sec < 7 ? voice(f, sec >= 2) : sec < 12;
      s.pushMixed(f * 20, voice(f, false), client);
    }
    const a = s.aggregates();
    expect(a.clientTalkSeconds).toBeGreaterThan(9.9);
    expect(a.clientTalkSeconds).toBeLessThan(10.2);
    expect(a.clientTurns).toBe(1);
    expect(a.longestTherapistTurnSeconds).toBe(0);
  });

  it("tests leakage only between two levels: with the therapist as a flag, their echo in the client's track counts", () => {
    // The therapist talks 2-12 s; their voice reaches the client's track 20 dB down (residual echo).
    const run = (therapistAsFlag: boolean) => {
      const s = createPacingSession({ now: () => 0 });
      for (let f = 1; f <= 750; f++) {
        const sec = (f - 1) / 50;
        const talks = sec >= 2 && sec < 12;
        const t = voice(f, talks);
        const echo = talks ? t * 0.1 : 0;
        const c = Math.sqrt(voice(f, false) ** 2 + echo * echo);
        s.pushMixed(f * 20, therapistAsFlag ? talks : t, c);
      }
      return s.aggregates();
    };
    const levels = run(false);
    expect(levels.therapistTalkSeconds).toBeGreaterThan(9.9);
    expect(levels.clientTalkSeconds).toBeLessThan(0.5); // explained by the therapist's level
    const flag = run(true);
    expect(flag.therapistTalkSeconds).toBe(10);
    expect(flag.clientTalkSeconds).toBeGreaterThan(8); // nothing to explain it with: counted as the client's
  });

  it('shows the newest frame of the kind given as "voice now"', () => {
    const s = createPacingSession({ now: () => 0 });
    for (let f = 1; f <= 100; f++) s.pushMixed(f * 20, voice(f, false), voice(f, false));
    for (let f = 101; f <= 110; f++) s.pushMixed(f * 20, voice(f, true), true);
    expect(s.snapshot()).toMatchObject({ therapistVoiceNow: true, clientVoiceNow: true });
    s.pushMixed(111 * 20, voice(111, true), false);
    expect(s.snapshot().clientVoiceNow).toBe(false);
    s.pushMixed(112 * 20, voice(112, true), voice(112, false));
    expect(s.snapshot().clientVoiceNow).toBe(false);
  });
});
