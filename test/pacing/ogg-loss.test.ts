// Bursty packet loss in an Ogg Opus stream (scripts/lib-ogg-loss.ts), through the real libopus tools.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropOpusPackets, gilbertElliott, oggCrc } from '../../scripts/lib-ogg-loss.ts';
import { readWav, writeWav16 } from '../../scripts/lib-wav.ts';
import { rng } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ogg-loss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Gilbert-Elliott loss', () => {
  it('loses about the asked share of packets, in bursts of about the asked length', () => {
    const lose = gilbertElliott(rng(1), 0.08, 3);
    let lost = 0;
    let bursts = 0;
    let prev = false;
    for (let i = 0; i < 200_000; i++) {
      const l = lose();
      if (l) lost++;
      if (l && !prev) bursts++;
      prev = l;
    }
    expect(lost / 200_000).toBeGreaterThan(0.07);
    expect(lost / 200_000).toBeLessThan(0.09);
    expect(lost / bursts).toBeGreaterThan(2.7);
    expect(lost / bursts).toBeLessThan(3.3);
  });
});

describe('dropOpusPackets', () => {
  it('keeps a valid stream of the same length: lost frames are concealed, not removed', () => {
    const sr = 16000;
    const tone = Float32Array.from({ length: sr * 3 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / sr));
    writeWav16(join(dir, 'in.wav'), tone, sr);
    execFileSync('opusenc', ['--quiet', '--bitrate', '16', join(dir, 'in.wav'), join(dir, 'a.opus')]);
    const r = dropOpusPackets(new Uint8Array(readFileSync(join(dir, 'a.opus'))), gilbertElliott(rng(2), 0.2, 3));
    expect(r.packets).toBeGreaterThan(140);
    expect(r.lost / r.packets).toBeGreaterThan(0.1);
    // Every page's CRC checks out (the field zeroed, as the Ogg spec computes it).
    for (let off = 0; off < r.ogg.length; ) {
      const nSeg = r.ogg[off + 26]!;
      let body = 0;
      for (let i = 0; i < nSeg; i++) body += r.ogg[off + 27 + i]!;
      const page = r.ogg.slice(off, off + 27 + nSeg + body);
      const stored = new DataView(page.buffer).getUint32(22, true);
      page.fill(0, 22, 26);
      expect(oggCrc(page)).toBe(stored);
      off += page.length;
    }
    writeFileSync(join(dir, 'b.opus'), r.ogg);
    execFileSync('opusdec', ['--quiet', '--rate', String(sr), join(dir, 'a.opus'), join(dir, 'a.wav')]);
    execFileSync('opusdec', ['--quiet', '--rate', String(sr), join(dir, 'b.opus'), join(dir, 'b.wav')]);
    const a = readWav(join(dir, 'a.wav')).samples;
    const b = readWav(join(dir, 'b.wav')).samples;
    expect(b.length).toBe(a.length);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += (a[i]! - b[i]!) ** 2;
    expect(diff).toBeGreaterThan(0);
  });
});
