// Node-only WAV helpers for the fixtures, the analyser and the benches: 16-bit (or 8-bit/float) PCM in, Float32 out.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Wav {
  sampleRate: number;
  /** Mono samples, full scale = 1 (the first channel of a multichannel file). */
  samples: Float32Array;
}

export function decodeWav(buf: Uint8Array): Wav {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (o: number) => String.fromCharCode(buf[o]!, buf[o + 1]!, buf[o + 2]!, buf[o + 3]!);
  if (buf.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let off = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | null = null;
  while (off + 8 <= buf.byteLength) {
    const id = tag(off);
    let size = dv.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      fmt = {
        format: dv.getUint16(body, true),
        channels: dv.getUint16(body + 2, true),
        sampleRate: dv.getUint32(body + 4, true),
        bits: dv.getUint16(body + 14, true),
      };
      if (fmt.format === 0xfffe && size >= 26) fmt.format = dv.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data before fmt chunk');
      if (size === 0xffffffff || body + size > buf.byteLength) size = buf.byteLength - body; // streamed WAV (sox/espeak --stdout)
      const { format, channels, sampleRate, bits } = fmt;
      const bps = bits / 8;
      const n = Math.floor(size / (bps * channels));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const p = body + i * bps * channels;
        if (format === 3 && bits === 32) out[i] = dv.getFloat32(p, true);
        else if (format === 1 && bits === 16) out[i] = dv.getInt16(p, true) / 32768;
        else if (format === 1 && bits === 8) out[i] = (buf[p]! - 128) / 128;
        else if (format === 1 && bits === 24)
          out[i] = ((buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16)) << 8) / 2147483648;
        else if (format === 1 && bits === 32) out[i] = dv.getInt32(p, true) / 2147483648;
        else throw new Error(`unsupported WAV encoding (format ${format}, ${bits} bits)`);
      }
      return { sampleRate, samples: out };
    }
    off = body + size + (size & 1);
  }
  throw new Error('WAV has no data chunk');
}

export function readWav(path: string): Wav {
  return decodeWav(readFileSync(path));
}

/** 16-bit PCM mono WAV; samples are clipped to [-1, 1]. */
export function encodeWav16(samples: Float32Array, sampleRate: number): Uint8Array {
  const buf = new Uint8Array(44 + samples.length * 2);
  const dv = new DataView(buf.buffer);
  const put = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) buf[o + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  dv.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true);
  dv.setUint16(22, 1, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * 2, true);
  dv.setUint16(32, 2, true);
  dv.setUint16(34, 16, true);
  put(36, 'data');
  dv.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const x = Math.max(-1, Math.min(1, samples[i]!));
    dv.setInt16(44 + i * 2, Math.round(x * 32767), true);
  }
  return buf;
}

export function writeWav16(path: string, samples: Float32Array, sampleRate: number): void {
  writeFileSync(path, encodeWav16(samples, sampleRate));
}
