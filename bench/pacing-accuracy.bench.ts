// Accuracy of the pacing engine against exact ground truth, beside a neural reference (Silero VAD v5), on the
// same audio: >= 12 synthetic dialogues x 3 conditions (clean, room noise, noise + the other speaker leaking
// in at about -24 dB). Also the CPU ratio (process.cpuUsage per second of audio).
//   node bench/pacing-accuracy.bench.ts [--no-silero] [--dir DIR] [--vad JSON]
// Fixtures are generated into test/fixtures/.generated/bench when missing (scripts/make-fixtures.ts).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONDITIONS, type Condition, type Truth } from '../scripts/lib-dialogue.ts';
import { analyzeActivity, analyzeTracks, truthMetrics, type Metrics } from '../scripts/lib-analyze.ts';
import type { VadOptions } from '../pacing/vad.ts';
import { SILERO_FRAME, SILERO_RATE, sileroDecisions, sileroProbabilities } from '../scripts/lib-silero.ts';
import { readWav } from '../scripts/lib-wav.ts';
import { BENCH_DIR, makeFixtures } from '../scripts/make-fixtures.ts';

const { values } = parseArgs({
  options: {
    'no-silero': { type: 'boolean', default: false },
    dir: { type: 'string' },
    // Detector settings to try instead of the defaults, as JSON (as in pacing-realistic): the Attune rows use them.
    vad: { type: 'string' },
  },
});
const vad = values.vad ? (JSON.parse(values.vad) as Partial<VadOptions>) : undefined;
const dir = values.dir ?? BENCH_DIR;
const MIN_DIALOGUES = 12;
const listDialogues = () =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => existsSync(join(dir, n, 'truth.json')))
        .sort()
    : [];
if (listDialogues().length < MIN_DIALOGUES) {
  console.log(`generating ${MIN_DIALOGUES} dialogues into ${dir} ...`);
  makeFixtures({ out: dir, count: MIN_DIALOGUES, seconds: 90, rate: 16000, seed: 1 });
}
const names = listDialogues();

interface Errors {
  share: number[];
  talk: number[];
  overlap: number[];
  turn: number[];
  cpuMs: number;
  audioSeconds: number;
}
const empty = (): Errors => ({ share: [], talk: [], overlap: [], turn: [], cpuMs: 0, audioSeconds: 0 });
const engines = ['attune', 'silero'] as const;
type Engine = (typeof engines)[number];
const errs: Record<Engine, Record<Condition | 'all', Errors>> = {
  attune: { clean: empty(), noise: empty(), leak: empty(), all: empty() },
  silero: { clean: empty(), noise: empty(), leak: empty(), all: empty() },
};
const cpuMs = (f: () => void | Promise<void>) => {
  const c0 = process.cpuUsage();
  const r = f();
  const done = () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  return r instanceof Promise ? r.then(done) : Promise.resolve(done());
};

function record(engine: Engine, cond: Condition, m: Metrics, truth: Metrics, ms: number, audioSeconds: number): void {
  for (const e of [errs[engine][cond], errs[engine].all]) {
    e.share.push(Math.abs(m.therapistShare - truth.therapistShare) * 100);
    e.talk.push(
      Math.abs(m.therapistTalkSeconds - truth.therapistTalkSeconds),
      Math.abs(m.clientTalkSeconds - truth.clientTalkSeconds),
    );
    e.overlap.push(Math.abs(m.overlapSeconds - truth.overlapSeconds));
    e.turn.push(Math.abs(m.longestTherapistTurnSeconds - truth.longestTherapistTurnSeconds));
    e.cpuMs += ms;
    e.audioSeconds += audioSeconds;
  }
}

