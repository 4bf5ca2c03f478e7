// Node-only: synthesises two-party dialogues with espeak-ng and sox, with exact speech spans (ground truth).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from './lib-rng.ts';
import { readWav } from './lib-wav.ts';

export type Role = 'therapist' | 'client';
export type Condition = 'clean' | 'noise' | 'leak';
export const CONDITIONS: Condition[] = ['clean', 'noise', 'leak'];

/** Ground truth written beside the WAVs. Spans are [start, end] seconds of each role's own speech. */
export interface Truth {
  name: string;
  seed: number;
  sampleRate: number;
  durationSeconds: number;
  spans: Record<Role, [number, number][]>;
  conditions: { noise: { snrDb: number }; leak: { snrDb: number; leakDb: number; delayMs: number } };
}

const THERAPIST_LINES = [
  'So how have things been since we last spoke?',
  'That sounds like it took a lot out of you.',
  'I wonder what was going through your mind at that moment.',
  'Let us slow down for a second and look at that together.',
  'You mentioned your sister last time, how are things with her now?',
  'What would feel like a small step forward this week?',
  'It makes sense that you would feel tired after all of that.',
  'Can you tell me a bit more about what happened at work?',
  'When you notice that feeling, where do you feel it in your body?',
  'I hear that you are frustrated, and that is understandable.',
  'Last week we talked about keeping a short diary, did you try it?',
  'What did you do to take care of yourself over the weekend?',
];
const CLIENT_LINES = [
  'Honestly, it has been a pretty rough week.',
  'I kept thinking about what my boss said on Monday.',
  'I did try the diary, but only for a couple of days.',
  'I guess I felt like nobody was really listening to me.',
  'My sister called, and we ended up arguing again.',
  'I went for a walk on Sunday, and that actually helped.',
  'I am not sure, maybe I just need more sleep.',
  'It is hard to explain, it is like a weight on my chest.',
  'Work has been busy, and I keep bringing it home with me.',
  'I think I would like to talk about my mother today.',
];
const BACKCHANNELS = ['yeah', 'right', 'okay', 'mm'];

export const VOICES: Record<Role, string[]> = {
  therapist: ['en-us+f3', 'en-us+f2', 'en+f4'],
  client: ['en-gb+m3', 'en-us+m1', 'en+m2'],
};

/** One utterance synthesised, resampled with sox and trimmed to its first and last audible sample. */
function utterance(cacheDir: string, voice: string, speed: number, text: string, sampleRate: number): Float32Array {
  const key = createHash('sha256').update(`${voice}|${speed}|${sampleRate}|${text}`).digest('hex').slice(0, 16);
  const out = join(cacheDir, `${key}.wav`);
  if (!existsSync(out)) {
    const raw = join(cacheDir, `${key}.raw.wav`);
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', raw, text]);
    const tmp = `${out}.tmp.wav`;
    execFileSync('sox', ['-R', raw, '-r', String(sampleRate), '-b', '16', '-c', '1', tmp]);
    renameSync(tmp, out);
  }
  const s = readWav(out).samples;
  // espeak pads with silence; the truth must start at the first audible sample and end at the last.
  let peak = 0;
  for (let i = 0; i < s.length; i++) peak = Math.max(peak, Math.abs(s[i]!));
  const th = peak * 10 ** (-40 / 20);
  let a = 0;
  let b = s.length - 1;
  while (a < b && Math.abs(s[a]!) < th) a++;
  while (b > a && Math.abs(s[b]!) < th) b--;
  const out2 = s.slice(a, b + 1);
  for (let i = 0; i < out2.length; i++) out2[i] = out2[i]! / peak;
  return out2;
}

/** Pink noise by Paul Kellet's refined filter over seeded white noise, plus a little brown (room rumble). */
function roomNoise(n: number, rand: () => number): Float32Array {
  const out = new Float32Array(n);
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0,
    brown = 0;
  for (let i = 0; i < n; i++) {
    const w = rand() * 2 - 1;
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    const pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    brown = 0.995 * brown + w * 0.02;
    out[i] = pink * 0.11 + brown * 0.5;
  }
  return out;
}

/** RMS of `x` (at `sr` Hz) over the spans (seconds). */
export function rmsOver(x: Float32Array, spans: [number, number][], sr: number): number {
  let sum = 0;
  let n = 0;
  for (const [s, e] of spans) {
    for (let i = Math.floor(s * sr); i < Math.min(x.length, Math.ceil(e * sr)); i++) {
      sum += x[i]! * x[i]!;
      n++;
    }
  }
  return n ? Math.sqrt(sum / n) : 0;
}

export interface Dialogue {
  truth: Truth;
  tracks: Record<Condition, Record<Role, Float32Array>>;
}

/**
 * A dialogue of about `seconds`: alternating turns of one to three sentences, pauses from 0.3 s to 4 s,
 * some overlapping starts (0.8–2 s of overlap) and short backchannels, each role at its own level.
 */
export interface DialogueOptions {
  name: string;
  seed: number;
  seconds: number;
  sampleRate: number;
  cacheDir: string;
  /** SNR of the room noise, drawn in this range (dB); default 15–25. */
  snrDb?: [number, number];
  /** Level of the other speaker's leakage relative to their own track, drawn in this range (dB); default -26 to -22. */
  leakDb?: [number, number];
}

