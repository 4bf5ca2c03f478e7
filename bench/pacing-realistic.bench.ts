// Accuracy on the realistic set (scripts/make-realistic-set.ts: recorded and synthetic speech, Opus with loss,
// reverb, noise, echo, AGC creep, loudness mismatch, backchannels, monologues, interruptions), per condition, for
// Attune (level path from the WAV frames), Attune on RTP-style audio levels (levels-only path), Attune as the
// widget runs on a WebRTC call (therapist from the analyser, client from packet levels), Attune on the
// experimental speech-band level (AnalyserNode spectrum, not shipped), Silero VAD v5 and a naive energy VAD.
// Errors against exact truth.
//   node bench/pacing-realistic.bench.ts [--no-silero] [--dir DIR] [--only SUBSTRING]
// The set is generated into test/fixtures/.generated/realistic when missing; Silero's per-frame probabilities are
// cached beside each dialogue (silero-*.f32) so reruns only pay for Attune.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  analyzeActivity,
  analyzeLevelFrames,
  analyzeTracks,
  type Metrics,
  truthMetrics,
} from '../scripts/lib-analyze.ts';
import { frameLevels } from '../pacing/levels.ts';
import type { VadOptions } from '../pacing/vad.ts';
import { REALISTIC_CONDITIONS, type RealisticTruth } from '../scripts/lib-realistic.ts';
import {
  energyVadMetrics,
  livekitSpeakingFlags,
  rtpLevels,
  type Score,
  score,
  summarise,
} from '../scripts/lib-score.ts';
import { SILERO_FRAME, SILERO_RATE, sileroDecisions, sileroProbabilities } from '../scripts/lib-silero.ts';
import { readWav } from '../scripts/lib-wav.ts';
import { generate, pending, plan, REALISTIC_DIR } from '../scripts/make-realistic-set.ts';

