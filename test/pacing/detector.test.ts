// The detector parts that make pacing hold on real call audio: each test also shows that the same
// audio goes wrong without the part, so none of them passes vacuously.
import { describe, expect, it } from 'vitest';
import { createPacingSession, type PacingSessionOptions } from '../../pacing/index.ts';
import { rms, speechLevel } from '../../pacing/levels.ts';
import { NoiseFloor } from '../../pacing/noise-floor.ts';
import { DEFAULT_VAD_OPTIONS, RoleVad } from '../../pacing/vad.ts';
import { rng } from './helpers.ts';

/** 20 ms frames of two roles given as dBFS per second of the call (null: digital silence). */
function feed(seconds: number, t: (s: number) => number, c: (s: number) => number, opts: PacingSessionOptions = {}) {
  const s = createPacingSession({ now: () => 0, ...opts });
  for (let f = 0; f < seconds * 50; f++) {
    const sec = (f + 0.5) / 50;
    s.pushLevels((f + 1) * 20, 10 ** (t(sec) / 20), 10 ** (c(sec) / 20));
  }
  s.end();
  return s.snapshot();
}

/** Speech-like level: syllables of ±6 dB around db with a 60 ms dip every 260 ms, inside the spans. */
function speech(spans: [number, number][], db: number, floorDb: number, seed = 1) {
  const r = rng(seed);
  return (s: number) => {
    const noise = floorDb + r() * 3 - 1.5;
    if (!spans.some(([a, b]) => s >= a && s < b)) return noise;
    return s % 0.26 < 0.06 ? noise + 3 : db + r() * 12 - 6;
  };
}

describe('speechLevel (the level each frame is measured with)', () => {
  it('is the RMS of steady sound within 1 dB, and ignores a click that fills one sub-block', () => {
    const n = 320; // 20 ms at 16 kHz
    const tone = Float32Array.from({ length: n }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 200 * i) / 16000));
    const db = (x: number) => 20 * Math.log10(x);
    expect(Math.abs(db(speechLevel(tone)) - db(rms(tone)))).toBeLessThan(1);
    const click = new Float32Array(n);
    for (let i = 100; i < 130; i++) click[i] = 0.5 * Math.exp(-(i - 100) / 6) * (i % 2 ? 1 : -1);
    expect(speechLevel(click)).toBeLessThan(rms(click) / 10);
  });
});

describe('noise floor that follows a creeping gain', () => {
  it('lifts to a level that rises 2 dB/s steadily; without the steadiness test it lags by 10 dB', () => {
    const steady = new NoiseFloor(500, 12, 5, 50, 4);
    const plain = new NoiseFloor(500, 12, 5);
    const r = rng(2);
    let t = 0;
    for (let i = 0; i < 250; i++) {
      const db = -60 + r() - 0.5;
      t += 20;
      steady.update(db, t);
      plain.update(db, t);
    }
    for (let i = 0; i < 300; i++) {
      const db = -60 + (i / 50) * 2 + r() - 0.5; // 6 s creeping up 12 dB
      t += 20;
      steady.update(db, t);
      plain.update(db, t);
    }
    expect(steady.floorDb).toBeGreaterThan(-52);
    expect(plain.floorDb).toBeLessThan(-58);
  });

  it('does not lift to speech: it moves more than 4 dB within a second', () => {
    const f = new NoiseFloor(500, 12, 5, 50, 4);
    const lvl = speech([[1, 20]], -20, -55, 3);
    let t = 0;
    for (let i = 0; i < 1000; i++) {
      t += 20;
      f.update(lvl((i + 0.5) / 50), t);
    }
    expect(f.floorDb).toBeLessThan(-50);
  });

  it('in a session: 8 s of gain creep in a silence is not talk', () => {
    const creep = (s: number) => (s < 10 ? -60 : -60 + Math.min(16, (s - 10) * 2)) + Math.sin(s * 37) * 0.7;
    const silent = () => -70;
    expect(feed(20, creep, silent).therapistTalkMs).toBe(0);
    // Without the floor's lift (and the background and rise tests, which also refuse a creep) the creep is talk.
    const off = { steadyMs: 60_000, modulationDb: 0, keepModulationDb: 0, bgOnsetDb: 0, bgKeepDb: 0, riseDb: 0 };
    expect(feed(20, creep, silent, { vad: off }).therapistTalkMs).toBeGreaterThan(1000);
  });
});

