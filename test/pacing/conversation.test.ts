import { describe, expect, it } from 'vitest';
import { Conversation, DEFAULT_CONVERSATION_OPTIONS } from '../../pacing/conversation.ts';
import { runSpeaking } from './helpers.ts';

describe('turns, overlaps and silences', () => {
  it('counts talk per role and the share', () => {
    const m = runSpeaking(60, [[0, 20]], [[25, 35]]).snapshot();
    expect(m.therapistTalkMs).toBe(20_000);
    expect(m.clientTalkMs).toBe(10_000);
    expect(m.therapistShare).toBeCloseTo(2 / 3, 5);
  });

  it('counts talk and the shares from the talk states, turns and overlaps from the speech states', () => {
    const conv = new Conversation(DEFAULT_CONVERSATION_OPTIONS);
    // 10 s of therapist speech whose every second ends in 300 ms that are not talk (a pause, a tail), with the
    // client over its last 2 s.
    for (let ms = 0; ms < 10_000; ms += 20) {
      const c = ms >= 8000;
      conv.advance(ms, 20, true, c, ms % 1000 < 700, c);
    }
    expect(conv.therapistTalkMs).toBe(7000);
    expect(conv.clientTalkMs).toBe(2000);
    expect(conv.rolling.therapistMs).toBe(7000);
    expect(conv.share()).toBeCloseTo(7 / 9, 5);
    expect(conv.overlapCount).toBe(1);
    expect(conv.overlapMs).toBe(2000);
    expect(conv.therapist.longestMs).toBe(10_000);
  });

  it('keeps a turn through short pauses and backchannels, ends it when the client takes the floor', () => {
    const therapist: [number, number][] = [
      [0, 10],
      [11.5, 20],
      [21, 30],
      [40, 50],
    ];
    // a 0.5 s "mm" at 20.2 is a backchannel; the client's 5 s at 32 takes the floor
    const client: [number, number][] = [
      [20.2, 20.7],
      [32, 37],
    ];
    const m = runSpeaking(60, therapist, client).snapshot();
    expect(m.longestTherapistTurnMs).toBe(30_000);
    expect(m.therapistTurns).toBe(2);
    expect(m.clientTurns).toBe(1); // the backchannel is not a turn
  });

  it('ends a turn when the client starts in a pause and keeps talking, even if the therapist comes back in over them', () => {
    // client alone only 0.6 s (11.0-11.6), but their run lasts 2 s: they took the floor
    const m = runSpeaking(
      30,
      [
        [0, 10],
        [11.6, 20],
      ],
      [[11, 13]],
    ).snapshot();
    expect(m.therapistTurns).toBe(2);
    expect(m.longestTherapistTurnMs).toBe(10_000);
    // the same client speech starting while the therapist talks is an interruption attempt, not a floor change
    const over = runSpeaking(30, [[0, 20]], [[11, 13]]).snapshot();
    expect(over.therapistTurns).toBe(1);
    expect(over.longestTherapistTurnMs).toBe(20_000);
  });

  it('ends a turn after a long pause even if nobody else speaks', () => {
    const m = runSpeaking(
      60,
      [
        [0, 10],
        [14, 20],
      ],
      [],
    ).snapshot();
    expect(m.therapistTurns).toBe(2);
    expect(m.longestTherapistTurnMs).toBe(10_000);
  });

  it('reports the current therapist turn while it lasts', () => {
    const m = runSpeaking(30, [[5, 30]], []).snapshot();
    expect(m.currentTherapistTurnMs).toBe(25_000);
  });

  it('counts overlaps from the minimum length on and ignores backchannel blips', () => {
    const therapist: [number, number][] = [
      [0, 10],
      [20, 30],
    ];
    const client: [number, number][] = [
      [3, 3.4],
      [9, 12],
      [29, 29.5],
      [40, 45],
    ];
    const m = runSpeaking(60, therapist, client).snapshot();
    expect(m.overlapCount).toBe(1);
    expect(m.overlapMs).toBe(1000);
  });

  it('counts silences from two seconds and keeps the longest', () => {
    const m = runSpeaking(
      30,
      [
        [0, 5],
        [6, 10],
        [20, 30],
      ],
      [],
    ).snapshot();
    expect(m.silenceCount).toBe(1);
    expect(m.silenceMs).toBe(10_000);
    expect(m.longestSilenceMs).toBe(10_000);
  });

  it('rolls the share over the last five minutes', () => {
    // 5 minutes of therapist alone, then 5 minutes of client alone
    const m = runSpeaking(600, [[0, 300]], [[300, 600]]).snapshot();
    expect(m.therapistShare).toBeCloseTo(0.5, 3);
    expect(m.rollingTherapistShare).toBeCloseTo(0, 3);
    const half = runSpeaking(450, [[0, 300]], [[300, 450]]).snapshot();
    expect(half.rollingTherapistShare).toBeCloseTo(0.5, 2);
  });
});
