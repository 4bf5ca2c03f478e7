import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav16 } from '../../scripts/lib-wav.ts';
import { frameLevels } from '../../pacing/levels.ts';

describe('WAV and frame levels', () => {
  it('round-trips 16-bit PCM and rejects what is not a WAV', () => {
    const x = new Float32Array(1000).map((_, i) => Math.sin(i / 10) * 0.5);
    const w = decodeWav(encodeWav16(x, 8000));
    expect(w.sampleRate).toBe(8000);
    expect(w.samples.length).toBe(1000);
    for (let i = 0; i < 1000; i += 97) expect(w.samples[i]).toBeCloseTo(x[i]!, 4);
    expect(() => decodeWav(new TextEncoder().encode('{"not":"a wav"}'))).toThrow(/RIFF/);
  });

  it('computes one RMS level per frame, like polling an analyser', () => {
    const sr = 16000;
    const x = new Float32Array(sr); // 1 s: silence, then a full-scale square wave from 0.5 s
    for (let i = sr / 2; i < sr; i++) x[i] = i % 2 ? 1 : -1;
    const l = frameLevels(x, sr, 20);
    expect(l.length).toBe(50);
    expect(l[0]).toBe(0);
    expect(l[24]).toBe(0);
    expect(l[25]).toBeCloseTo(1, 6);
  });
});
