// Accuracy on longer dialogues than the committed 10 s fixtures: synthesised at test time with espeak-ng and sox
// (installed by scripts/setup.sh) into a temporary directory, deterministic seeds, all three conditions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONDITIONS, makeDialogue, type Dialogue } from '../../scripts/lib-dialogue.ts';
import { analyzeTracks, truthMetrics, type Metrics } from '../../scripts/lib-analyze.ts';

const SECONDS = 75;
const RATE = 8000;
const SEEDS = [4242, 5353];

let dir = '';
const dialogues = new Map<number, { d: Dialogue; truth: Metrics }>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-long-'));
  for (const seed of SEEDS) {
    const d = makeDialogue({ name: `long-${seed}`, seed, seconds: SECONDS, sampleRate: RATE, cacheDir: dir });
    dialogues.set(seed, { d, truth: truthMetrics(d.truth) });
  }
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Sets 20 ms to a -55 dBFS tone every everyS seconds (a device wrapping its file, a packet-loss fade). */
function withDips(x: Float32Array, firstS: number, everyS: number): Float32Array {
  const y = new Float32Array(x);
  const a = 10 ** (-55 / 20) * Math.SQRT2;
  for (let t = firstS; t < x.length / RATE; t += everyS) {
    const s = Math.round(t * RATE);
    for (let i = 0; i < RATE / 50 && s + i < y.length; i++) y[s + i] = a * Math.sin(i * 0.7);
  }
  return y;
}

describe(`accuracy on ${SECONDS} s dialogues synthesised at test time`, () => {
  for (const seed of SEEDS) {
    for (const condition of CONDITIONS) {
      it(`seed ${seed} ${condition}: share within 3 points, talk within 2 s per role`, () => {
        const { d, truth } = dialogues.get(seed)!;
        expect(d.truth.durationSeconds).toBeGreaterThanOrEqual(SECONDS);
        expect(truth.therapistTalkSeconds).toBeGreaterThan(10);
        expect(truth.clientTalkSeconds).toBeGreaterThan(10);
        const m = analyzeTracks(d.tracks[condition].therapist, d.tracks[condition].client, RATE);
        expect(Math.abs(m.therapistShare - truth.therapistShare) * 100).toBeLessThanOrEqual(3);
        expect(Math.abs(m.therapistTalkSeconds - truth.therapistTalkSeconds)).toBeLessThan(2);
        expect(Math.abs(m.clientTalkSeconds - truth.clientTalkSeconds)).toBeLessThan(2);
      });
    }
    it(`seed ${seed} noise with a near-silent frame every 10 s on each track: share within 3 points`, () => {
      const { d, truth } = dialogues.get(seed)!;
      const m = analyzeTracks(
        withDips(d.tracks.noise.therapist, 4, 10),
        withDips(d.tracks.noise.client, 7.3, 10),
        RATE,
      );
      expect(Math.abs(m.therapistShare - truth.therapistShare) * 100).toBeLessThanOrEqual(3);
      expect(Math.abs(m.therapistTalkSeconds - truth.therapistTalkSeconds)).toBeLessThan(2);
      expect(Math.abs(m.clientTalkSeconds - truth.clientTalkSeconds)).toBeLessThan(2);
    });
  }
});
