// Runs the pacing engine over WAV tracks (as the browser would over analyser frames) or over truth spans.
import {
  type ConversationOptions,
  createPacingSession,
  type PacingSessionOptions,
  type PacingSnapshot,
} from '../pacing/index.ts';
import { frameLevels } from '../pacing/levels.ts';
import { frameBandLevels } from './lib-analyser-spectrum.ts';
import type { Truth } from './lib-dialogue.ts';

export interface Metrics {
  durationSeconds: number;
  therapistTalkSeconds: number;
  clientTalkSeconds: number;
  therapistShare: number;
  overlapSeconds: number;
  overlapCount: number;
  longestTherapistTurnSeconds: number;
  therapistTurns: number;
  clientTurns: number;
  silenceSeconds: number;
  silenceCount: number;
  longestSilenceSeconds: number;
}

export function toMetrics(s: PacingSnapshot): Metrics {
  const r = (ms: number) => Math.round(ms) / 1000;
  return {
    durationSeconds: r(s.elapsedMs),
    therapistTalkSeconds: r(s.therapistTalkMs),
    clientTalkSeconds: r(s.clientTalkMs),
    therapistShare: Math.round((s.therapistShare ?? 0) * 10000) / 10000,
    overlapSeconds: r(s.overlapMs),
    overlapCount: s.overlapCount,
    longestTherapistTurnSeconds: r(s.longestTherapistTurnMs),
    therapistTurns: s.therapistTurns,
    clientTurns: s.clientTurns,
    silenceSeconds: r(s.silenceMs),
    silenceCount: s.silenceCount,
    longestSilenceSeconds: r(s.longestSilenceMs),
  };
}

/**
 * The engine over two tracks, one level per frameMs frame as the widget's analysers give it: the click-free speech
 * level (speechLevel). With `levels: 'band'`, the experimental speech-band level instead (that level times the
 * square root of the frame's speech-band fraction of an AnalyserNode spectrum; measured by the realistic bench, not
 * shipped). Tracks of unequal length are padded with silence.
 */
export function analyzeTracks(
  therapist: Float32Array,
  client: Float32Array,
  sampleRate: number,
  opts: { frameMs?: number; levels?: 'band' | 'speech' } & PacingSessionOptions = {},
): Metrics {
  const frameMs = opts.frameMs ?? 20;
  const levels = opts.levels === 'band' ? frameBandLevels : frameLevels;
  const lt = levels(therapist, sampleRate, frameMs);
  const lc = levels(client, sampleRate, frameMs);
  const n = Math.max(lt.length, lc.length);
  const session = createPacingSession({ ...opts, frameMs, now: () => 0 });
  for (let f = 0; f < n; f++) session.pushLevels((f + 1) * frameMs, lt[f] ?? 0, lc[f] ?? 0);
  session.end();
  return toMetrics(session.snapshot());
}

/** Feeds per-frame boolean activity of both roles (each frame covers frameMs) through the same turn/overlap rules. */
export function analyzeActivity(
  therapist: ArrayLike<number>,
  client: ArrayLike<number>,
  frameMs: number,
  kind: 'speaking' | 'activity',
  conversation: Partial<ConversationOptions> = {},
): Metrics {
  const n = Math.max(therapist.length, client.length);
  const session = createPacingSession({
    frameMs,
    now: () => 0,
    sources: { therapist: kind, client: kind },
    conversation,
  });
  for (let f = 0; f < n; f++) session.pushFrame((f + 1) * frameMs, therapist[f] ?? 0, client[f] ?? 0);
  session.end();
  return toMetrics(session.snapshot());
}

/**
 * Ground-truth metrics: the truth spans sampled every 10 ms, taken as exact speaking flags (through the default turn
 * rules, or those given).
 */
export function truthMetrics(
  truth: Pick<Truth, 'durationSeconds' | 'spans'>,
  frameMs = 10,
  conversation: Partial<ConversationOptions> = {},
): Metrics {
  const n = Math.round((truth.durationSeconds * 1000) / frameMs);
  const flags = (spans: [number, number][]) => {
    const out = new Uint8Array(n);
    for (const [s, e] of spans) {
      for (
        let f = Math.max(0, Math.round((s * 1000) / frameMs));
        f < Math.min(n, Math.round((e * 1000) / frameMs));
        f++
      )
        out[f] = 1;
    }
    return out;
  };
  return analyzeActivity(flags(truth.spans.therapist), flags(truth.spans.client), frameMs, 'speaking', conversation);
}

/** The engine over per-frame linear levels of both roles (e.g. RTP audio levels), each frame covering frameMs. */
export function analyzeLevelFrames(
  therapist: ArrayLike<number>,
  client: ArrayLike<number>,
  frameMs: number,
  vad?: PacingSessionOptions['vad'],
): Metrics {
  const n = Math.max(therapist.length, client.length);
  const session = createPacingSession({ frameMs, now: () => 0, ...(vad ? { vad } : {}) });
  for (let f = 0; f < n; f++) session.pushLevels((f + 1) * frameMs, therapist[f] ?? 0, client[f] ?? 0);
  session.end();
  return toMetrics(session.snapshot());
}
