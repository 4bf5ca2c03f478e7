// Node-only: two-party dialogues that sound like a telehealth call, with exact truth (see make-realistic-set.ts).
//
// Speech material (Debian packages, installed by scripts/setup.sh):
//   asterisk-core-sounds-en-wav  Allison Smith, US English, recorded human voice (CC-BY-SA-3.0, Digium)
//   asterisk-core-sounds-fr-wav  June Wallack, Canadian French, recorded human voice (CC-BY-SA-3.0, Digium)
//   asterisk-core-sounds-es-wav  Allison Smith, Mexican Spanish (CC-BY-SA-3.0, Digium): background babble only
//   espeak-ng                    synthetic voices for variety (GPL-3+)
// Tools: sox (reverb, resampling), opus-tools (opusenc/opusdec over libopus).
// The prompts are 8 kHz recordings upsampled to 16 kHz, so their speech sits below 4 kHz (narrowband).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSpans, type Role, rmsOver } from './lib-dialogue.ts';
import { rng } from './lib-rng.ts';
import { dropOpusPackets, gilbertElliott } from './lib-ogg-loss.ts';
import { readWav, writeWav16 } from './lib-wav.ts';

export const RATE = 16000;
const SOUNDS = '/usr/share/asterisk/sounds';

/** What each dialogue stresses; every dialogue also has the baseline (Opus on the client, rooms, echo, mild noise). */
export const REALISTIC_CONDITIONS = [
  'codec-loss',
  'reverb-fan-hum',
  'babble',
  'typing',
  'echo-agc-creep',
  'quiet-party',
  'client-dominant',
  'monologue-silence',
  'interruptions',
] as const;
export type RealisticCondition = (typeof REALISTIC_CONDITIONS)[number];

export interface RealisticTruth {
  name: string;
  seed: number;
  condition: RealisticCondition;
  sampleRate: number;
  durationSeconds: number;
  spans: Record<Role, [number, number][]>;
  /** Every random choice that shaped the audio, for the report. */
  params: Record<string, string | number | boolean>;
  /** Typing bursts in the therapist's mic (typing condition), seconds. */
  typingSpans?: [number, number][];
}

type Voice =
  | { kind: 'prompt'; dir: string; label: string }
  | { kind: 'espeak'; voice: string; speed: number; label: string };
const HUMAN: Record<string, Voice> = {
  allison: { kind: 'prompt', dir: 'en_US_f_Allison', label: 'Allison (en, recorded)' },
  june: { kind: 'prompt', dir: 'fr_CA_f_June', label: 'June (fr, recorded)' },
};
const BABBLE_VOICE: Voice = { kind: 'prompt', dir: 'es_MX_f_Allison', label: 'Allison (es, recorded)' };

const ESPEAK_TEXT = [
  'Honestly, it has been a pretty rough week, and I kept thinking about what my boss said on Monday.',
  'I did try the diary, but only for a couple of days, then things got busy again.',
  'It makes sense that you would feel tired after all of that.',
  'When you notice that feeling, where do you feel it in your body?',
  'My sister called, and we ended up arguing about the same old thing.',
  'I went for a walk on Sunday, and that actually helped a little.',
  'What would feel like a small step forward this week?',
  'It is hard to explain, it is like a weight on my chest most mornings.',
];
const ESPEAK_SHORT = ['yeah', 'right', 'okay', 'mm hm', 'I see', 'sure'];

interface Clip {
  audio: Float32Array;
  /** Speech spans within the clip (seconds): its audible stretches, pauses of 300 ms or more split them. */
  spans: [number, number][];
}

function promptFiles(dir: string): string[] {
  const root = join(SOUNDS, dir);
  if (!existsSync(root)) throw new Error(`${root} missing: run scripts/setup.sh (asterisk-core-sounds packages)`);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (n !== 'silence') walk(p);
      } else if (n.endsWith('.wav') && !/beep|tone|silence|music|ding|dong|click/.test(n)) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Trims to the audible part, finds the speech spans and normalises to unit RMS over them. */