const useSilero = !values['no-silero'];
// Warm up both (JIT, WASM compile) outside the measurement.
{
  const w = readWav(join(dir, names[0]!, 'clean-therapist.wav'));
  analyzeTracks(w.samples, w.samples, w.sampleRate);
  if (useSilero) await sileroProbabilities(w.samples.subarray(0, SILERO_RATE));
}
for (const name of names) {
  const truth = JSON.parse(readFileSync(join(dir, name, 'truth.json'), 'utf8')) as Truth;
  const tm = truthMetrics(truth);
  for (const cond of CONDITIONS) {
    const t = readWav(join(dir, name, `${cond}-therapist.wav`));
    const c = readWav(join(dir, name, `${cond}-client.wav`));
    const seconds = (t.samples.length / t.sampleRate) * 2; // audio seconds processed: two participants
    let ours!: Metrics;
    const oursMs = await cpuMs(() => {
      ours = analyzeTracks(t.samples, c.samples, t.sampleRate, { vad });
    });
    record('attune', cond, ours, tm, oursMs, seconds);
    if (useSilero) {
      if (t.sampleRate !== SILERO_RATE) throw new Error('Silero needs 16 kHz fixtures');
      let pt!: Float32Array;
      let pc!: Float32Array;
      const sMs = await cpuMs(async () => {
        pt = await sileroProbabilities(t.samples);
        pc = await sileroProbabilities(c.samples);
      });
      const frameMs = (SILERO_FRAME / SILERO_RATE) * 1000;
      const sm = analyzeActivity(sileroDecisions(pt), sileroDecisions(pc), frameMs, 'activity');
      record('silero', cond, sm, tm, sMs, seconds);
    }
  }
  process.stdout.write('.');
}
process.stdout.write('\n');

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
const max = (a: number[]) => (a.length ? Math.max(...a) : 0);
const f2 = (x: number) => x.toFixed(2);
console.log(
  `${names.length} dialogues (${f2(errs.attune.all.audioSeconds / 2 / 3 / names.length)} s each on average) x 3 conditions; errors vs ground truth, mean / max`,
);
console.log('engine  condition  share (points)  talk s (per role)  overlap s     longest turn s  CPU ms per audio s');
const summary: Record<string, unknown> = { dialogues: names.length };
for (const engine of engines) {
  if (engine === 'silero' && !useSilero) continue;
  for (const cond of [...CONDITIONS, 'all'] as const) {
    const e = errs[engine][cond];
    const cpuPerSec = e.cpuMs / e.audioSeconds;
    console.log(
      `${engine.padEnd(7)} ${cond.padEnd(10)} ${`${f2(mean(e.share))} / ${f2(max(e.share))}`.padEnd(15)} ${`${f2(mean(e.talk))} / ${f2(max(e.talk))}`.padEnd(18)} ${`${f2(mean(e.overlap))} / ${f2(max(e.overlap))}`.padEnd(13)} ${`${f2(mean(e.turn))} / ${f2(max(e.turn))}`.padEnd(15)} ${cpuPerSec.toFixed(4)}`,
    );
    summary[`${engine}.${cond}`] = {
      shareMean: mean(e.share),
      shareMax: max(e.share),
      talkMean: mean(e.talk),
      talkMax: max(e.talk),
      overlapMean: mean(e.overlap),
      overlapMax: max(e.overlap),
      turnMean: mean(e.turn),
      turnMax: max(e.turn),
      cpuMsPerAudioSecond: cpuPerSec,
    };
  }
}
const a = errs.attune.all;
const goals = [
  `share error mean ${f2(mean(a.share))} <= 1 point: ${mean(a.share) <= 1 ? 'met' : 'NOT met'}`,
  `share error max ${f2(max(a.share))} <= 2 points: ${max(a.share) <= 2 ? 'met' : 'NOT met'}`,
];
if (useSilero) {
  const ratio = errs.silero.all.cpuMs / errs.silero.all.audioSeconds / (a.cpuMs / a.audioSeconds);
  summary.cpuRatio = ratio;
  goals.push(`CPU: Silero / attune = ${ratio.toFixed(0)}x (goal >= 100x): ${ratio >= 100 ? 'met' : 'NOT met'}`);
}
for (const g of goals) console.log(`goal: ${g}`);
mkdirSync(join(import.meta.dirname, '.out'), { recursive: true });
writeFileSync(join(import.meta.dirname, '.out/pacing-accuracy.json'), `${JSON.stringify(summary, null, 1)}\n`);
