import { createPacingSession, type PacingSession, type PacingSessionOptions } from '../../pacing/index.ts';

import { rng } from '../../scripts/lib-rng.ts';

export { rng };

export type Spans = [number, number][];
const inSpans = (spans: Spans, s: number) => spans.some(([a, b]) => s >= a && s < b);

export interface SynthRole {
  speech: Spans;
  /** dBFS of speech frames (±6 dB random) and of noise (±1.5 dB). */
  speechDb?: number;
  noiseDb?: number;
  /** Other role's speech leaking in at this many dB below the other's level. */
  leakDb?: number;
}

/**
 * Feeds 20 ms level frames of two synthetic roles for `seconds` into a new session and ends it.
 * Returns the session so tests can read snapshot() / aggregates().
 */
export function runLevels(
  seconds: number,
  therapist: SynthRole,
  client: SynthRole,
  opts: PacingSessionOptions = {},
  seed = 1,
): PacingSession {
  const r = rng(seed);
  const s = createPacingSession({ now: () => 0, ...opts });
  const frames = Math.round((seconds * 1000) / 20);
  const lvl = (role: SynthRole, sec: number) => {
    // Real speech dips to the noise between some words: 80 ms every 1.5 s (bridged by the hangover).
    const sp = inSpans(role.speech, sec) && sec % 1.5 >= 0.08;
    const db = sp ? (role.speechDb ?? -20) + (r() * 12 - 6) : (role.noiseDb ?? -70) + (r() * 3 - 1.5);
    return { pow: 10 ** (db / 10), sp };
  };
  for (let f = 0; f < frames; f++) {
    const sec = (f + 0.5) * 0.02;
    const t = lvl(therapist, sec);
    const c = lvl(client, sec);
    let tp = t.pow;
    let cp = c.pow;
    if (therapist.leakDb !== undefined && c.sp) tp += c.pow * 10 ** (therapist.leakDb / 10);
    if (client.leakDb !== undefined && t.sp) cp += t.pow * 10 ** (client.leakDb / 10);
    s.pushLevels((f + 1) * 20, Math.sqrt(tp), Math.sqrt(cp));
  }
  s.end();
  return s;
}

/** Feeds speaking flags every 100 ms (exact spans) and ends the session. */
export function runSpeaking(
  seconds: number,
  therapist: Spans,
  client: Spans,
  opts: PacingSessionOptions = {},
): PacingSession {
  const s = createPacingSession({
    now: () => 0,
    frameMs: 100,
    sources: { therapist: 'speaking', client: 'speaking' },
    ...opts,
  });
  const frames = Math.round((seconds * 1000) / 100);
  for (let f = 0; f < frames; f++) {
    const sec = (f + 0.5) * 0.1;
    s.pushSpeaking((f + 1) * 100, inSpans(therapist, sec), inSpans(client, sec));
  }
  s.end();
  return s;
}
