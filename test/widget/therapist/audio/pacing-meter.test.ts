import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PacingSnapshot } from '../../../../pacing/index.ts';
import { followRoom } from '../../../../widget/therapist/audio/livekit-room.ts';
import { createPacingMeter } from '../../../../widget/therapist/audio/pacing-meter.ts';
import type { TrackAnalysers } from '../../../../widget/therapist/audio/track-analysers.ts';

const track = (id: string) =>
  ({ id, kind: 'audio', readyState: 'live', enabled: true, stop() {} }) as unknown as MediaStreamTrack;

/** The therapist's microphone gives a quiet noise bed (a level every tick); the analysers run. */
const quietAnalysers: TrackAnalysers = {
  power: () => 1e-7 * (1 + (performance.now() % 60) / 60),
  sync() {},
  running: () => true,
  close() {},
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
});
afterEach(() => vi.useRealTimers());

describe('pacing meter', () => {
  it("counts the talk of a remote participant heard only through LiveKit's speaking flag", () => {
    // A participant whose audio is not subscribed (a phone dial-in still joining): only isSpeaking is known.
    const remote = { isSpeaking: false, audioTrackPublications: new Map() };
    const mic = { source: 'microphone', isMuted: false, track: { mediaStreamTrack: track('local') } };
    const room = {
      localParticipant: { isSpeaking: false, audioTrackPublications: new Map([['TR_l', mic]]) },
      remoteParticipants: new Map([['PA_c', remote]]),
      on() {},
      off() {},
    };
    const snaps: PacingSnapshot[] = [];
    const meter = createPacingMeter({
      win: window,
      onCue() {},
      onSnapshot: (s) => void snaps.push(s),
      analysers: quietAnalysers,
    });
    followRoom(room, { setSources: meter.setSources, refresh: meter.refresh, disconnected() {} });
    meter.configure({});
    for (let i = 0; i < 5; i++) {
      remote.isSpeaking = true;
      vi.advanceTimersByTime(3000);
      remote.isSpeaking = false;
      vi.advanceTimersByTime(2000);
    }
    const a = meter.end()!;
    expect(a.durationSeconds).toBeCloseTo(25, 1);
    // The flag is read once a tick (20 ms): each on and off can move by a tick, so 15 s within 0.1 s.
    expect(a.clientTalkSeconds).toBeGreaterThan(14.9);
    expect(a.clientTalkSeconds).toBeLessThan(15.1);
    expect(a.therapistTalkSeconds).toBe(0);
    // The flag is counted as it goes, not only at the end: 3 s after the first 5 s cycle.
    expect(snaps.find((s) => s.elapsedMs >= 5000)?.clientTalkMs).toBeCloseTo(3000, -2);
  });
});
