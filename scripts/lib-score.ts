// Node-only: scores of an engine's metrics against the truth of a dialogue, and the baselines they are
// compared with (a naive energy VAD, RTP-style audio levels).

import { frameLevels } from '../pacing/levels.ts';
import { analyzeActivity, type Metrics } from './lib-analyze.ts';

export interface Score {
  /** |share - truth share| in points. */
  sharePoints: number;
  /** |talk - truth talk| as % of the truth talk, per party. */
  therapistTalkPct: number;
  clientTalkPct: number;
  /** |longest therapist turn - truth| in seconds. */
  turnSeconds: number;
  /** Overlap counted beyond the truth's (s); in the typing condition this is overlap made by typing. */
  excessOverlapSeconds: number;
}

export function score(m: Metrics, truth: Metrics): Score {
  const pct = (a: number, b: number) => (Math.abs(a - b) / Math.max(1e-9, b)) * 100;
  return {
    sharePoints: Math.abs(m.therapistShare - truth.therapistShare) * 100,
    therapistTalkPct: pct(m.therapistTalkSeconds, truth.therapistTalkSeconds),
    clientTalkPct: pct(m.clientTalkSeconds, truth.clientTalkSeconds),
    turnSeconds: Math.abs(m.longestTherapistTurnSeconds - truth.longestTherapistTurnSeconds),
    excessOverlapSeconds: Math.max(0, m.overlapSeconds - truth.overlapSeconds),
  };
}

/**
 * RMS per frame quantised as RFC 6464 audio levels are (whole dB below full scale, -127 dB floor): what the
 * levels-only path gets from RTCRtpSynchronizationSource.audioLevel.
 */
export function rtpLevels(samples: Float32Array, sampleRate: number, frameMs = 20): Float32Array {
  const l = frameLevels(samples, sampleRate, frameMs, true);
  for (let i = 0; i < l.length; i++) {
    const dbov = Math.min(127, Math.round(-20 * Math.log10(l[i]! + 1e-12)));
    l[i] = dbov >= 127 ? 0 : 10 ** (-dbov / 20);
  }
  return l;
}

/**
 * A naive energy VAD: a frame is speech when its RMS is 10 dB above the track's 10th-percentile frame level
 * (one threshold for the whole call), through the engine's turn rules with the same hangover.
 */
export function energyVadMetrics(t: Float32Array, c: Float32Array, sampleRate: number, frameMs = 20): Metrics {
  const decide = (x: Float32Array) => {
    const l = frameLevels(x, sampleRate, frameMs, true);
    const db = Float64Array.from(l, (v) => 20 * Math.log10(v + 1e-9));
    const sorted = Float64Array.from(db).sort();
    const th = sorted[Math.floor(sorted.length * 0.1)]! + 10;
    return Uint8Array.from(db, (v) => (v > th ? 1 : 0));
  };
  return analyzeActivity(decide(t), decide(c), frameMs, 'activity');
}

export interface Summary {
  n: number;
  shareMean: number;
  shareMax: number;
  talkPctMean: number;
  talkPctMax: number;
  turnMean: number;
  turnMax: number;
  excessOverlapMax: number;
}

export function summarise(scores: Score[]): Summary {
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const max = (a: number[]) => (a.length ? Math.max(...a) : 0);
  const share = scores.map((s) => s.sharePoints);
  const talk = scores.flatMap((s) => [s.therapistTalkPct, s.clientTalkPct]);
  const turn = scores.map((s) => s.turnSeconds);
  return {
    n: scores.length,
    shareMean: mean(share),
    shareMax: max(share),
    talkPctMean: mean(talk),
    talkPctMax: max(talk),
    turnMean: mean(turn),
    turnMax: max(turn),
    excessOverlapMax: max(scores.map((s) => s.excessOverlapSeconds)),
  };
}
