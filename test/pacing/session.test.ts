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
    expect(Math.abs(lv.therapistTalkSeconds - truth.therapistTalkSeconds)).toBeLessThan(0.5);
    expect(Math.abs(lv.clientTalkSeconds - truth.clientTalkSeconds)).toBeLessThan(0.5);
    expect(lv.overlapCount).toBe(truth.overlapCount);
  });
});
