import { describe, expect, it, vi } from 'vitest';
import { createTrackAnalysers } from '../../../../widget/therapist/audio/track-analysers.ts';

/** Just enough WebAudio to watch what the analysers do with it. */
function fakeAudio(initialState: AudioContextState = 'running') {
  const made: FakeContext[] = [];
  /** The autoplay policy: resume() only works once the user made a gesture. */
  let activated = false;
  class FakeAnalyser {
    fftSize = 2048;
    fill = 0;
    getFloatTimeDomainData(buf: Float32Array) {
      buf.fill(0);
      // Only the newest 20 ms (960 samples at 48 kHz) are loud: the level must cover exactly those.
      buf.fill(this.fill, buf.length - 960);
    }
  }
  class FakeSource {
    connected: unknown[] = [];
    disconnected = false;
    readonly stream: { tracks: unknown[] };
    constructor(stream: { tracks: unknown[] }) {
      this.stream = stream;
    }
    connect(n: unknown) {
      this.connected.push(n);
    }
    disconnect() {
      this.disconnected = true;
    }
  }
  class FakeContext extends EventTarget {
    sampleRate = 48_000;
    state: AudioContextState = initialState;
    sources: FakeSource[] = [];
    analysers: FakeAnalyser[] = [];
    closed = false;
    resume = vi.fn(async () => {
      if (!activated) return;
      this.state = 'running';
      this.dispatchEvent(new Event('statechange'));
    });
    constructor() {
      super();
      made.push(this);
    }
    createMediaStreamSource(stream: { tracks: unknown[] }) {
      const s = new FakeSource(stream);
      this.sources.push(s);
      return s;
    }
    createAnalyser() {
      const a = new FakeAnalyser();
      this.analysers.push(a);
      return a;
    }
    async close() {
      this.closed = true;
    }
  }
  class FakeStream {
    readonly tracks: unknown[];
    constructor(tracks: unknown[]) {
      this.tracks = tracks;
    }
  }
  const listeners = new EventTarget();
  const win = {
    AudioContext: FakeContext as unknown as typeof AudioContext,
    MediaStream: FakeStream as unknown as typeof MediaStream,
    addEventListener: listeners.addEventListener.bind(listeners),
    removeEventListener: listeners.removeEventListener.bind(listeners),
    gesture: () => {
      activated = true;
      listeners.dispatchEvent(new Event('pointerdown'));
    },
  };
  return { win, made };
}
const track = (id: string, readyState = 'live') => ({ id, readyState }) as unknown as MediaStreamTrack;

describe('track analysers', () => {
  it('makes no AudioContext until there is a track, then one source -> analyser per track, none to the destination', () => {
    const { win, made } = fakeAudio();
    const a = createTrackAnalysers(win);
    a.sync([]);
    expect(made).toHaveLength(0);
    const t1 = track('1');
    const t2 = track('2');
    a.sync([t1, t2]);
    expect(made).toHaveLength(1);
    const ctx = made[0]!;
    expect(ctx.sources).toHaveLength(2);
    expect(ctx.sources[0]!.connected).toEqual([ctx.analysers[0]]); // connected to its analyser only
    expect(ctx.analysers[0]!.fftSize).toBe(1024); // the power of two over 20 ms at 48 kHz
    a.sync([t1, t2]);
    expect(ctx.sources).toHaveLength(2);
    a.sync([t2, track('3', 'ended')]);
    expect(ctx.sources[0]!.disconnected).toBe(true);
    expect(ctx.sources).toHaveLength(2);
    a.close();
    expect(ctx.closed).toBe(true);
    expect(ctx.sources[1]!.disconnected).toBe(true);
  });

  it('gives the mean power of the newest 20 ms', () => {
    const { win, made } = fakeAudio();
    const a = createTrackAnalysers(win);
    const t = track('1');
    a.sync([t]);
    made[0]!.analysers[0]!.fill = 0.1;
    expect(a.power(t)).toBeCloseTo(0.01, 6);
    expect(a.power(track('unknown'))).toBe(0);
  });

  it('waits for a user gesture when the autoplay policy suspends the context, reading nothing until then', async () => {
    const { win, made } = fakeAudio('suspended');
    const a = createTrackAnalysers(win);
    const t = track('1');
    a.sync([t]);
    const ctx = made[0]!;
    expect(ctx.resume).toHaveBeenCalledTimes(1); // tried at once: stays suspended without a gesture
    made[0]!.analysers[0]!.fill = 0.1;
    await Promise.resolve();
    expect(a.running()).toBe(false);
    expect(a.power(t)).toBe(0);
    win.gesture();
    await Promise.resolve();
    expect(a.running()).toBe(true);
    expect(a.power(t)).toBeCloseTo(0.01, 6);
    a.close();
  });

  it('stays inert without WebAudio', () => {
    const a = createTrackAnalysers({ addEventListener() {}, removeEventListener() {} });
    a.sync([track('1')]);
    expect(a.running()).toBe(false);
    expect(a.power(track('1'))).toBe(0);
    a.close();
  });
});
