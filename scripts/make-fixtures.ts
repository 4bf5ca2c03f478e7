// Synthesises two-party dialogues (espeak-ng + sox) with exact ground truth, in three conditions.
//   node scripts/make-fixtures.ts                  12 dialogues of ~90 s, 16 kHz -> test/fixtures/.generated/bench (git-ignored)
//   node scripts/make-fixtures.ts --committed      2 short dialogues, 8 kHz -> test/fixtures/dialogues (committed, < 2 MB)
//   options: --out DIR --count N --seconds S --rate HZ --seed N --snr LO,HI (dB, default 15,25) --leak LO,HI (dB, default -26,-22)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONDITIONS, type DialogueOptions, makeDialogue, type Role } from './lib-dialogue.ts';
import { writeWav16 } from './lib-wav.ts';

const root = resolve(import.meta.dirname, '..');
export const BENCH_DIR = join(root, 'test/fixtures/.generated/bench');
export const COMMITTED_DIR = join(root, 'test/fixtures/dialogues');
const CACHE_DIR = join(root, 'test/fixtures/.generated/utterances');

/** `count` dialogues into `out`, each made as makeDialogue makes one (seeds derived from `seed`). */
export function makeFixtures(
  o: Pick<DialogueOptions, 'seconds' | 'seed' | 'snrDb' | 'leakDb'> & { out: string; count: number; rate: number },
): string[] {
  const names: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const name = `dialogue-${String(i + 1).padStart(2, '0')}`;
    const seed = o.seed * 1000 + i + 1;
    const d = makeDialogue({
      name,
      seed,
      seconds: o.seconds,
      sampleRate: o.rate,
      cacheDir: CACHE_DIR,
      snrDb: o.snrDb,
      leakDb: o.leakDb,
    });
    const dir = join(o.out, name);
    mkdirSync(dir, { recursive: true });
    for (const c of CONDITIONS) {
      for (const r of ['therapist', 'client'] as Role[]) writeWav16(join(dir, `${c}-${r}.wav`), d.tracks[c][r], o.rate);
    }
    writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(d.truth, null, 1)}\n`);
    names.push(name);
  }
  return names;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      committed: { type: 'boolean', default: false },
      out: { type: 'string' },
      count: { type: 'string' },
      seconds: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      snr: { type: 'string' },
      leak: { type: 'string' },
    },
  });
  const range = (v: string | undefined): [number, number] | undefined => {
    if (v === undefined) return undefined;
    const [lo, hi] = v.split(',').map(Number);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`bad range ${v}: use LO,HI`);
    return [lo!, hi!];
  };
  const c = values.committed;
  const o = {
    out: resolve(values.out ?? (c ? COMMITTED_DIR : BENCH_DIR)),
    count: Number(values.count ?? (c ? 2 : 12)),
    seconds: Number(values.seconds ?? (c ? 10 : 90)),
    rate: Number(values.rate ?? (c ? 8000 : 16000)),
    seed: Number(values.seed ?? (c ? 7 : 1)),
    snrDb: range(values.snr),
    leakDb: range(values.leak),
  };
  const names = makeFixtures(o);
  console.log(`wrote ${names.length} dialogues to ${o.out}`);
}