export function makeDialogue(opts: DialogueOptions): Dialogue {
  const { seed, seconds, sampleRate: sr, cacheDir } = opts;
  mkdirSync(cacheDir, { recursive: true });
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const voice: Record<Role, string> = { therapist: pick(VOICES.therapist), client: pick(VOICES.client) };
  const speed: Record<Role, number> = { therapist: 150 + Math.floor(r() * 25), client: 140 + Math.floor(r() * 30) };
  const gainDb: Record<Role, number> = { therapist: -4 - r() * 6, client: -4 - r() * 6 };
  // Therapist-heavy, balanced or client-heavy sessions: the share varies across the bench.
  const therapistSentences = 1 + Math.floor(r() * 3);

  const placed: { role: Role; start: number; audio: Float32Array }[] = [];
  let t = 0.3 + r() * 0.7;
  let role: Role = r() < 0.5 ? 'therapist' : 'client';
  let lastEnd = t;
  let full = false;
  while (!full && t < seconds - 2) {
    const nSent = role === 'therapist' ? 1 + Math.floor(r() * therapistSentences) : 1 + Math.floor(r() * 2);
    let turnEnd = t;
    for (let k = 0; k < nSent && t < seconds - 2; k++) {
      const text = pick(role === 'therapist' ? THERAPIST_LINES : CLIENT_LINES);
      const audio = utterance(cacheDir, voice[role], speed[role], text, sr);
      const g = 10 ** (gainDb[role] / 20);
      for (let i = 0; i < audio.length; i++) audio[i] = audio[i]! * g;
      if (t + audio.length / sr > seconds - 0.3) {
        full = true;
        break;
      }
      placed.push({ role, start: t, audio });
      turnEnd = t + audio.length / sr;
      // A backchannel by the listener in the middle of a longer utterance.
      if (audio.length / sr > 2.2 && r() < 0.3) {
        const other: Role = role === 'therapist' ? 'client' : 'therapist';
        const bc = utterance(cacheDir, voice[other], speed[other], pick(BACKCHANNELS), sr);
        for (let i = 0; i < bc.length; i++) bc[i] = bc[i]! * 10 ** (gainDb[other] / 20);
        if (bc.length / sr < 0.65)
          placed.push({ role: other, start: t + 0.8 + r() * (audio.length / sr - 1.8), audio: bc });
      }
      t = turnEnd + 0.6 + r() * 0.6;
    }
    lastEnd = Math.max(lastEnd, turnEnd);
    role = role === 'therapist' ? 'client' : 'therapist';
    const u = r();
    if (u < 0.18)
      t = Math.max(0.2, turnEnd - (0.8 + r() * 1.2)); // overlapping start
    else if (u < 0.3)
      t = turnEnd + 2.5 + r() * 1.5; // a silence
    else t = turnEnd + 0.3 + r() * 1.0;
  }
  const duration = Math.max(seconds, lastEnd + 0.5);
  const n = Math.ceil(duration * sr);
  const clean: Record<Role, Float32Array> = { therapist: new Float32Array(n), client: new Float32Array(n) };
  const spans: Record<Role, [number, number][]> = { therapist: [], client: [] };
  for (const p of placed) {
    const s0 = Math.round(p.start * sr);
    const track = clean[p.role];
    const len = Math.min(p.audio.length, n - s0);
    for (let i = 0; i < len; i++) track[s0 + i] = track[s0 + i]! + p.audio[i]!;
    spans[p.role].push([s0 / sr, (s0 + len) / sr]);
  }
  for (const k of ['therapist', 'client'] as Role[]) spans[k] = mergeSpans(spans[k]);

  const [snrLo, snrHi] = opts.snrDb ?? [15, 25];
  const [leakLo, leakHi] = opts.leakDb ?? [-26, -22];
  const snrDb = snrLo + r() * (snrHi - snrLo);
  const leakDb = leakLo + r() * (leakHi - leakLo);
  const delayMs = 20 + Math.floor(r() * 40);
  const noisy = (role: Role, withLeak: boolean): Float32Array => {
    const out = new Float32Array(clean[role]);
    const noise = roomNoise(n, rng(seed * 31 + (role === 'therapist' ? 1 : 2)));
    const target = rmsOver(clean[role], spans[role], sr) * 10 ** (-snrDb / 20);
    const nr = rmsOver(noise, [[0, duration]], sr);
    const k = target / nr;
    for (let i = 0; i < n; i++) out[i] = out[i]! + noise[i]! * k;
    if (withLeak) {
      const other = clean[role === 'therapist' ? 'client' : 'therapist'];
      const d = Math.round((delayMs / 1000) * sr);
      const g = 10 ** (leakDb / 20);
      for (let i = d; i < n; i++) out[i] = out[i]! + other[i - d]! * g;
    }
    return out;
  };
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    truth: {
      name: opts.name,
      seed,
      sampleRate: sr,
      durationSeconds: n / sr,
      spans,
      conditions: { noise: { snrDb: round3(snrDb) }, leak: { snrDb: round3(snrDb), leakDb: round3(leakDb), delayMs } },
    },
    tracks: {
      clean,
      noise: { therapist: noisy('therapist', false), client: noisy('client', false) },
      leak: { therapist: noisy('therapist', true), client: noisy('client', true) },
    },
  };
}

/** Union of possibly overlapping spans (a role's backchannel may fall inside its own utterance's span). */
export function mergeSpans(spans: [number, number][]): [number, number][] {
  const s = [...spans].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x[0] <= last[1]) last[1] = Math.max(last[1], x[1]);
    else out.push([x[0], x[1]]);
  }
  return out;
}