function clipFrom(s: Float32Array): Clip | null {
  const frame = RATE / 100;
  const nF = Math.floor(s.length / frame);
  if (nF < 10) return null;
  const db = new Float64Array(nF);
  let maxDb = -200;
  for (let f = 0; f < nF; f++) {
    let e = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) e += s[i]! * s[i]!;
    db[f] = 10 * Math.log10(e / frame + 1e-12);
    if (db[f]! > maxDb) maxDb = db[f]!;
  }
  const th = maxDb - 35;
  const spans: [number, number][] = [];
  let open = -1;
  let last = -1;
  for (let f = 0; f < nF; f++) {
    if (db[f]! > th) {
      if (open < 0) open = f;
      else if (f - last > 30) {
        spans.push([open, last + 1]);
        open = f;
      }
      last = f;
    }
  }
  if (open >= 0) spans.push([open, last + 1]);
  const kept = spans.filter(([a, b]) => b - a >= 8);
  if (!kept.length) return null;
  const a0 = kept[0]![0];
  const b0 = kept[kept.length - 1]![1];
  const audio = s.slice(a0 * frame, b0 * frame);
  let sum = 0;
  let n = 0;
  for (const [a, b] of kept) {
    for (let i = (a - a0) * frame; i < (b - a0) * frame; i++) sum += audio[i]! * audio[i]!;
    n += (b - a) * frame;
  }
  const k = 1 / Math.sqrt(sum / n);
  for (let i = 0; i < audio.length; i++) audio[i] = audio[i]! * k;
  return { audio, spans: kept.map(([a, b]) => [(a - a0) / 100, (b - a0) / 100]) };
}

/** A speech pool: clips of one voice, loaded lazily through sox (16 kHz mono) with a disk cache. */
export class VoicePool {
  readonly voice: Voice;
  private readonly cacheDir: string;
  private readonly files: string[];
  private readonly cache = new Map<string, Clip | null>();
  constructor(voice: Voice, cacheDir: string) {
    this.voice = voice;
    this.cacheDir = cacheDir;
    this.files = voice.kind === 'prompt' ? promptFiles(voice.dir) : [];
    mkdirSync(cacheDir, { recursive: true });
  }

