// Builds the realistic development set for pacing: two-party dialogues of 2-5 minutes that sound like a
// telehealth call, with exact truth (the dry speech spans of each party). Speech, noise and codec details and
// the licences of the recorded voices are in scripts/lib-realistic.ts.
//   node scripts/make-realistic-set.ts                 45 dialogues (5 per condition) -> test/fixtures/.generated/realistic
//   node scripts/make-realistic-set.ts --committed     3 dialogues of 40 s at 8 kHz -> test/fixtures/realistic (committed)
//   options: --out DIR --per-condition N --jobs N (default 2) --seed N --force --only SUBSTRING (of the names)
// Each dialogue is a folder: therapist.wav, client.wav (16-bit mono), truth.json. Existing folders are kept
// unless --force. Needs sox, espeak-ng, opus-tools and the asterisk-core-sounds-{en,fr,es}-wav packages.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeRealisticDialogue, RATE, REALISTIC_CONDITIONS, type RealisticCondition } from './lib-realistic.ts';
import { writeWav16 } from './lib-wav.ts';

const root = resolve(import.meta.dirname, '..');
export const REALISTIC_DIR = join(root, 'test/fixtures/.generated/realistic');
export const REALISTIC_COMMITTED_DIR = join(root, 'test/fixtures/realistic');
const CACHE_DIR = join(root, 'test/fixtures/.generated/voices');

/** The committed fixtures: the conditions the CI test covers, 40 s each (every one also has the Opus baseline). */
const COMMITTED: RealisticCondition[] = ['typing', 'quiet-party', 'echo-agc-creep', 'reverb-fan-hum', 'interruptions'];

export interface PlanItem {
  name: string;
  seed: number;
  condition: RealisticCondition;
  seconds: number;
}

/** Dialogue i of the full set: conditions round-robin, 120-300 s, seeds from the set's seed. */
export function plan(perCondition: number, seed: number): PlanItem[] {
  const out: PlanItem[] = [];
  for (let k = 0; k < perCondition; k++) {
    for (const condition of REALISTIC_CONDITIONS) {
      const i = out.length;
      const s = seed * 1000 + i + 1;
      // Lengths spread evenly over 2-5 minutes (whole seconds), varied by the index, not by chance.
      const seconds = 120 + ((i * 37) % 181);
      out.push({ name: `${String(i + 1).padStart(2, '0')}-${condition}`, seed: s, condition, seconds });
    }
  }
  return out;
}

function build(item: PlanItem, out: string, rate: number): void {
  const tmpDir = join(out, `.tmp-${process.pid}`);
  const d = makeRealisticDialogue({ ...item, cacheDir: CACHE_DIR, tmpDir });
  const dir = join(out, item.name);
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const role of ['therapist', 'client'] as const) {
    const p = join(staging, `${role}.wav`);
    writeWav16(p, d.tracks[role], RATE);
    if (rate !== RATE) {
      execFileSync('sox', [p, '-r', String(rate), `${p}.tmp.wav`]);
      renameSync(`${p}.tmp.wav`, p);
    }
  }
  writeFileSync(join(staging, 'truth.json'), `${JSON.stringify({ ...d.truth, sampleRate: rate }, null, 1)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  rmSync(tmpDir, { recursive: true, force: true });
}

export function pending(items: PlanItem[], out: string, force: boolean): PlanItem[] {
  return items.filter((it) => force || !existsSync(join(out, it.name, 'truth.json')));
}

/** Generates the items into out with `jobs` worker processes (each takes every jobs-th item). */
export async function generate(items: PlanItem[], out: string, jobs: number, rate = RATE): Promise<void> {
  mkdirSync(out, { recursive: true });
  if (jobs <= 1 || items.length <= 1) {
    for (const it of items) {
      build(it, out, rate);
      process.stdout.write(`${it.name} `);
    }
    return;
  }
  const spec = join(out, `.plan-${process.pid}.json`);
  writeFileSync(spec, JSON.stringify({ items, out, rate }));
  const runs = Array.from(
    { length: jobs },
    (_, k) =>
      new Promise<void>((ok, fail) => {
        const p = spawn(process.execPath, [import.meta.filename, '--worker', spec, '--shard', `${k}/${jobs}`], {
          stdio: 'inherit',
        });
        p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`worker ${k} exited with ${code}`))));
      }),
  );
  try {
    await Promise.all(runs);
  } finally {
    rmSync(spec, { force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      committed: { type: 'boolean', default: false },
      out: { type: 'string' },
      'per-condition': { type: 'string' },
      jobs: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      only: { type: 'string' },
      worker: { type: 'string' },
      shard: { type: 'string' },
    },
  });
  if (values.worker) {
    const { readFileSync } = await import('node:fs');
    const spec = JSON.parse(readFileSync(values.worker, 'utf8')) as { items: PlanItem[]; out: string; rate: number };
    const [k, n] = (values.shard ?? '0/1').split('/').map(Number) as [number, number];
    for (let i = k; i < spec.items.length; i += n) {
      build(spec.items[i]!, spec.out, spec.rate);
      process.stdout.write(`${spec.items[i]!.name} `);
    }
    process.exit(0);
  }
  const t0 = Date.now();
  if (values.committed) {
    const out = resolve(values.out ?? REALISTIC_COMMITTED_DIR);
    const items = COMMITTED.map((condition, i) => ({
      name: `${String(i + 1).padStart(2, '0')}-${condition}`,
      seed: 9000 + i,
      condition,
      seconds: 40,
    }));
    await generate(pending(items, out, values.force), out, 1, 8000);
    console.log(`\nwrote ${items.length} committed dialogues to ${out}`);
  } else {
    const out = resolve(values.out ?? REALISTIC_DIR);
    const items = plan(Number(values['per-condition'] ?? 5), Number(values.seed ?? 1)).filter(
      (it) => !values.only || it.name.includes(values.only),
    );
    const todo = pending(items, out, values.force);
    await generate(todo, out, Number(values.jobs ?? 2));
    console.log(
      `\n${items.length} dialogues in ${out} (${todo.length} generated in ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
}
