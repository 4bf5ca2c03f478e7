// Speech-band features from an AnalyserNode-style spectrum (pacing/spectrum.ts) and the offline spectrum that
// stands in for getFloatFrequencyData (scripts/lib-analyser-spectrum.ts).
import { describe, expect, it } from 'vitest';
import { speechLevel } from '../../pacing/levels.ts';
import { type BandFeatures, bandBins, bandLevel, speechBand } from '../../pacing/spectrum.ts';
import { AnalyserSpectrum, analyserSize, frameBandLevels } from '../../scripts/lib-analyser-spectrum.ts';
import { rng } from './helpers.ts';

const SR = 16000;
const db = (x: number) => 10 * Math.log10(x);
const features = (): BandFeatures => ({ bandPow: 0, refPow: 0, fraction: 0 });

/** The Web Audio spec's definition, term by term: Blackman window, DFT, |X[k]| / N, 20·log10. */
function referenceDb(x: Float32Array): Float64Array {
  const n = x.length;
  const w = (i: number) => 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / n) + 0.08 * Math.cos((4 * Math.PI * i) / n);
  const out = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]! * w(i);
      re += v * Math.cos((2 * Math.PI * k * i) / n);
      im -= v * Math.sin((2 * Math.PI * k * i) / n);
    }
    out[k] = 20 * Math.log10(Math.hypot(re, im) / n);
  }
  return out;
}

function spectrumOf(x: Float32Array, size = 512): Float32Array {
  return new AnalyserSpectrum(size).compute(x, x.length, new Float32Array(size / 2));
}

const tone = (hz: number, amp: number, n: number) =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / SR + 0.3));
const white = (n: number, seed = 1) => {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
};

describe('AnalyserSpectrum (getFloatFrequencyData offline)', () => {
  it('equals the spec formula on a known signal, bin by bin', () => {
    const x = white(256, 3);
    const t = tone(1234, 0.3, 256);
    for (let i = 0; i < 256; i++) x[i] = 0.1 * x[i]! + t[i]!;
    const got = spectrumOf(x, 256);
    const want = referenceDb(x);
    for (let k = 0; k < 128; k++) expect(got[k]).toBeCloseTo(want[k]!, 3);
  });

  it('puts a tone at its bin with the window coherent gain (0.42 of half the amplitude)', () => {
    const size = 512;
    const hz = (40 * SR) / size; // bin 40 exactly
    const s = spectrumOf(tone(hz, 0.5, size), size);
    let peak = 0;
    for (let k = 1; k < size / 2; k++) if (s[k]! > s[peak]!) peak = k;
    expect(peak).toBe(40);
    expect(s[40]).toBeCloseTo(20 * Math.log10((0.5 / 2) * 0.42), 3);
  });

  it('reads the newest fftSize samples before `end`, zeros before the track', () => {
    const x = tone(1000, 0.5, 2000);
    const a = new AnalyserSpectrum(512).compute(x, 1500, new Float32Array(256));
    const b = spectrumOf(x.subarray(988, 1500));
    expect(Array.from(a)).toEqual(Array.from(b));
    const early = new AnalyserSpectrum(512).compute(x, 100, new Float32Array(256));
    const padded = new Float32Array(512);
    padded.set(x.subarray(0, 100), 412);
    expect(Array.from(early)).toEqual(Array.from(spectrumOf(padded)));
  });

  it('sizes the analyser as the widget does: the next power of two of a frame', () => {
    expect(analyserSize(320)).toBe(512);
    expect(analyserSize(960)).toBe(1024);
    expect(analyserSize(882)).toBe(1024);
    expect(analyserSize(8)).toBe(32);
  });
});

describe('speechBand', () => {
  const bins = bandBins(256, SR);

  it('gives a tone in the band its mean square, and all of the fraction', () => {
    const f = speechBand(spectrumOf(tone(1000, 0.2, 512)), bins, features());
    expect(Math.abs(db(f.bandPow) - db(0.02))).toBeLessThan(0.5);
    expect(f.fraction).toBeGreaterThan(0.99);
  });

  it('gives mains hum almost none of the fraction', () => {
    const f = speechBand(spectrumOf(tone(50, 0.2, 512)), bins, features());
    expect(f.fraction).toBeLessThan(0.01);
  });

  it('gives white noise the band share of its bandwidth and its power within 1 dB', () => {
    const x = white(SR);
    const s = new AnalyserSpectrum(512);
    const spec = new Float32Array(256);
    let frac = 0;
    let ref = 0;
    const frames = 30;
    for (let i = 1; i <= frames; i++) {
      const f = speechBand(s.compute(x, i * 512, spec), bins, features());
      frac += f.fraction / frames;
      ref += f.refPow / frames;
    }
    expect(frac).toBeGreaterThan(0.36);
    expect(frac).toBeLessThan(0.42); // (3400 - 300) / (8000 - 40) = 0.39
    expect(Math.abs(db(ref) - db((1 / 3) * ((8000 - 40) / 8000)))).toBeLessThan(1); // uniform: mean square 1/3
  });

  it('band bins follow the sample rate: 300-3400 Hz at 48 kHz with 1024 points', () => {
    expect(Array.from(bandBins(512, 48000))).toEqual([6, 73, 1, 171]);
    expect(Array.from(bins)).toEqual([10, 109, 1, 256]);
  });
});

describe('frameBandLevels (what the engine is given offline)', () => {
  it('keeps a voice-band tone within 1 dB of its speech level and drops hum by more than 15 dB', () => {
    const n = SR;
    const voice = frameBandLevels(tone(700, 0.1, n), SR, 20);
    const hum = frameBandLevels(tone(60, 0.1, n), SR, 20);
    const plain = speechLevel(tone(700, 0.1, 320));
    expect(Math.abs(20 * Math.log10(voice[30]! / plain))).toBeLessThan(1);
    expect(20 * Math.log10(hum[30]! / plain)).toBeLessThan(-15);
  });

  it('bandLevel scales the speech level by the square root of the fraction, clamped to 0..1', () => {
    expect(bandLevel(0.2, 0.25)).toBeCloseTo(0.1, 12);
    expect(bandLevel(0.2, 1.5)).toBe(0.2);
    expect(bandLevel(0.2, -1)).toBe(0);
  });
});