describe('onset over 80 of the last 100 ms', () => {
  it('key clicks ringing in a room (three decaying frames every 200 ms for 10 s) are not talk, but a phrase is', () => {
    const r = rng(4);
    const ring = [-28, -31, -34];
    const typing = (s: number) => {
      const k = Math.floor(s * 50) % 10;
      return s > 5 && s < 15 && k < 3 ? ring[k]! : -60 + r() * 2;
    };
    const quiet = () => -70;
    expect(feed(20, typing, quiet).therapistTalkMs).toBe(0);
    expect(feed(20, typing, quiet, { vad: { onsetMinMs: 20, onsetWindowMs: 20 } }).therapistTalkMs).toBeGreaterThan(
      3000,
    );
  });

  it('single-frame key clicks around a phrase (every 160 ms) do not hold it open', () => {
    const r = rng(12);
    const clicks = (s: number) => (s > 5 && s < 15 && Math.floor(s * 50) % 8 === 0 ? -24 : -60 + r() * 2);
    const phrase = speech([[10, 12]], -20, -60, 11);
    const both = (s: number) => (s > 10 && s < 12 ? phrase(s) : clicks(s));
    const m = feed(20, both, () => -70).therapistTalkMs;
    expect(m).toBeGreaterThan(1800);
    expect(m).toBeLessThan(2300);
  });
});

describe('leak test against the other party, coupling learnt per call', () => {
  // A loud client (-15 dBFS) and a therapist 23 dB quieter who speaks alone and over the client; no echo at all.
  const client = speech(
    [
      [2, 15],
      [35, 55],
    ],
    -15,
    -65,
    5,
  );
  const therapist = speech(
    [
      [20, 30],
      [40, 50],
    ],
    -38,
    -60,
    6,
  );
  it("keeps the quiet party's double talk that a fixed -18 dB coupling would explain away", () => {
    const learnt = feed(60, therapist, client);
    expect(learnt.therapistTalkMs).toBeGreaterThan(19_000);
    expect(learnt.therapistTalkMs).toBeLessThan(21_000);
    const fixed = feed(60, therapist, client, { vad: { leakLearn: false } });
    expect(fixed.therapistTalkMs).toBeLessThan(16_000);
  });

  it('still takes a real echo (-22 dB, one frame late) for echo once the call has taught it', () => {
    let last = -65;
    const echoed = (s: number) => {
      const e = last - 22;
      last = client(s);
      return 10 * Math.log10(10 ** (-60 / 10) + 10 ** (e / 10));
    };
    const m = feed(60, echoed, client);
    expect(m.therapistTalkMs).toBeLessThan(500);
    expect(m.clientTalkMs).toBeGreaterThan(30_000);
  });
});

describe('double talk over a measured echo (leakOnsetDb, leakKeepDb)', () => {
  // A client at -20 dBFS from 6 s; its echo reaches the therapist's track 26 dB down, one frame late, over a steady
  // room at -60. From 30 s the therapist talks over the client in six 2 s stretches, 11 dB under the client.
  function tracks(seed: number, therapistTalks: boolean) {
    const client = speech([[6, 58]], -20, -65, seed + 100);
    const own = speech(
      Array.from({ length: 6 }, (_, k): [number, number] => [30 + k * 4, 32 + k * 4]),
      -31,
      -90,
      seed,
    );
    const c: number[] = [];
    const t: number[] = [];
    let last = -65;
    for (let f = 0; f < 60 * 50; f++) {
      const s = (f + 0.5) / 50;
      const echo = last - 26;
      last = client(s);
      const talking = therapistTalks && s >= 30 && s < 54 && (s - 30) % 4 < 2;
      const voice = talking ? own(s) : -200;
      c.push(last);
      t.push(10 * Math.log10(10 ** (-60 / 10) + 10 ** (echo / 10) + 10 ** (voice / 10)));
    }
    const at = (x: number[]) => (s: number) => x[Math.floor(s * 50)]!;
    return [at(t), at(c)] as const;
  }
  it('counts double talk that the full margins over the echo explain away, and still not the echo alone', () => {
    for (const seed of [22, 23, 24]) {
      const [t, c] = tracks(seed, true);
      const m = feed(60, t, c).therapistTalkMs;
      expect(m).toBeGreaterThan(10_500);
      expect(m).toBeLessThan(13_000);
      const full = feed(60, t, c, { vad: { leakOnsetDb: 12, leakKeepDb: 9 } }).therapistTalkMs;
      expect(full).toBeLessThan(m - 2000);
      const [echoOnly, c2] = tracks(seed, false);
      expect(feed(60, echoOnly, c2).therapistTalkMs).toBeLessThan(300);
    }
  });
});

