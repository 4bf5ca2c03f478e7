// The synthesiser's truth must match its audio exactly, and it must be deterministic (espeak-ng and sox required).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDialogue } from '../../scripts/lib-dialogue.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'attune-utt-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('make-fixtures dialogues', () => {
  const d = makeDialogue({ name: 't', seed: 42, seconds: 12, sampleRate: 8000, cacheDir });

  it('is deterministic for a seed', () => {
    const again = makeDialogue({ name: 't', seed: 42, seconds: 12, sampleRate: 8000, cacheDir });
    expect(again.truth).toEqual(d.truth);
    expect(Buffer.from(again.tracks.leak.therapist.buffer).equals(Buffer.from(d.tracks.leak.therapist.buffer))).toBe(
      true,
    );
  });

  it('has speech exactly inside the truth spans of the clean tracks and none outside', () => {
    const sr = d.truth.sampleRate;
    for (const role of ['therapist', 'client'] as const) {
      const x = d.tracks.clean[role];
      const spans = d.truth.spans[role];
      expect(spans.length).toBeGreaterThan(0);
      const inside = new Uint8Array(x.length);
      for (const [s, e] of spans) {
        inside.fill(1, Math.round(s * sr), Math.round(e * sr));
        // The first and last samples of a span are audible: the truth starts and ends with the speech.
        const peak = Math.max(...Array.from(x.subarray(Math.round(s * sr), Math.round(e * sr)), Math.abs));
        expect(Math.abs(x[Math.round(s * sr)]!)).toBeGreaterThan(peak * 0.005);
        expect(Math.abs(x[Math.round(e * sr) - 1]!)).toBeGreaterThan(peak * 0.005);
      }
      for (let i = 0; i < x.length; i++) if (!inside[i]) expect(x[i]).toBe(0);
    }
  });

  it('puts noise at the stated SNR and the other speaker in the leak condition only', () => {
    const diff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0);
    const noiseOnly = diff(d.tracks.noise.therapist, d.tracks.clean.therapist);
    const withLeak = diff(d.tracks.leak.therapist, d.tracks.clean.therapist);
    expect(noiseOnly).toBeGreaterThan(0);
    expect(withLeak).toBeGreaterThan(noiseOnly);
    expect(d.truth.conditions.leak.leakDb).toBeGreaterThanOrEqual(-26);
    expect(d.truth.conditions.leak.leakDb).toBeLessThanOrEqual(-22);
  });
});
