import { speechLevel } from '../../../pacing/levels.ts';

/**
 * Levels of MediaStreamTracks through WebAudio: one AudioContext for the widget, and per track a
 * MediaStreamAudioSourceNode -> AnalyserNode. Nothing is connected to the destination, so nothing is played
 * (an AnalyserNode is pulled by the rendering thread without it). Reading a level copies the analyser's last
 * frame and takes its speech level (speechLevel: RMS without the loudest sub-blocks): a few microseconds.
 */
export interface TrackAnalysers {
  /** Speech power (speechLevel squared, full scale 1) of the track's most recent frame; 0 when unknown or not running. */
  power(track: MediaStreamTrack): number;
  /** Keeps analysers for exactly these tracks: new ones get a node, gone or ended ones are disconnected. */
  sync(tracks: Iterable<MediaStreamTrack>): void;
  /** Whether the AudioContext is running (it may wait for a user gesture under the autoplay policy). */
  running(): boolean;
  close(): void;
}

interface Entry {
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
}

type AudioWindow = Pick<Window, 'addEventListener' | 'removeEventListener'> & {
  AudioContext?: typeof AudioContext;
  webkitAudioContext?: typeof AudioContext;
  MediaStream?: typeof MediaStream;
};

const GESTURES = ['pointerdown', 'keydown', 'touchend'] as const;

/** Analysers over one lazily created AudioContext; frameMs is the span each level covers (the polling period). */
export function createTrackAnalysers(win: AudioWindow, frameMs = 20): TrackAnalysers {
  let ctx: AudioContext | null = null;
  let failed = false;
  let buf = new Float32Array(0);
  let frameSamples = 0;
  const entries = new Map<MediaStreamTrack, Entry>();

  const resume = () => {
    if (ctx && ctx.state === 'suspended') ctx.resume().catch(() => {});
  };
  const unlisten = () => {
    for (const g of GESTURES) win.removeEventListener(g, resume, true);
  };
  const onState = () => {
    if (ctx?.state === 'running') unlisten();
  };

  const context = (): AudioContext | null => {
    if (ctx || failed) return ctx;
    const Ctor = win.AudioContext ?? win.webkitAudioContext;
    if (!Ctor || !win.MediaStream) {
      failed = true;
      return null;
    }
    try {
      ctx = new Ctor({ latencyHint: 'playback' });
    } catch {
      failed = true;
      return null;
    }
    frameSamples = Math.max(32, Math.round((ctx.sampleRate * frameMs) / 1000));
    buf = new Float32Array(2 ** Math.ceil(Math.log2(frameSamples)));
    if (ctx.state === 'suspended') {
      // Autoplay policy: a context made without a user gesture waits for one. Resume on the next gesture.
      for (const g of GESTURES) win.addEventListener(g, resume, { capture: true, passive: true });
      ctx.addEventListener('statechange', onState);
      resume();
    }
    return ctx;
  };

  const drop = (track: MediaStreamTrack, e: Entry) => {
    e.source.disconnect();
    entries.delete(track);
  };

  return {
    power(track) {
      const e = entries.get(track);
      if (!e || ctx?.state !== 'running') return 0;
      e.analyser.getFloatTimeDomainData(buf);
      // The analyser window is the next power of two; the level covers the newest frameSamples of it. The speech
      // level leaves out the frame's loudest sub-blocks (clicks), as the offline analyser does over WAV frames.
      const l = speechLevel(buf, buf.length - frameSamples, buf.length);
      return l * l;
    },
    sync(tracks) {
      const want = new Set<MediaStreamTrack>();
      for (const t of tracks) if (t.readyState !== 'ended') want.add(t);
      for (const [t, e] of entries) if (!want.has(t)) drop(t, e);
      if (!want.size) return;
      const c = context();
      if (!c) return;
      for (const t of want) {
        if (entries.has(t)) continue;
        try {
          const source = c.createMediaStreamSource(new win.MediaStream!([t]));
          const analyser = c.createAnalyser();
          analyser.fftSize = buf.length;
          source.connect(analyser);
          entries.set(t, { source, analyser });
        } catch {
          // a track the context cannot read (e.g. ended between the check and here): skipped, retried next sync
        }
      }
    },
    running: () => ctx?.state === 'running',
    close() {
      for (const [t, e] of entries) drop(t, e);
      unlisten();
      ctx?.removeEventListener('statechange', onState);
      ctx?.close().catch(() => {});
      ctx = null;
    },
  };
}
