import { describe, expect, it } from 'vitest';
import {
  audioInput,
  isAudioInput,
  roleLevelOrFlag,
  tracksOf,
} from '../../../../widget/therapist/audio/role-sources.ts';
import { receiverPower } from '../../../../widget/therapist/audio/rtp-level.ts';
import type { TrackAnalysers } from '../../../../widget/therapist/audio/track-analysers.ts';

const track = (id: string, over: Partial<MediaStreamTrack> = {}) =>
  ({ id, kind: 'audio', readyState: 'live', enabled: true, stop() {}, ...over }) as unknown as MediaStreamTrack;

function analysers(powers: Record<string, number>, running = true): TrackAnalysers {
  return { power: (t) => powers[t.id] ?? 0, sync() {}, running: () => running, close() {} };
}

const NOW = 1_800_000_000_000;
const receiver = (entries: Array<{ audioLevel?: number; timestamp: number }>) => ({
  getSynchronizationSources: () => entries as RTCRtpSynchronizationSource[],
  track: track('r'),
});

/** The role's level as power (the level squared), or its flag. */
const power = (x: number | boolean) => (typeof x === 'number' ? x * x : x);

describe('role levels', () => {
  it("sums the powers of a role's sources (several remote participants) and gives the RMS level", () => {
    const a = analysers({ a: 0.01, b: 0.0025 });
    expect(power(roleLevelOrFlag([{ track: track('a') }, { track: track('b') }], a, NOW))).toBeCloseTo(0.0125);
    expect(roleLevelOrFlag([{ track: track('a') }], a, NOW)).toBeCloseTo(0.1);
    expect(roleLevelOrFlag([], a, NOW)).toBe(0);
  });

  it('counts muted, disabled and ended sources as silent', () => {
    const a = analysers({ a: 0.01 });
    const speaking = () => true;
    expect(roleLevelOrFlag([{ track: track('a'), muted: () => true, speaking }], a, NOW)).toBe(0);
    expect(roleLevelOrFlag([{ track: track('a', { enabled: false }), speaking }], a, NOW)).toBe(0);
    expect(roleLevelOrFlag([{ track: track('a', { readyState: 'ended' }), speaking }], a, NOW)).toBe(0);
    expect(roleLevelOrFlag([{ muted: () => true, speaking }], a, NOW)).toBe(0);
  });

  it("prefers the receiver's packet levels; falls back to the track when it gives none", () => {
    const a = analysers({ r: 0.5 });
    const fresh = receiver([
      { audioLevel: 0.1, timestamp: NOW - 20 },
      { audioLevel: 0.2, timestamp: NOW - 30 },
    ]);
    expect(power(roleLevelOrFlag([{ track: fresh.track, receiver: fresh }], a, NOW))).toBeCloseTo(0.04);
    const none = receiver([]);
    expect(power(roleLevelOrFlag([{ track: none.track, receiver: none }], a, NOW))).toBeCloseTo(0.5);
  });

  it('gives the speaking flag, as a flag, only when no source gives a level', () => {
    const speaking = { track: track('a'), speaking: () => true };
    expect(power(roleLevelOrFlag([speaking], analysers({ a: 0.0001 }), NOW))).toBeCloseTo(0.0001);
    // The AudioContext is not running (no user gesture yet) and there are no packet levels: the flag.
    expect(roleLevelOrFlag([speaking], analysers({ a: 0.0001 }, false), NOW)).toBe(true);
    expect(roleLevelOrFlag([{ speaking: () => true }], analysers({}), NOW)).toBe(true);
    expect(roleLevelOrFlag([{ speaking: () => false }], analysers({}), NOW)).toBe(false);
    expect(roleLevelOrFlag([{ speaking: () => false }, { speaking: () => true }], analysers({}), NOW)).toBe(true);
    // A track whose level cannot be read and no flag: silence, as before any source exists.
    expect(roleLevelOrFlag([{ track: track('a') }], analysers({}, false), NOW)).toBe(0);
  });

  it('with levels and flags both, a speaking flag wins and a silent one leaves the levels to decide', () => {
    const heard = { track: track('a') };
    let on = true;
    const notYetSubscribed = { speaking: () => on };
    const a = analysers({ a: 0.0004 });
    expect(roleLevelOrFlag([heard, notYetSubscribed], a, NOW)).toBe(true);
    on = false;
    expect(roleLevelOrFlag([heard, notYetSubscribed], a, NOW)).toBeCloseTo(0.02);
  });

  it('lists every track for the analysers', () => {
    const r = receiver([]);
    expect(
      tracksOf({
        local: [{ track: track('l') }],
        remote: [{ track: r.track, receiver: r }, { speaking: () => false }],
      }).map((t) => t.id),
    ).toEqual(['l', 'r']);
  });
});

describe('RTP receiver levels', () => {
  it('takes the loudest fresh source, squares it, clamps it, and treats stale packets (DTX pauses) as silence', () => {
    expect(receiverPower(receiver([{ audioLevel: 0.3, timestamp: NOW - 10 }]), NOW)).toBeCloseTo(0.09);
    expect(receiverPower(receiver([{ audioLevel: 1.5, timestamp: NOW }]), NOW)).toBe(1);
    expect(receiverPower(receiver([{ audioLevel: 0.3, timestamp: NOW - 1000 }]), NOW)).toBe(0);
    expect(receiverPower(receiver([{ timestamp: NOW }]), NOW)).toBeNull();
    // A clock far off (another time base) cannot judge staleness: the level is used.
    expect(receiverPower(receiver([{ audioLevel: 0.3, timestamp: 5000 }]), NOW)).toBeCloseTo(0.09);
    expect(
      receiverPower(
        {
          getSynchronizationSources: () => {
            throw new Error('closed');
          },
        },
        NOW,
      ),
    ).toBeNull();
  });
});

describe('attachAudio inputs', () => {
  it('accepts a track, a stream (read again each time), a receiver, or an array of them', () => {
    const t = track('t');
    expect(audioInput(t)().map((s) => s.track)).toEqual([t]);
    expect(audioInput(track('v', { kind: 'video' }))()).toEqual([]);
    let tracks = [track('s1')];
    const stream = { getAudioTracks: () => tracks };
    const list = audioInput(stream);
    expect(list().map((s) => s.track?.id)).toEqual(['s1']);
    tracks = [track('s2'), track('s3')];
    expect(list().map((s) => s.track?.id)).toEqual(['s2', 's3']);
    const r = receiver([]);
    const [viaReceiver] = audioInput(r)();
    expect(viaReceiver!.receiver).toBe(r);
    expect(audioInput([t, stream])().map((s) => s.track?.id)).toEqual(['t', 's2', 's3']);
    expect(audioInput(null)()).toEqual([]);
  });

  it('tells what it does not understand', () => {
    expect(isAudioInput(track('t'))).toBe(true);
    expect(isAudioInput([track('t'), { getAudioTracks: () => [] }])).toBe(true);
    expect(isAudioInput('mic')).toBe(false);
    expect(isAudioInput({ local: track('t') })).toBe(false);
    expect(isAudioInput([track('t'), 3])).toBe(false);
  });
});
