/**
 * Level helpers shared by the browser sources and the offline analyser, so both feed the engine the same
 * numbers: RMS of a block of samples (what an AnalyserNode's getFloatTimeDomainData gives per frame).
 */

/** RMS of samples[start, end) (linear, full scale = 1). */
export function rms(samples: Float32Array, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const x = samples[i]!;
    sum += x * x;
  }
  return end > start ? Math.sqrt(sum / (end - start)) : 0;
}

/** RMS level per frame of frameMs over a whole track: the offline equivalent of polling an analyser. */
export function frameLevels(samples: Float32Array, sampleRate: number, frameMs = 20): Float32Array {
  const n = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const frames = Math.floor(samples.length / n);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) out[f] = rms(samples, f * n, (f + 1) * n);
  return out;
}

/** dBFS to linear level. */
export function levelFromDb(db: number): number {
  return 10 ** (db / 20);
}

/**
 * RTCRtpSynchronizationSource.audioLevel is already linear (1 = 0 dBov, per RFC 6464 converted by the
 * browser), so it can be pushed as is; this only guards against undefined and out-of-range values.
 */
export function levelFromAudioLevel(audioLevel: number | undefined): number {
  return audioLevel === undefined || !(audioLevel > 0) ? 0 : audioLevel > 1 ? 1 : audioLevel;
}
