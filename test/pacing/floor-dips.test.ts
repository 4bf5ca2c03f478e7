// Isolated near-silent frames (a capture device wrapping its file, a device switch, a packet-loss fade, an
// unmute) must not pull the noise floor down and turn the room's noise into speech.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Truth } from '../../scripts/lib-dialogue.ts';
import { analyzeTracks, truthMetrics } from '../../scripts/lib-analyze.ts';
import { readWav } from '../../scripts/lib-wav.ts';

const dir = join(import.meta.dirname, '../fixtures/dialogues');
const LOOPS = 3;

const loop = (x: Float32Array, n: number) => {
  const out = new Float32Array(x.length * n);
  for (let i = 0; i < n; i++) out.set(x, i * x.length);
  return out;
};

/** Replaces lenMs of audio every everyS seconds (from firstS) by a tone at db dBFS RMS: a near-silent dip. */
function withDips(x: Float32Array, sr: number, firstS: number, everyS: number, lenMs: number, db: number): Float32Array {
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
    for (const [lenMs, offsetS, db] of [[20, 0, -55], [20, 0.01, -55], [40, 0, -55], [20, 0, -65]] as const) {
      it(`${name} noise, ${lenMs} ms at ${db} dBFS every 3 s: share and talk as without the dips`, () => {
        const m = analyzeTracks(withDips(T, sr, 1.5 + offsetS, 3, lenMs, db), withDips(C, sr, 2.2 + offsetS, 3, lenMs, db), sr);
        expect(Math.abs(m.therapistShare - truth.therapistShare) * 100).toBeLessThanOrEqual(3);
        expect(Math.abs(m.therapistTalkSeconds - clean.therapistTalkSeconds)).toBeLessThan(0.3);
        expect(Math.abs(m.clientTalkSeconds - clean.clientTalkSeconds)).toBeLessThan(0.3);
        expect(Math.abs(m.therapistTalkSeconds - LOOPS * truth.therapistTalkSeconds)).toBeLessThan(LOOPS * 0.5);
        expect(Math.abs(m.clientTalkSeconds - LOOPS * truth.clientTalkSeconds)).toBeLessThan(LOOPS * 0.5);
      });
    }
  }
});