describe('rise test: held speech keeps rising out of its dips, a reverberation tail does not', () => {
  it('a tail decaying 20 dB/s over a fan (4 dB of flutter) after each phrase does not extend it', () => {
    const phrases: [number, number][] = Array.from({ length: 10 }, (_, k) => [2 + k * 4, 3.5 + k * 4]);
    const room = () => {
      const own = speech(phrases, -22, -55, 31);
      const r = rng(32);
      return (s: number) => {
        const fan = -55 + r() * 4 - 2;
        const p = phrases.find(([, b]) => s >= b && s < b + 2);
        if (!p) return own(s);
        return 10 * Math.log10(10 ** (fan / 10) + 10 ** ((-24 - (s - p[1]) * 20) / 10));
      };
    };
    const quiet = () => -70;
    // 15 s of phrases; each keeps its 60 ms pads and at most a few hundred ms of tail.
    const risen = feed(45, room(), quiet).therapistTalkMs;
    expect(risen).toBeLessThan(15_000 + 10 * 600);
    const held = feed(45, room(), quiet, { vad: { riseDb: 0 } }).therapistTalkMs;
    expect(held - risen).toBeGreaterThan(10 * 400);
  });
});

describe('talker-level gate and reverberation tails', () => {
  it('background talk 14 dB under the client is not the client talking', () => {
    const r = rng(7);
    const own = speech(
      [
        [2, 8],
        [20, 26],
      ],
      -20,
      -60,
      8,
    );
    const withBabble = (s: number) => (s >= 10 && s < 18 ? -34 + r() * 8 - 4 : own(s));
    const quiet = () => -70;
    const gated = feed(30, quiet, withBabble);
    expect(gated.clientTalkMs).toBeLessThan(12_500);
    const open = feed(30, quiet, withBabble, { vad: { talkerRelDb: 0, modulationDb: 0, keepModulationDb: 0 } });
    expect(open.clientTalkMs).toBeGreaterThan(15_000);
  });

  it('a room tail decaying at 100 dB/s after each phrase does not extend it', () => {
    const phrases: [number, number][] = Array.from({ length: 10 }, (_, k) => [2 + k * 3, 3.5 + k * 3]);
    const reverberant = () => {
      const own = speech(phrases, -20, -65, 9);
      return (s: number) => {
        const p = phrases.find(([, b]) => s >= b && s < b + 1);
        return p ? Math.max(-65, -22 - (s - p[1]) * 100) : own(s);
      };
    };
    const quiet = () => -70;
    // 15 s of phrases, each with its 60 ms pads and the tail's first 120 ms, down to 20 dB under the talker.
    const trimmed = feed(35, reverberant(), quiet).therapistTalkMs;
    expect(trimmed).toBeLessThan(15_000 + 10 * 300);
    const untrimmed = feed(35, reverberant(), quiet, { vad: { tailDb: 0 } }).therapistTalkMs;
    expect(untrimmed - trimmed).toBeGreaterThan(10 * 100);
  });
});