const { values } = parseArgs({
  options: {
    'no-silero': { type: 'boolean', default: false },
    dir: { type: 'string' },
    only: { type: 'string' },
    // Detector settings to try instead of the defaults, as JSON (e.g. '{"tailDb":22}'): the Attune rows use them.
    vad: { type: 'string' },
  },
});
const vad = values.vad ? (JSON.parse(values.vad) as Partial<VadOptions>) : undefined;
const dir = values.dir ?? REALISTIC_DIR;
if (!values.dir) {
  const todo = pending(plan(5, 1), dir, false);
  if (todo.length) {
    const t0 = Date.now();
    console.log(`generating ${todo.length} dialogues into ${dir} (2 jobs) ...`);
    await generate(todo, dir, 2);
    console.log(`\ngenerated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}
const names = readdirSync(dir)
  .filter((n) => existsSync(join(dir, n, 'truth.json')) && (!values.only || n.includes(values.only)))
  .sort();

const engines = [
  'attune',
  'attune-rtp-levels',
  'attune-webrtc',
  'attune-livekit-flags',
  'attune-speech-band',
  'silero',
  'energy',
] as const;
type Engine = (typeof engines)[number];
const useSilero = !values['no-silero'];
const scores = new Map<string, Score[]>();
const cpu: Record<Engine, { ms: number; audioS: number }> = {
  attune: { ms: 0, audioS: 0 },
  'attune-rtp-levels': { ms: 0, audioS: 0 },
  'attune-webrtc': { ms: 0, audioS: 0 },
  'attune-livekit-flags': { ms: 0, audioS: 0 },
  'attune-speech-band': { ms: 0, audioS: 0 },
  silero: { ms: 0, audioS: 0 },
  energy: { ms: 0, audioS: 0 },
};
const add = (engine: Engine, cond: string, s: Score) => {
  for (const k of [`${engine}|${cond}`, `${engine}|all`]) scores.set(k, [...(scores.get(k) ?? []), s]);
};
const timed = async <T>(engine: Engine, audioS: number, f: () => T | Promise<T>): Promise<T> => {
  const c0 = process.cpuUsage();
  const r = await f();
  const c = process.cpuUsage(c0);
  cpu[engine].ms += (c.user + c.system) / 1000;
  cpu[engine].audioS += audioS;
  return r;
};

async function sileroCached(path: string, samples: Float32Array): Promise<Float32Array> {
  if (existsSync(path)) return new Float32Array(new Uint8Array(readFileSync(path)).buffer);
  const p = await sileroProbabilities(samples);
  writeFileSync(path, new Uint8Array(p.buffer));
  return p;
}

const perDialogue: Record<string, Record<string, Score>> = {};
/** Attune's signed talk error (% of the party's talk) per voice and role: where the per-party spread comes from. */
const talkByVoice = new Map<string, number[]>();
const signedPct = (a: number, b: number) => ((a - b) / Math.max(1e-9, b)) * 100;
for (const name of names) {
  const truth = JSON.parse(readFileSync(join(dir, name, 'truth.json'), 'utf8')) as RealisticTruth;
  const tm = truthMetrics(truth);
  const t = readWav(join(dir, name, 'therapist.wav'));
  const c = readWav(join(dir, name, 'client.wav'));
  const audioS = (t.samples.length / t.sampleRate) * 2;
  const row: Record<string, Score> = {};
  const put = (e: Engine, m: Metrics) => {
    const s = score(m, tm);
    add(e, truth.condition, s);
    row[e] = s;
  };
  const attune = await timed('attune', audioS, () => analyzeTracks(t.samples, c.samples, t.sampleRate, { vad }));
  put('attune', attune);
  for (const [voice, err] of [
    [`${truth.params.therapistVoice} (therapist)`, signedPct(attune.therapistTalkSeconds, tm.therapistTalkSeconds)],
    [`${truth.params.clientVoice} (client)`, signedPct(attune.clientTalkSeconds, tm.clientTalkSeconds)],
  ] as const)
    talkByVoice.set(voice, [...(talkByVoice.get(voice) ?? []), err]);
  put(
    'attune-rtp-levels',
    await timed('attune-rtp-levels', audioS, () =>
      analyzeLevelFrames(rtpLevels(t.samples, t.sampleRate), rtpLevels(c.samples, c.sampleRate), 20, vad),
    ),
  );
  // What the widget measures on a WebRTC call: the local microphone through its analyser, the remote party from
  // the receiver's packet levels.
  put(
    'attune-webrtc',
    await timed('attune-webrtc', audioS, () =>
      analyzeLevelFrames(frameLevels(t.samples, t.sampleRate, 20), rtpLevels(c.samples, c.sampleRate), 20, vad),
    ),
  );
  // A LiveKit call where only the SFU's speaking flags (isSpeaking) are known for both parties, counted as flagged
  // (a 'speaking' session; the widget's level session would bridge gaps under 300 ms, which 400 ms flags do not have).
  put(
    'attune-livekit-flags',
    await timed('attune-livekit-flags', audioS, () =>
      analyzeActivity(
        livekitSpeakingFlags(t.samples, t.sampleRate),
        livekitSpeakingFlags(c.samples, c.sampleRate),
        20,
        'speaking',
      ),
    ),
  );
  put(
    'attune-speech-band',
    await timed('attune-speech-band', audioS, () =>
      analyzeTracks(t.samples, c.samples, t.sampleRate, { levels: 'band' }),
    ),
  );
  put('energy', await timed('energy', audioS, () => energyVadMetrics(t.samples, c.samples, t.sampleRate)));
  if (useSilero) {
    if (t.sampleRate !== SILERO_RATE) throw new Error('Silero needs 16 kHz audio');
    const cached = existsSync(join(dir, name, 'silero-therapist.f32'));
    const [pt, pc] = await timed('silero', cached ? 0 : audioS, async () => [
      await sileroCached(join(dir, name, 'silero-therapist.f32'), t.samples),
      await sileroCached(join(dir, name, 'silero-client.f32'), c.samples),
    ]);
    put(
      'silero',
      analyzeActivity(sileroDecisions(pt!), sileroDecisions(pc!), (SILERO_FRAME / SILERO_RATE) * 1000, 'activity'),
    );
  }
  perDialogue[name] = row;
  process.stdout.write('.');
}
process.stdout.write('\n');

const f = (x: number, d = 2) => x.toFixed(d);
console.log(
  `${names.length} dialogues; errors vs exact truth. share: points (mean / max); talk: % of each party's talk (mean / max); turn: longest therapist turn s (mean / max); typing overlap: overlap beyond truth s (max)`,
);
console.log(
  'condition           engine                n   share          talk %          turn s        excess overlap s',
);
const summary: Record<string, unknown> = { dialogues: names.length };
for (const cond of [...REALISTIC_CONDITIONS, 'all']) {
  for (const e of engines) {
    const list = scores.get(`${e}|${cond}`);
    if (!list) continue;
    const s = summarise(list);
    summary[`${e}.${cond}`] = s;
    console.log(
      `${cond.padEnd(19)} ${e.padEnd(21)} ${String(s.n).padEnd(3)} ${`${f(s.shareMean)} / ${f(s.shareMax)}`.padEnd(14)} ${`${f(s.talkPctMean, 1)} / ${f(s.talkPctMax, 1)}`.padEnd(15)} ${`${f(s.turnMean)} / ${f(s.turnMax)}`.padEnd(13)} ${f(s.excessOverlapMax)}`,
    );
  }
}
console.log('attune talk error by voice (signed % of the party’s talk): n, mean, min, max, parties over 3 %');
let over = 0;
let parties = 0;
for (const [voice, errs] of [...talkByVoice].sort(([a], [b]) => a.localeCompare(b))) {
  const n = errs.filter((x) => Math.abs(x) > 3).length;
  over += n;
  parties += errs.length;
  const mean = errs.reduce((x, y) => x + y, 0) / errs.length;
  console.log(
    `  ${voice.padEnd(40)} ${String(errs.length).padEnd(3)} ${f(mean, 1).padStart(5)} ${f(Math.min(...errs), 1).padStart(5)} ${f(Math.max(...errs), 1).padStart(5)}  ${n}`,
  );
}
console.log(`  parties over 3 %: ${over} of ${parties}`);
for (const e of engines) {
  if (cpu[e].audioS)
    console.log(
      `CPU ${e}: ${f(cpu[e].ms / cpu[e].audioS, 4)} ms per audio second (Node, one participant-second = 1 audio second)`,
    );
}
const a = summary['attune.all'] as ReturnType<typeof summarise> | undefined;
if (a) {
  const goal = (label: string, ok: boolean) => console.log(`goal: ${label}: ${ok ? 'met' : 'NOT met'}`);
  const conds = REALISTIC_CONDITIONS.map(
    (c) => summary[`attune.${c}`] as ReturnType<typeof summarise> | undefined,
  ).filter((x) => x);
  goal(
    'share error mean <= 1 point in every condition',
    conds.every((s) => s!.shareMean <= 1),
  );
  goal(
    'share error max <= 2 points in every condition',
    conds.every((s) => s!.shareMax <= 2),
  );
  goal("talk error <= 3 % of each party's talk", a.talkPctMax <= 3);
  goal('longest-turn error <= 1 s', a.turnMax <= 1);
  const typing = summary['attune.typing'] as ReturnType<typeof summarise> | undefined;
  if (typing) goal('no overlap from typing alone (excess overlap 0 s)', typing.excessOverlapMax === 0);
  const sil = summary['silero.all'] as ReturnType<typeof summarise> | undefined;
  if (sil) goal('better than Silero (share mean and max)', a.shareMean < sil.shareMean && a.shareMax < sil.shareMax);
}
mkdirSync(join(import.meta.dirname, '.out'), { recursive: true });
writeFileSync(
  join(import.meta.dirname, '.out/pacing-realistic.json'),
  `${JSON.stringify({ summary, perDialogue }, null, 1)}\n`,
);
