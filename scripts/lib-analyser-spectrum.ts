// The spectrum an AnalyserNode gives (getFloatFrequencyData with smoothingTimeConstant 0), computed in JS for the
// offline analyser: the newest fftSize samples, Blackman window (alpha 0.16), FFT, |X[k]| / fftSize, 20·log10.
// Fed to pacing/spectrum.ts for the experimental speech-band level, measured by the realistic bench
// (attune-speech-band). Not shipped: on that set it is worse than the time-domain level (BENCHMARKS.md), so the
// widget does not read getFloatFrequencyData.
import { speechLevel } from '../pacing/levels.ts';
import { type BandFeatures, bandBins, bandLevel, speechBand } from '../pacing/spectrum.ts';

/** The analyser size the widget uses for a frame of frameSamples: the next power of two (at least 32). */
export function analyserSize(frameSamples: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(32, frameSamples)));
}

export class AnalyserSpectrum {
  readonly fftSize: number;
  private readonly window: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(fftSize: number) {
    if (fftSize < 32 || (fftSize & (fftSize - 1)) !== 0) throw new Error('fftSize must be a power of two >= 32');
    const n = fftSize;
    this.fftSize = n;
    // The Web Audio spec's Blackman window: w[i] = a0 - a1 cos(2πi/N) + a2 cos(4πi/N), N = fftSize.
    this.window = Float64Array.from(
      { length: n },
      (_, i) => 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / n) + 0.08 * Math.cos((4 * Math.PI * i) / n),
    );
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    this.cos = Float64Array.from({ length: n / 2 }, (_, i) => Math.cos((2 * Math.PI * i) / n));
    this.sin = Float64Array.from({ length: n / 2 }, (_, i) => -Math.sin((2 * Math.PI * i) / n));
    const bits = Math.log2(n);
    this.rev = Uint32Array.from({ length: n }, (_, i) => {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      return r;
    });
  }

  /** dB spectrum (fftSize / 2 bins) of the fftSize samples ending at `end` (zeros before the start) into out. */
  compute(samples: Float32Array, end: number, out: Float32Array): Float32Array {
    const n = this.fftSize;
    const { re, im, rev, window: w } = this;
    for (let i = 0; i < n; i++) {
      const s = end - n + i;
      re[rev[i]!] = s >= 0 && s < samples.length ? samples[s]! * w[i]! : 0;
      im[rev[i]!] = 0;
    }
    for (let size = 2; size <= n; size *= 2) {
      const half = size / 2;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let j = 0; j < half; j++) {
          const c = this.cos[j * step]!;
          const s = this.sin[j * step]!;
          const a = start + j;
          const b = a + half;
          const tr = re[b]! * c - im[b]! * s;
          const ti = re[b]! * s + im[b]! * c;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
    for (let k = 0; k < n / 2; k++) out[k] = 20 * Math.log10(Math.hypot(re[k]!, im[k]!) / n);
    return out;
  }
}

/**
 * Per frameMs frame of a whole track, what the widget's analysers give the engine: the click-free speech level times
 * the square root of the frame's speech-band fraction (pacing/spectrum.ts), the spectrum over the newest fftSize
 * samples at the frame's end, as the browser's analyser holds them when the level is polled.
 */
export function frameBandLevels(samples: Float32Array, sampleRate: number, frameMs = 20): Float32Array {
  const n = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const size = analyserSize(n);
  const fft = new AnalyserSpectrum(size);
  const spectrum = new Float32Array(size / 2);
  const bins = bandBins(size / 2, sampleRate);
  const f: BandFeatures = { bandPow: 0, refPow: 0, fraction: 1 };
  const frames = Math.floor(samples.length / n);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    fft.compute(samples, (i + 1) * n, spectrum);
    speechBand(spectrum, bins, f);
    out[i] = bandLevel(speechLevel(samples, i * n, (i + 1) * n), f.fraction);
  }
  return out;
}
