import { describe, expect, it } from 'vitest';
import { createPacingSession, levelFromDb } from '../../pacing/index.ts';
import { DEFAULT_VAD_OPTIONS, RoleVad } from '../../pacing/vad.ts';
import { rng, runLevels } from './helpers.ts';

const NONE = { speech: [] as [number, number][] };

describe('voice activity from levels', () => {
  const pad = DEFAULT_VAD_OPTIONS.padMs;
  it('finds a phrase with its onset and end to within a frame (plus the pad on each side)', () => {
    const s = runLevels(10, { speech: [[2, 5]] }, NONE);
    const m = s.snapshot();
    // Two frames short is allowed: this phrase's levels are random (±6 dB a frame), and its last frame may neither
    // follow a 5 dB rise within riseMs (400 ms) nor come within riseNearDb of the talker, so held speech ends a frame
    // early. With riseMs 450 this seed happened to end on the frame.
    expect(m.therapistTalkMs).toBeGreaterThanOrEqual(3000 + 2 * pad - 40);
    expect(m.therapistTalkMs).toBeLessThanOrEqual(3000 + 2 * pad + 20);
    expect(m.clientTalkMs).toBe(0);
  });

  it('bridges word gaps shorter than the hangover but splits at longer pauses', () => {
    const short = runLevels(
      10,
      {
        speech: [
          [1, 2],
          [2.2, 3],
        ],
      },
      NONE,
    ).snapshot();
    expect(short.therapistTalkMs).toBeGreaterThan(1940); // 2 s of speech + the 0.2 s gap
    const long = runLevels(
      10,
      {
        speech: [
          [1, 2],
          [2.6, 3.6],
        ],
      },
      NONE,
    ).snapshot();
    expect(long.therapistTalkMs).toBeGreaterThan(1900);
    expect(long.therapistTalkMs).toBeLessThan(2000 + 4 * pad + 40); // the 0.6 s pause is not talk
  });

  it('drops blips shorter than the minimum speech length', () => {
    const m = runLevels(
      5,
      {
        speech: [
          [1, 1.06],
          [3, 3.04],
        ],
      },
      NONE,
    ).snapshot();
    expect(m.therapistTalkMs).toBe(0);
  });

  it('adapts to room noise: 20 dB SNR gives the same talk time as a quiet room', () => {
    const quiet = runLevels(
      30,
      {
        speech: [
          [2, 8],
          [12, 20],
        ],
      },
      NONE,
    ).snapshot();
    const noisy = runLevels(
      30,
      {
        speech: [
          [2, 8],
          [12, 20],
        ],
        noiseDb: -40,
      },
      { speech: [], noiseDb: -45 },
    ).snapshot();
    expect(Math.abs(noisy.therapistTalkMs - 14_000)).toBeLessThan(300);
    expect(Math.abs(noisy.therapistTalkMs - quiet.therapistTalkMs)).toBeLessThan(300);
    expect(noisy.clientTalkMs).toBe(0);
  });

  it('does not take the room noise for speech after the microphone was muted', () => {
    const s = createPacingSession({ now: () => 0 });
    const r = rng(5);
    for (let f = 1; f <= 3000; f++) {
      const sec = f / 50;
      // noise at -50 dB, muted (exact zeros) from 10 s to 30 s, then noise again; speech at 40-45 s
      const db = sec >= 40 && sec < 45 && sec % 1.5 >= 0.08 ? -20 + r() * 12 - 6 : -50 + r() * 3 - 1.5;
      s.pushLevels(f * 20, sec >= 10 && sec < 30 ? 0 : levelFromDb(db), 0);
    }
    s.end();
    const m = s.snapshot();
    expect(Math.abs(m.therapistTalkMs - 5000)).toBeLessThan(250);
  });

  it('ignores the other speaker leaking in at -24 dB through echo cancellation', () => {
    const spans: [number, number][] = [[2, 10]];
    const leak = runLevels(15, { speech: [], noiseDb: -60, leakDb: -24 }, { speech: spans, speechDb: -15 }).snapshot();
    expect(leak.clientTalkMs).toBeGreaterThan(7800);
    expect(leak.therapistTalkMs).toBe(0);
    // Without the leakage test the same audio would make the therapist talk: the test above is not vacuous.
    const naive = runLevels(
      15,
      { speech: [], noiseDb: -60, leakDb: -24 },
      { speech: spans, speechDb: -15 },
      {
        vad: { leakCouplingDb: -120, leakLearn: false },
      },
    ).snapshot();
    expect(naive.therapistTalkMs).toBeGreaterThan(4000);
  });

  it('still hears real double talk while suppressing leakage', () => {
    const m = runLevels(
      15,
      { speech: [[2, 6]], noiseDb: -55, leakDb: -24 },
      { speech: [[4, 9]], noiseDb: -55, leakDb: -24 },
    ).snapshot();
    expect(Math.abs(m.therapistTalkMs - 4000)).toBeLessThan(250);
    expect(Math.abs(m.clientTalkMs - 5000)).toBeLessThan(250);
    expect(m.overlapCount).toBe(1);
    expect(Math.abs(m.overlapMs - 2000)).toBeLessThan(300);
  });

  it('decides only after its lag: activeAt is final for times older than lagMs', () => {
    // A perfectly steady level is no voice (the keep tests want the level to move and rise); this test is about
    // timing only.
    const v = new RoleVad({ ...DEFAULT_VAD_OPTIONS, keepModulationDb: 0, riseDb: 0 });
    const lag = RoleVad.lagMs(DEFAULT_VAD_OPTIONS, 20);
    for (let i = 1; i <= 150; i++) {
      const p = i > 50 && i <= 80 ? 1e-2 : 1e-7;
      v.notePower(p);
      v.pushLevel(i * 20, 20, p, null);
    }
    // speech frames 51..80 cover [1000, 1600) ms (widened by padMs); now is 3000 ms, all before 3000 - lag is final
    expect(3000 - lag).toBeGreaterThan(1700);
    expect(v.activeAt(1000 - pad - 10)).toBe(false);
    expect(v.activeAt(1100)).toBe(true);
    expect(v.activeAt(1590)).toBe(true);
    expect(v.activeAt(1600 + pad + 10)).toBe(false);
  });
});