describe('held speech at full voice (riseNearDb)', () => {
  it('a drawn-out vowel at the talker level holds without rising; without the rule it is cut after riseMs', () => {
    // Ten phrases of syllables, each ending on a 700 ms vowel held within 2 dB of the phrase's level, then silence.
    const r = rng(5);
    const phrases: [number, number][] = Array.from({ length: 10 }, (_, k) => [2 + k * 4, 3.5 + k * 4]);
    const syllables = speech(phrases, -20, -65, 6);
    const level = (s: number) => {
      const p = phrases.find(([, b]) => s >= b && s < b + 0.7);
      return p ? -18 + r() * 2 - 1 : syllables(s);
    };
    const quiet = () => -70;
    // 22 s of speech (10 × 2.2 s) and the pads; each vowel alone is 7 s of it.
    const held = feed(45, level, quiet).therapistTalkMs;
    expect(held).toBeGreaterThan(22_000);
    const cut = feed(45, level, quiet, { vad: { riseNearDb: 0 } }).therapistTalkMs;
    expect(held - cut).toBeGreaterThan(10 * 200);
  });
});

describe('modulation: one voice moves, background talk does not', () => {
  it('background talk swelling by 10 dB over a second, between the client turns, is not client talk', () => {
    const turns: [number, number][] = [
      [2, 8],
      [30, 36],
    ];
    const own = speech(turns, -20, -60, 11);
    // Several voices in the client's room from 10 to 26 s: a level between -30 and -20 dBFS that never pauses. It
    // moves by 10 dB over a second but only by 3 dB in 300 ms, where one voice rises out of its pauses by 15 dB.
    const swell = (s: number) => {
      const ph = (s % 2) / 2;
      return -30 + 10 * (ph < 0.5 ? 2 * ph : 2 - 2 * ph);
    };
    const client = (s: number) => (s >= 10 && s < 26 ? swell(s) : own(s));
    const quiet = () => -70;
    const on = feed(40, quiet, client);
    expect(on.clientTalkMs).toBeLessThan(12_000 + 1000);
    const off = feed(40, quiet, client, { vad: { modulationDb: 0, keepModulationDb: 0, riseDb: 0 } });
    expect(off.clientTalkMs).toBeGreaterThan(12_000 + 5000);
  });

  it('background talk that clears the floor margins does not clear its own usual level', () => {
    // A minute of background talk alone: a new level every 120 ms, anywhere from -38 to -26 dBFS. Its loud moments
    // stand 12 dB over its quiet ones (the floor); its usual level (the median) is 6 dB under them.
    const background = () => {
      const r = rng(5);
      let level = -38;
      let next = 0;
      return (s: number) => {
        if (s >= next) {
          level = -38 + r() * 12;
          next = s + 0.12;
        }
        return level;
      };
    };
    const quiet = () => -70;
    const gated = feed(60, quiet, background()).clientTalkMs;
    expect(gated).toBeLessThan(5000);
    // The modulation tests, once they have learnt how much this background moves, also refuse it; without them and
    // the background level, it is talk.
    const off = { bgOnsetDb: 0, bgKeepDb: 0, modulationDb: 0, keepModulationDb: 0 };
    const open = feed(60, quiet, background(), { vad: off }).clientTalkMs;
    expect(open).toBeGreaterThan(gated + 5000);
  });

  it('a party already talking when measuring starts is heard from the start (no background learnt from them)', () => {
    // The therapist talks 3 s of every 4 from the first frame, the client the remaining second: no quiet moment to
    // learn the background from until the fourth second.
    const syllables = (on: boolean, s: number) => (on ? (s % 0.26 < 0.2 ? -20 : -32) : -70);
    const m = feed(
      16,
      (s) => syllables(s % 4 < 3, s),
      (s) => syllables(s % 4 >= 3, s),
    );
    expect(m.therapistTalkMs).toBeGreaterThan(11_500);
    expect(m.clientTalkMs).toBeGreaterThan(3000);
  });

  it('a voice 12 dB over a steady fan is still heard whole', () => {
    const turns: [number, number][] = [
      [2, 10],
      [14, 22],
    ];
    const fan = (s: number) => -45 + Math.sin(s * 3) * 0.5;
    const voice = speech(turns, -33, -45, 13);
    const m = feed(
      25,
      () => -70,
      (s) => Math.max(fan(s), voice(s)),
    );
    expect(m.clientTalkMs).toBeGreaterThan(16_000 - 800);
    expect(m.clientTalkMs).toBeLessThan(16_000 + 800);
  });
});

