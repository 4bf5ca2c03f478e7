/**
 * Speech-band features of one frame from its spectrum in dB, as `AnalyserNode.getFloatFrequencyData` gives it
 * (Blackman window, |X[k]| / fftSize, 20·log10, smoothingTimeConstant 0); offline, scripts/lib-analyser-spectrum.ts
 * computes the same spectrum in JS. Band edges are in Hz, so the figures hold at any sample rate and size.
 * Experimental: the realistic bench measures it (attune-speech-band) and it does worse there than the time-domain
 * level, so the widget does not use it (nothing imports it from the widget; the bundle is unchanged).
 */

/** The speech band (Hz): where voices put their energy and telephone audio keeps it. */
export const SPEECH_BAND_HZ: readonly [number, number] = [300, 3400];
/** The band the fraction is taken of (Hz): DC and mains rumble below, and nothing a call carries above. */
export const REFERENCE_BAND_HZ: readonly [number, number] = [40, 8000];

/** Mean square of the Blackman window (a0 0.42, a1 0.5, a2 0.08): the window's loss of power. */
const BLACKMAN_MEAN_SQUARE = 0.42 * 0.42 + (0.5 * 0.5) / 2 + (0.08 * 0.08) / 2;

/** Per-frame results of speechBand (reused; read them before the next call). */
export interface BandFeatures {
  /** Power in the speech band (linear, as RMS squared of the band's content, full scale 1). */
  bandPow: number;
  /** Power in the reference band (same units). */
  refPow: number;
  /** bandPow / refPow (0..1); 1 when the reference band is empty (nothing to say against speech). */
  fraction: number;
}

/**
 * Bin ranges for a spectrum of `bins` values (fftSize / 2) at sampleRate: [band start, band end, reference start,
 * reference end), each clamped to the spectrum. Computed once per analyser.
 */
export function bandBins(bins: number, sampleRate: number): Int32Array {
  const hz = sampleRate / (2 * bins);
  const bin = (f: number) => Math.max(1, Math.min(bins, Math.round(f / hz)));
  return Int32Array.of(
    bin(SPEECH_BAND_HZ[0]),
    bin(SPEECH_BAND_HZ[1]),
    bin(REFERENCE_BAND_HZ[0]),
    bin(REFERENCE_BAND_HZ[1]),
  );
}

/**
 * Speech-band and reference-band power of a dB spectrum (bins from bandBins). Power is scaled so that a
 * stationary signal gives its mean square: one-sided spectrum (x2), window power restored. O(reference bins).
 */
export function speechBand(spectrumDb: Float32Array, bins: Int32Array, out: BandFeatures): BandFeatures {
  const b0 = bins[0]!;
  const b1 = bins[1]!;
  const r0 = bins[2]!;
  const r1 = bins[3]!;
  let band = 0;
  let ref = 0;
  // 10^(dB/10) as exp(dB · ln10/10); -Infinity (an exact zero) gives 0.
  const k = Math.LN10 / 10;
  for (let i = r0; i < r1; i++) {
    const p = Math.exp(spectrumDb[i]! * k);
    ref += p;
    if (i >= b0 && i < b1) band += p;
  }
  const scale = 2 / BLACKMAN_MEAN_SQUARE;
  out.bandPow = band * scale;
  out.refPow = ref * scale;
  out.fraction = ref > 0 ? band / ref : 1;
  return out;
}

/**
 * The level the engine is given when a spectrum is known: the frame's click-free speech level (speechLevel) times
 * the square root of its speech-band fraction. Speech keeps most of its level; mains hum, a fan's rumble and other
 * energy outside the band lose theirs, while a click (removed by speechLevel) stays removed.
 */
export function bandLevel(speechLevelOfFrame: number, fraction: number): number {
  return speechLevelOfFrame * Math.sqrt(Math.min(1, Math.max(0, fraction)));
}
