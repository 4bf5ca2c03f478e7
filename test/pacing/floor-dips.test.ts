// Isolated near-silent frames (a capture device wrapping its file, a device switch, a packet-loss fade, an
// unmute) must not pull the noise floor down and turn the room's noise into speech.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Truth } from '../../scripts/lib-dialogue.ts';
import { analyzeTracks, truthMetrics } from '../../scripts/lib-analyze.ts';
import { createPacingSession, frameLevels } from '../../pacing/index.ts';
import { readWav } from '../../scripts/lib-wav.ts';

const dir = join(import.meta.dirname, '../fixtures/dialogues');
const LOOPS = 3;

const loop = (x: Float32Array, n: number) => {
  const out = new Float32Array(x.length * n);
  for (let i = 0; i < n; i++) out.set(x, i * x.length);
  return out;
};

/** Replaces lenMs of audio every everyS seconds (from firstS) by a tone at db dBFS RMS: a near-silent dip. */
function withDips(
  x: Float32Array,
  sr: number,
  firstS: number,
  everyS: number,
  lenMs: number,
  db: number,
): Float32Array {
  const y = new Float32Array(x);
  const a = 10 ** (db / 20) * Math.SQRT2;
  const len = Math.round((lenMs / 1000) * sr);
  for (let t = firstS; t < x.length / sr; t += everyS) {
    const s = Math.round(t * sr);
    for (let i = 0; i < len && s + i < y.length; i++) y[s + i] = a * Math.sin(i * 0.7);
  }
  return y;
}

describe('noise floor with isolated near-silent frames', () => {
  for (const name of ['dialogue-01', 'dialogue-02']) {
    const truth = truthMetrics(JSON.parse(readFileSync(join(dir, name, 'truth.json'), 'utf8')) as Truth);
    const t = readWav(join(dir, name, 'noise-therapist.wav'));
    const c = readWav(join(dir, name, 'noise-client.wav'));
    const sr = t.sampleRate;
    const T = loop(t.samples, LOOPS);
    const C = loop(c.samples, LOOPS);
    const clean = analyzeTracks(T, C, sr);
    // One frame (20 ms, frame-aligned or straddling two frames) and two frames (40 ms), at -55 and -65 dBFS.
    for (const [lenMs, offsetS, db] of [
      [20, 0, -55],
      [20, 0.01, -55],
      [40, 0, -55],
      [20, 0, -65],
    ] as const) {
      it(`${name} noise, ${lenMs} ms at ${db} dBFS every 3 s: share and talk as without the dips`, () => {
        const m = analyzeTracks(
          withDips(T, sr, 1.5 + offsetS, 3, lenMs, db),
          withDips(C, sr, 2.2 + offsetS, 3, lenMs, db),
          sr,
        );
        expect(Math.abs(m.therapistShare - truth.therapistShare) * 100).toBeLessThanOrEqual(3);
        expect(Math.abs(m.therapistTalkSeconds - clean.therapistTalkSeconds)).toBeLessThan(0.3);
        expect(Math.abs(m.clientTalkSeconds - clean.clientTalkSeconds)).toBeLessThan(0.3);
        expect(Math.abs(m.therapistTalkSeconds - LOOPS * truth.therapistTalkSeconds)).toBeLessThan(LOOPS * 0.5);
        expect(Math.abs(m.clientTalkSeconds - LOOPS * truth.clientTalkSeconds)).toBeLessThan(LOOPS * 0.5);
      });
    }
  }
});

describe('looped playback: talk per loop does not hinge on the offset between the two sides', () => {
  // As in the browser test: each side loops its track on its own clock, and each wrap leaves a near-silent frame.
  // Talk counted over two whole loops (after one to settle) must stay near the truth whatever the offset.
  for (const name of ['dialogue-01', 'dialogue-02']) {
    const truth = truthMetrics(JSON.parse(readFileSync(join(dir, name, 'truth.json'), 'utf8')) as Truth);
    const t = readWav(join(dir, name, 'noise-therapist.wav'));
    const c = readWav(join(dir, name, 'noise-client.wav'));
    const sr = t.sampleRate;
    const len = t.samples.length;
    const looped = (x: Float32Array, shift: number) => {
      const out = new Float32Array(len * 5);
      const a = 10 ** (-55 / 20) * Math.SQRT2;
      for (let i = 0; i < out.length; i++) {
        const k = (i + shift) % len;
        out[i] = k < sr / 50 ? a * Math.sin(i * 0.7) : x[k]!;
      }
      return out;
    };
    for (const offsetS of [0, 2.5, 5, 7.5]) {
      it(`${name} noise, client ${offsetS} s ahead: each side within 0.6 s per loop of the truth`, () => {
        const lt = frameLevels(looped(t.samples, 0), sr, 20);
        const lc = frameLevels(looped(c.samples, Math.round(offsetS * sr)), sr, 20);
        const loopFrames = len / (sr / 50);
        const s = createPacingSession({ now: () => 0 });
        let a = s.snapshot();
        let b = a;
        for (let f = 0; f < lt.length; f++) {
          s.pushLevels((f + 1) * 20, lt[f]!, lc[f]!);
          if (f === loopFrames + 100) a = s.snapshot();
          if (f === 3 * loopFrames + 100) b = s.snapshot();
        }
        expect(Math.abs((b.therapistTalkMs - a.therapistTalkMs) / 2000 - truth.therapistTalkSeconds)).toBeLessThan(0.6);
        expect(Math.abs((b.clientTalkMs - a.clientTalkMs) / 2000 - truth.clientTalkSeconds)).toBeLessThan(0.6);
      });
    }
  }
});