describe('wider pads for a talker near the noise floor', () => {
  it("a voice 15 dB over a steady fan keeps its words' soft ends, which sink under the keep margin", () => {
    // Ten 2 s phrases, each ending in a soft 300 ms fall from -34 to -49 dBFS, over a fan at -45 (truth 23 s).
    const phrases: [number, number][] = Array.from({ length: 10 }, (_, k) => [5 + k * 4, 7 + k * 4]);
    const fan = (s: number) => -45 + Math.sin(s * 3) * 0.5;
    const voice = speech(phrases, -30, -45, 17);
    const client = (s: number) => {
      const p = phrases.find(([, b]) => s >= b && s < b + 0.3);
      return p ? Math.max(fan(s), -34 - (s - p[1]) * 50) : Math.max(fan(s), voice(s));
    };
    const truth = 23_000;
    const padded = feed(50, () => -70, client).clientTalkMs;
    const plain = feed(50, () => -70, client, { vad: { quietSnrDb: 0 } }).clientTalkMs;
    expect(Math.abs(padded - truth)).toBeLessThan(800);
    expect(truth - plain).toBeGreaterThan(1000);
  });

  it('a loud voice keeps the plain pads', () => {
    const phrases: [number, number][] = Array.from({ length: 10 }, (_, k) => [5 + k * 4, 7 + k * 4]);
    const voice = speech(phrases, -20, -60, 19);
    const padded = feed(50, () => -70, voice).clientTalkMs;
    const plain = feed(50, () => -70, voice, { vad: { quietSnrDb: 0 } }).clientTalkMs;
    expect(padded).toBe(plain);
  });
});

describe('talk is speech less the pauses the hangover bridges (talkPauseMs)', () => {
  const quiet = () => -70;
  // Ten 1.5 s phrases, each with a 240 ms pause at the fan's level in the middle: 12.6 s of speech. The therapist
  // turn holds through the pauses (and the 2.5 s between phrases).
  const phrases: [number, number][] = Array.from({ length: 10 }, (_, k) => [2 + k * 4, 3.5 + k * 4]);
  const spans = phrases.flatMap(([a, b]): [number, number][] => [
    [a, a + 0.63],
    [a + 0.87, b],
  ]);
  const level = () => speech(spans, -20, -60, 45);

  it('a pause the hangover bridges holds the turn but is not talk', () => {
    const split = feed(45, level(), quiet);
    const whole = feed(45, level(), quiet, { vad: { talkPauseMs: 0 } });
    expect(split.therapistTurns).toBe(whole.therapistTurns);
    expect(split.longestTherapistTurnMs).toBe(whole.longestTherapistTurnMs);
    // Each pause less its two 80 ms pads (the smoothing spreads the speech either side) is out of talk: 72 ms of 240.
    expect(whole.therapistTalkMs - split.therapistTalkMs).toBeGreaterThanOrEqual(10 * 60);
    expect(split.therapistTalkMs).toBeGreaterThan(12_600);
  });

  it('answers talkingAt finally after the lag: the same as after the whole call', () => {
    const lv = level();
    const pows = Array.from({ length: 45 * 50 }, (_, f) => 10 ** (lv((f + 0.5) / 50) / 10));
    const lag = RoleVad.lagMs(DEFAULT_VAD_OPTIONS, 20);
    const live = new RoleVad(DEFAULT_VAD_OPTIONS);
    const online: boolean[] = [];
    let paused = 0;
    let q = 0;
    pows.forEach((p, f) => {
      live.notePower(p);
      live.pushLevel((f + 1) * 20, 20, p, null);
      for (; q * 20 + 10 <= (f + 1) * 20 - lag; q++) {
        const speech = live.activeAt(q * 20 + 10);
        const talk = live.talkingAt(q * 20 + 10);
        online.push(talk);
        if (speech && !talk) paused++;
      }
    });
    const after = new RoleVad(DEFAULT_VAD_OPTIONS);
    pows.forEach((p, f) => {
      after.notePower(p);
      after.pushLevel((f + 1) * 20, 20, p, null);
    });
    after.flush();
    const offline = online.map((_, k) => after.talkingAt(k * 20 + 10));
    // Talk, and pauses inside speech that are not talk, both occur.
    expect(online.filter(Boolean).length).toBeGreaterThan(600);
    expect(paused).toBeGreaterThanOrEqual(10 * 2);
    expect(online).toEqual(offline);
  });
});
