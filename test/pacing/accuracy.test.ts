// Accuracy on the committed fixtures (scripts/make-fixtures.ts --committed): espeak-ng dialogues with exact truth.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Truth } from '../../scripts/lib-dialogue.ts';
import { analyzeTracks, truthMetrics } from '../../scripts/lib-analyze.ts';
import { readWav } from '../../scripts/lib-wav.ts';

const dir = join(import.meta.dirname, '../fixtures/dialogues');
const names = readdirSync(dir)
  .filter((n) => n.startsWith('dialogue-'))
  .sort();

describe('accuracy on committed fixtures', () => {
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(2);
  });
  for (const name of names) {
    const truth = JSON.parse(readFileSync(join(dir, name, 'truth.json'), 'utf8')) as Truth;
    const expected = truthMetrics(truth);
    for (const condition of ['clean', 'noise', 'leak']) {
      it(`${name} ${condition}: therapist share within 3 points of the truth`, () => {
        const t = readWav(join(dir, name, `${condition}-therapist.wav`));
        const c = readWav(join(dir, name, `${condition}-client.wav`));
        const m = analyzeTracks(t.samples, c.samples, t.sampleRate);
        expect(expected.therapistTalkSeconds).toBeGreaterThan(1);
        expect(expected.clientTalkSeconds).toBeGreaterThan(1);
        expect(Math.abs(m.therapistShare - expected.therapistShare) * 100).toBeLessThanOrEqual(3);
        expect(Math.abs(m.therapistTalkSeconds - expected.therapistTalkSeconds)).toBeLessThan(0.5);
        expect(Math.abs(m.clientTalkSeconds - expected.clientTalkSeconds)).toBeLessThan(0.5);
      });
    }
  }
});

describe('accuracy does not hinge on the polling period', () => {
  const name = names[0]!;
  const truth = JSON.parse(readFileSync(join(dir, name, 'truth.json'), 'utf8')) as Truth;
  const expected = truthMetrics(truth);
  for (const frameMs of [10, 50]) {
    it(`${name} leak with ${frameMs} ms frames: share within 3 points`, () => {
      const t = readWav(join(dir, name, 'leak-therapist.wav'));
      const c = readWav(join(dir, name, 'leak-client.wav'));
      const m = analyzeTracks(t.samples, c.samples, t.sampleRate, { frameMs });
      expect(Math.abs(m.therapistShare - expected.therapistShare) * 100).toBeLessThanOrEqual(3);
    });
  }
});
