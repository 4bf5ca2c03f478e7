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

/** Sub-blocks of a frame for speechLevel, and how many of the loudest are left out. */
const BLOCKS = 8;
const DROP = 2;
const blockPow = new Float64Array(BLOCKS);

/**
 * The level of a frame as speech would have it: RMS over its sub-blocks (8 of about 2.5 ms) leaving out the two
 * loudest. Speech is steady within a 20 ms frame, so this is its RMS within about 1 dB; a key click, a tap or a
 * crackle puts its energy into one or two sub-blocks and drops out. Same loop as rms(), no allocation.
 */
export function speechLevel(samples: Float32Array, start = 0, end = samples.length): number {
  const len = end - start;
  if (len < BLOCKS) return rms(samples, start, end);
  let total = 0;
  for (let b = 0; b < BLOCKS; b++) {
    const a = start + Math.floor((b * len) / BLOCKS);
    const z = start + Math.floor(((b + 1) * len) / BLOCKS);
    let sum = 0;
    for (let i = a; i < z; i++) {
      const x = samples[i]!;
      sum += x * x;
    }
    blockPow[b] = sum / (z - a);
    total += blockPow[b]!;
  }
  for (let k = 0; k < DROP; k++) {
    let m = 0;
    for (let b = 1; b < BLOCKS; b++) if (blockPow[b]! > blockPow[m]!) m = b;
    total -= blockPow[m]!;
    blockPow[m] = -1;
  }
  // total is a difference of sums: rounding can leave it a hair below zero when the frame is all click.
  return total > 0 ? Math.sqrt(total / (BLOCKS - DROP)) : 0;
}

/**
 * Level per frame of frameMs over a whole track: the offline equivalent of polling an analyser. By default the
 * speech level (speechLevel), as the browser's analysers compute it; plain RMS with `plain`.
 */
export function frameLevels(samples: Float32Array, sampleRate: number, frameMs = 20, plain = false): Float32Array {
  const n = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const frames = Math.floor(samples.length / n);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++)
    out[f] = plain ? rms(samples, f * n, (f + 1) * n) : speechLevel(samples, f * n, (f + 1) * n);
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