  private load(key: string, make: (out: string) => void): Clip | null {
    if (this.cache.has(key)) return this.cache.get(key)!;
    const out = join(this.cacheDir, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.wav`);
    if (!existsSync(out)) {
      const tmp = `${out}.${process.pid}.tmp.wav`;
      make(tmp);
      renameSync(tmp, out);
    }
    const c = clipFrom(readWav(out).samples);
    this.cache.set(key, c);
    return c;
  }

  /** A clip of about [minS, maxS] seconds (espeak: a sentence or a short word). */
  pick(rand: () => number, minS: number, maxS: number): Clip {
    const v = this.voice;
    for (let tries = 0; tries < 200; tries++) {
      let c: Clip | null;
      if (v.kind === 'prompt') {
        const f = this.files[Math.floor(rand() * this.files.length)]!;
        c = this.load(`${f}|${RATE}`, (tmp) =>
          execFileSync('sox', [f, '-r', String(RATE), '-b', '16', '-c', '1', tmp]),
        );
      } else {
        const text =
          maxS < 1
            ? ESPEAK_SHORT[Math.floor(rand() * ESPEAK_SHORT.length)]!
            : ESPEAK_TEXT[Math.floor(rand() * ESPEAK_TEXT.length)]!;
        c = this.load(`espeak|${v.voice}|${v.speed}|${text}|${RATE}`, (tmp) => {
          const raw = `${tmp}.raw.wav`;
          execFileSync('espeak-ng', ['-v', v.voice, '-s', String(v.speed), '-w', raw, text]);
          execFileSync('sox', [raw, '-r', String(RATE), '-b', '16', '-c', '1', tmp]);
          rmSync(raw);
        });
      }
      if (!c) continue;
      const d = c.audio.length / RATE;
      if (d >= minS && d <= maxS) return c;
      if (v.kind === 'espeak' && tries > 20) return c;
    }
    throw new Error(`no clip of ${minS}-${maxS} s in ${v.label}`);
  }
}

interface Placed {
  role: Role;
  start: number;
  clip: Clip;
}

interface Script {
  /** Turn length in clips, per role. */
  turnClips: Record<Role, [number, number]>;
  /** Probability that the listener backchannels during a clip of the speaker. */
  backchannel: Record<Role, number>;
  /** Probability that the next turn starts over the end of this one, and by how much (s). */
  interrupt: number;
  interruptS: [number, number];
  /** Probability of a 5-20 s silence between turns. */
  silence: number;
  /** A monologue of this many seconds by one role somewhere in the dialogue (0: none). */
  monologueS: number;
}

function scriptFor(cond: RealisticCondition, rand: () => number): Script {
  const base: Script = {
    turnClips: { therapist: [1, 3], client: [1, 4] },
    backchannel: { therapist: 0.15, client: 0.1 },
    interrupt: 0.12,
    interruptS: [0.3, 1.2],
    silence: 0.03,
    monologueS: 0,
  };
  if (cond === 'client-dominant')
    return { ...base, turnClips: { therapist: [1, 1], client: [4, 9] }, backchannel: { therapist: 0.6, client: 0.05 } };
  if (cond === 'monologue-silence') return { ...base, silence: 0.25, monologueS: 60 + rand() * 60 };
  if (cond === 'interruptions')
    return { ...base, interrupt: 0.55, interruptS: [0.4, 2], backchannel: { therapist: 0.3, client: 0.3 } };
  if (cond === 'echo-agc-creep') return { ...base, silence: 0.2 };
  return base;
}

/** Places the dialogue's clips: alternating turns, backchannels, interruptions, silences, a monologue. */
function compose(
  cond: RealisticCondition,
  seconds: number,
  pools: Record<Role, VoicePool>,
  rand: () => number,
): Placed[] {
  const sc = scriptFor(cond, rand);
  const placed: Placed[] = [];
  const other = (r: Role): Role => (r === 'therapist' ? 'client' : 'therapist');
  let role: Role = rand() < 0.5 ? 'therapist' : 'client';
  let t = 0.5 + rand();
  const monoAt = sc.monologueS ? seconds * (0.15 + rand() * 0.3) : Number.POSITIVE_INFINITY;
  let monoDone = false;
  const monoRole: Role = rand() < 0.5 ? 'therapist' : 'client';
  while (t < seconds - 3) {
    const mono = !monoDone && t >= monoAt;
    if (mono) {
      monoDone = true;
      role = monoRole;
    }
    const [lo, hi] = sc.turnClips[role];
    const nClips = mono ? 1000 : lo + Math.floor(rand() * (hi - lo + 1));
    const turnStart = t;
    let turnEnd = t;
    for (let k = 0; k < nClips; k++) {
      if (mono && t - turnStart >= sc.monologueS) break;
      const clip = pools[role].pick(rand, 0.8, 9);
      const d = clip.audio.length / RATE;
      if (t + d > seconds - 0.5) break;
      placed.push({ role, start: t, clip });
      turnEnd = t + d;
      if (d > 1.8 && rand() < (mono ? 0.05 : sc.backchannel[other(role)])) {
        const bc = pools[other(role)].pick(rand, 0.25, 0.75);
        placed.push({ role: other(role), start: t + 0.5 + rand() * (d - 1.3), clip: bc });
      }
      t = turnEnd + 0.25 + rand() * 0.7;
    }
    role = other(role);
    const u = rand();
    if (u < sc.interrupt)
      t = Math.max(0.2, turnEnd - (sc.interruptS[0] + rand() * (sc.interruptS[1] - sc.interruptS[0])));
    else if (u < sc.interrupt + sc.silence) t = turnEnd + 5 + rand() * 15;
    else t = turnEnd + 0.3 + rand() * 1.2;
  }
  return placed;
}

// ---------- signal helpers ----------

const activeRms = (x: Float32Array, spans: [number, number][]): number => rmsOver(x, spans, RATE);
function rmsAll(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}
function addScaled(dst: Float32Array, src: Float32Array, k: number, offset = 0): void {
  const n = Math.min(src.length, dst.length - offset);
  for (let i = Math.max(0, -offset); i < n; i++) dst[i + offset] = dst[i + offset]! + src[i]! * k;
}
function onePole(x: Float32Array, hz: number, high: boolean): Float32Array {
  const a = Math.exp((-2 * Math.PI * hz) / RATE);
  const out = new Float32Array(x.length);
  let y = 0;
  for (let i = 0; i < x.length; i++) {
    y = (1 - a) * x[i]! + a * y;
    out[i] = high ? x[i]! - y : y;
  }
  return out;
}
function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** A fan: low-passed noise with a slow swell and a blade tone with harmonics. */
function fanNoise(n: number, rand: () => number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = gauss(rand);
  const lp = onePole(onePole(w, 900, false), 1500, false);
  const blade = 40 + rand() * 80;
  const swell = 0.1 + rand() * 0.3;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    lp[i] =
      lp[i]! * (1 + 0.15 * Math.sin(2 * Math.PI * swell * t)) +
      0.05 * (Math.sin(2 * Math.PI * blade * t) + 0.5 * Math.sin(4 * Math.PI * blade * t));
  }
  return lp;
}

/** Mains hum (50 or 60 Hz and odd/even harmonics to 1 kHz) over a little hiss. */
function humNoise(n: number, rand: () => number): Float32Array {
  const f0 = rand() < 0.5 ? 50 : 60;
  const out = new Float32Array(n);
  const ph = Array.from({ length: 20 }, () => rand() * 2 * Math.PI);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    let s = 0;
    for (let h = 1; h * f0 <= 1000; h++) s += Math.sin(2 * Math.PI * h * f0 * t + ph[h - 1]!) / h;
    out[i] = s + 0.05 * gauss(rand);
  }
  return out;
}

/** Pink-ish room noise (Kellet's filter). */
function roomNoise(n: number, rand: () => number): Float32Array {
  const out = new Float32Array(n);
  let b0 = 0,
    b1 = 0,
    b2 = 0;
  for (let i = 0; i < n; i++) {
    const w = rand() * 2 - 1;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    out[i] = b0 + b1 + b2 + w * 0.1848;
  }
  return out;
}

/** Background talk: six voices (recorded and synthetic) at random offsets, muffled. */
function babbleNoise(n: number, rand: () => number, pools: VoicePool[]): Float32Array {
  const out = new Float32Array(n);
  for (let v = 0; v < 6; v++) {
    const pool = pools[v % pools.length]!;
    let t = Math.floor(rand() * RATE);
    while (t < n) {
      const c = pool.pick(rand, 0.8, 9);
      addScaled(out, c.audio, 0.5 + rand(), t);
      t += c.audio.length + Math.floor(rand() * 0.4 * RATE);
    }
  }
  return onePole(out, 2500, false);
}

/** Key clicks (press and release, 3-8 ms decaying bursts) at about 6 a second in bursts of 3-15 s of typing. */
function typingNoise(n: number, rand: () => number): { noise: Float32Array; bursts: [number, number][] } {
  const out = new Float32Array(n);
  const bursts: [number, number][] = [];
  let t = 2 + rand() * 6;
  while (t < n / RATE - 3) {
    const len = 3 + rand() * 12;
    bursts.push([t, Math.min(n / RATE, t + len)]);
    for (let k = t; k < t + len && k < n / RATE - 0.2; k += 0.08 + rand() * 0.17) {
      const amp = 0.5 + rand();
      for (const [dt, a] of [
        [0, amp],
        [0.06 + rand() * 0.05, amp * 0.6],
      ] as const) {
        const s0 = Math.floor((k + dt) * RATE);
        const dur = Math.floor((0.003 + rand() * 0.005) * RATE);
        for (let i = 0; i < dur * 3 && s0 + i < n; i++)
          out[s0 + i] = out[s0 + i]! + a * gauss(rand) * Math.exp(-i / dur);
      }
    }
    t += len + 4 + rand() * 20;
  }
  return { noise: onePole(out, 300, true), bursts };
}

function sox(input: Float32Array, effects: string[], tmpDir: string, tag: string): Float32Array {
  const a = join(tmpDir, `${tag}.in.wav`);
  const b = join(tmpDir, `${tag}.out.wav`);
  writeWav16(a, input, RATE);
  execFileSync('sox', [a, b, ...effects]);
  const out = readWav(b).samples;
  rmSync(a);
  rmSync(b);
  const res = new Float32Array(input.length);
  res.set(out.subarray(0, input.length));
  return res;
}

/** Room reverb (sox's freeverb), wet and dry. */
function reverb(
  x: Float32Array,
  rand: () => number,
  tmpDir: string,
  tag: string,
  strength: number,
): { out: Float32Array; desc: string } {
  const rev = Math.round(20 + strength * 60 * rand() + strength * 20);
  const room = Math.round(40 + rand() * 60);
  const pre = Math.round(rand() * 20);
  // Input pre-scaled so the wet sum never clips (reverb adds energy); restored after.
  const scaled = Float32Array.from(x, (v) => v * 0.25);
  const out = sox(scaled, ['reverb', String(rev), '50', String(room), '100', String(pre), '-3'], tmpDir, tag);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * 4;
  return { out, desc: `reverb ${rev} % room ${room} % pre ${pre} ms` };
}

/** Opus through libopus: encode (bitrate, FEC, DTX), bursty loss in the Ogg stream, decode with concealment. */
function opus(
  x: Float32Array,
  o: { kbps: number; loss: number; burst: number; fec: boolean; dtx: boolean },
  rand: () => number,
  tmpDir: string,
  tag: string,
): { out: Float32Array; lost: number } {
  const a = join(tmpDir, `${tag}.in.wav`);
  const ogg = join(tmpDir, `${tag}.opus`);
  const b = join(tmpDir, `${tag}.dec.wav`);
  writeWav16(a, x, RATE);
  const args = ['--quiet', '--bitrate', String(o.kbps), '--framesize', '20', '--speech'];
  if (o.fec) args.push('--expect-loss', String(Math.max(5, Math.round(o.loss * 100))));
  if (o.dtx) args.push('--set-ctl-int', '4016=1');
  execFileSync('opusenc', [...args, a, ogg]);
  let lost = 0;
  if (o.loss > 0) {
    const r = dropOpusPackets(new Uint8Array(readFileSync(ogg)), gilbertElliott(rand, o.loss, o.burst));
    writeFileSync(ogg, r.ogg);
    lost = r.lost / Math.max(1, r.packets);
  }
  execFileSync('opusdec', ['--quiet', '--rate', String(RATE), '--float', ogg, b]);
  const dec = readWav(b).samples;
  for (const f of [a, ogg, b]) rmSync(f);
  const out = new Float32Array(x.length);
  out.set(dec.subarray(0, x.length));
  return { out, lost };
}

/**
 * Gain of an AGC over time: a slow drift of up to ±dB, and during stretches with no speech (active = 0)
 * longer than 1.5 s the gain creeps up at creepDbPerS (to at most +12 dB), falling back at 20 dB/s on speech.
 */
function agcGain(
  n: number,
  active: Uint8Array,
  driftDb: number,
  creepDbPerS: number,
  rand: () => number,
): Float32Array {
  const g = new Float32Array(n);
  const period = 40 + rand() * 50;
  const ph = rand() * 2 * Math.PI;
  let creep = 0;
  let idle = 0;
  const step = 1 / RATE;
  for (let i = 0; i < n; i++) {
    const speaking = active[Math.floor(i / 160)] === 1;
    idle = speaking ? 0 : idle + step;
    if (idle > 1.5) creep = Math.min(12, creep + creepDbPerS * step);
    else if (speaking) creep = Math.max(0, creep - 20 * step);
    const db = driftDb * Math.sin((2 * Math.PI * i) / RATE / period + ph) + creep;
    g[i] = 10 ** (db / 20);
  }
  return g;
}

function activity10ms(n: number, spans: [number, number][]): Uint8Array {
  const a = new Uint8Array(Math.ceil(n / 160) + 1);
  for (const [s, e] of spans) for (let f = Math.floor(s * 100); f < Math.ceil(e * 100) && f < a.length; f++) a[f] = 1;
  return a;
}

export interface RealisticDialogue {
  truth: RealisticTruth;
  tracks: Record<Role, Float32Array>;
}

/** One dialogue of `seconds` (2-5 min) in one condition, built from the seed alone. */
export function makeRealisticDialogue(o: {
  name: string;
  seed: number;
  condition: RealisticCondition;
  seconds: number;
  cacheDir: string;
  tmpDir: string;
}): RealisticDialogue {
  const rand = rng(o.seed);
  const cond = o.condition;
  const P: Record<string, string | number | boolean> = {};
  mkdirSync(o.tmpDir, { recursive: true });
  // Voices: at least one recorded human party in every dialogue; both in most.
  const espeakF: Voice = {
    kind: 'espeak',
    voice: ['en-us+f3', 'en+f4'][Math.floor(rand() * 2)]!,
    speed: 150 + Math.floor(rand() * 25),
    label: 'espeak-ng female',
  };
  const espeakM: Voice = {
    kind: 'espeak',
    voice: ['en-gb+m3', 'en-us+m1'][Math.floor(rand() * 2)]!,
    speed: 140 + Math.floor(rand() * 30),
    label: 'espeak-ng male',
  };
  const pairs: [Voice, Voice][] = [
    [HUMAN.allison!, HUMAN.june!],
    [HUMAN.june!, HUMAN.allison!],
    [HUMAN.allison!, espeakM],
    [espeakF, HUMAN.june!],
  ];
  const [tv, cv] = pairs[Math.floor(rand() * pairs.length)]!;
  const pools: Record<Role, VoicePool> = {
    therapist: new VoicePool(tv, o.cacheDir),
    client: new VoicePool(cv, o.cacheDir),
  };
  P.therapistVoice = tv.label;
  P.clientVoice = cv.label;

  const placed = compose(cond, o.seconds, pools, rand);
  const duration = o.seconds;
  const n = Math.ceil(duration * RATE);
  const dry: Record<Role, Float32Array> = { therapist: new Float32Array(n), client: new Float32Array(n) };
  const spans: Record<Role, [number, number][]> = { therapist: [], client: [] };
  for (const p of placed) {
    const s0 = Math.round(p.start * RATE);
    addScaled(dry[p.role], p.clip.audio, 1, s0);
    for (const [a, b] of p.clip.spans) spans[p.role].push([s0 / RATE + a, Math.min(duration, s0 / RATE + b)]);
  }
  for (const r of ['therapist', 'client'] as Role[])
    spans[r] = mergeSpans(spans[r]).map(([a, b]) => [Math.round(a * 1000) / 1000, Math.round(b * 1000) / 1000]);

  // Talker levels (active speech RMS, dBFS); one party 20 dB quieter in quiet-party.
  const lvl: Record<Role, number> = { therapist: -28 + rand() * 10, client: -28 + rand() * 10 };
  if (cond === 'quiet-party') {
    const quiet: Role = rand() < 0.5 ? 'therapist' : 'client';
    lvl[quiet === 'therapist' ? 'client' : 'therapist'] = -17 - rand() * 2;
    lvl[quiet] = lvl[quiet === 'therapist' ? 'client' : 'therapist'] - 20;
    P.quietRole = quiet;
  }
  const dbToLin = (db: number) => 10 ** (db / 20);
  let typingSpans: [number, number][] | undefined;

  const room = (role: Role): Float32Array => {
    const x = dry[role];
    const k = dbToLin(lvl[role]) / Math.max(1e-9, activeRms(x, spans[role]));
    const scaled = Float32Array.from(x, (v) => v * k);
    const strength = cond === 'reverb-fan-hum' ? 1 : 0.4;
    const r = reverb(scaled, rand, o.tmpDir, `${o.name}-${role}-rev`, strength);
    P[`${role}Room`] = r.desc;
    return r.out;
  };
  const noiseFor = (role: Role, speech: Float32Array): Float32Array => {
    const out = new Float32Array(speech);
    const speechRms = dbToLin(lvl[role]);
    const add = (noise: Float32Array, snrDb: number, what: string, ref = rmsAll(noise)) => {
      addScaled(out, noise, (speechRms * 10 ** (-snrDb / 20)) / Math.max(1e-12, ref));
      P[`${role}Noise`] = `${P[`${role}Noise`] ? `${P[`${role}Noise`]} + ` : ''}${what} ${snrDb.toFixed(1)} dB SNR`;
    };
    add(roomNoise(n, rand), 30 + rand() * 10, 'room');
    if (cond === 'reverb-fan-hum')
      add(rand() < 0.5 ? fanNoise(n, rand) : humNoise(n, rand), 10 + rand() * 15, 'fan/hum');
    if (cond === 'quiet-party' && P.quietRole === role) add(fanNoise(n, rand), 10 + rand() * 3, 'fan');
    if (cond === 'babble' && role === 'client')
      add(
        babbleNoise(n, rand, [new VoicePool(BABBLE_VOICE, o.cacheDir), new VoicePool(espeakM, o.cacheDir)]),
        10 + rand() * 15,
        'babble',
      );
    if (cond === 'typing' && role === 'therapist') {
      const ty = typingNoise(n, rand);
      // SNR of typing is speech level against the clicks' RMS over the typing bursts.
      let s = 0;
      let m = 0;
      for (const [a, b] of ty.bursts) {
        for (let i = Math.floor(a * RATE); i < Math.min(n, b * RATE); i++) s += ty.noise[i]! ** 2;
        m += (b - a) * RATE;
      }
      add(ty.noise, 10 + rand() * 15, 'typing', Math.sqrt(s / Math.max(1, m)));
      P.typingSeconds = Math.round(ty.bursts.reduce((x, [a, b]) => x + b - a, 0));
      typingSpans = ty.bursts.map(([a, b]) => [Math.round(a * 1000) / 1000, Math.round(b * 1000) / 1000]);
    }
    return out;
  };

  // Client: room, noise, AGC, then Opus across the network.
  let client = noiseFor('client', room('client'));
  const creepy = cond === 'echo-agc-creep' || cond === 'monologue-silence';
  const agc = (role: Role, x: Float32Array) => {
    const drift = 1 + rand() * 2;
    const creep = creepy ? 0.5 + rand() * 1.5 : 0;
    P[`${role}Agc`] = `drift ±${drift.toFixed(1)} dB, creep ${creep.toFixed(1)} dB/s`;
    // The gain creeps in the call's silences: nobody speaks, so the AGC hears only the room.
    const g = agcGain(n, activity10ms(n, [...spans.therapist, ...spans.client]), drift, creep, rand);
    for (let i = 0; i < n; i++) x[i] = x[i]! * g[i]!;
  };
  agc('client', client);
  const heavy = cond === 'codec-loss';
  const oo = {
    kbps: heavy ? 12 + Math.floor(rand() * 5) : 16 + Math.floor(rand() * 17),
    loss: heavy ? 0.05 + rand() * 0.07 : rand() * 0.02,
    burst: heavy ? 2 + rand() * 4 : 1.5,
    fec: heavy ? rand() < 0.6 : rand() < 0.3,
    dtx: heavy ? true : rand() < 0.4,
  };
  const op = opus(client, oo, rand, o.tmpDir, `${o.name}-client`);
  client = op.out;
  P.opus = `${oo.kbps} kbit/s, ${(op.lost * 100).toFixed(1)} % lost in bursts of ${oo.burst.toFixed(1)}, FEC ${oo.fec ? 'on' : 'off'}, DTX ${oo.dtx ? 'on' : 'off'}`;

  // Therapist: room, noise, then the client's decoded audio leaking back through imperfect echo cancellation.
  const therapist = noiseFor('therapist', room('therapist'));
  const leakDb = cond === 'echo-agc-creep' ? -24 + rand() * 6 : -30 + rand() * 8;
  const delayMs = 30 + Math.floor(rand() * 90);
  const settleS = 5 + rand() * 15;
  const settleDb = cond === 'echo-agc-creep' ? 10 : 4;
  const echo = onePole(onePole(client, 150, true), 3500, false);
  const d = Math.round((delayMs / 1000) * RATE);
  for (let i = d; i < n; i++) {
    const t = i / RATE;
    const g = dbToLin(leakDb + settleDb * Math.exp(-t / settleS));
    therapist[i] = therapist[i]! + echo[i - d]! * g;
  }
  P.echo = `${leakDb.toFixed(1)} dB, ${delayMs} ms late, +${settleDb} dB settling over ${settleS.toFixed(0)} s`;
  agc('therapist', therapist);
  for (const x of [therapist, client]) for (let i = 0; i < n; i++) x[i] = Math.max(-1, Math.min(1, x[i]!));
  P.therapistLevelDb = Math.round(lvl.therapist * 10) / 10;
  P.clientLevelDb = Math.round(lvl.client * 10) / 10;

  return {
    truth: {
      name: o.name,
      seed: o.seed,
      condition: cond,
      sampleRate: RATE,
      durationSeconds: duration,
      spans,
      params: P,
      ...(typingSpans ? { typingSpans } : {}),
    },
    tracks: { therapist, client },
  };
}
