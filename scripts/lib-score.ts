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

/**
 * Speaking flags as a LiveKit SFU derives them from the RFC 6464 levels of a published track (its audio-level
 * observer, default config: active level 35 dBov, 40 % of a 400 ms window, EMA over 2 windows): a window is
 * active when at least 40 % of its packets are at -35 dBov or louder; its level is the loudest packet's,
 * weighted by the active fraction; the participant speaks while the smoothed level is at or above -35 dBov.
 * The flag changes only at the end of each 400 ms window, as `isSpeaking` does in livekit-client. One flag
 * per frameMs frame. Not modelled: the reset after 800 ms without packets (Opus DTX sends none in silence, where
 * this model decays the level instead) and the phase (0-400 ms) of the server's speaker updates against the window.
 */
export function livekitSpeakingFlags(samples: Float32Array, sampleRate: number, frameMs = 20): Uint8Array {
  const ACTIVE_DBOV = 35;
  const WINDOW_MS = 400;
  const MIN_ACTIVE_MS = (40 / 100) * WINDOW_MS;
  const SMOOTH = 2 / (2 + 1);
  const linear = (dbov: number) => 10 ** (-dbov / 20);
  const levels = rtpLevels(samples, sampleRate, frameMs);
  const out = new Uint8Array(levels.length);
  let smoothed = 0;
  let speaking = 0;
  let observed = 0;
  let active = 0;
  let loudest = 127;
  for (let f = 0; f < levels.length; f++) {
    const dbov = levels[f]! > 0 ? Math.min(127, Math.round(-20 * Math.log10(levels[f]!))) : 127;
    observed += frameMs;
    if (dbov <= ACTIVE_DBOV) {
      active += frameMs;
      loudest = Math.min(loudest, dbov);
    }
    if (observed >= WINDOW_MS) {
      const weighted = active >= MIN_ACTIVE_MS ? linear(loudest - 20 * Math.log10(active / WINDOW_MS)) : 0;
      smoothed = active >= MIN_ACTIVE_MS ? smoothed + (weighted - smoothed) * SMOOTH : 0;
      speaking = smoothed >= linear(ACTIVE_DBOV) ? 1 : 0;
      observed = 0;
      active = 0;
      loudest = 127;
    }
    out[f] = speaking;
  }
  return out;
}
