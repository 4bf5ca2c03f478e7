import { NoiseFloor } from './noise-floor.ts';

/** Tunables of the per-role voice activity detector. Defaults suit 10–20 ms RMS frames of a call's audio. */
export interface VadOptions {
  /** A frame starts speech when its power exceeds what noise and leakage explain by this much (dB). */
  onsetDb: number;
  /** Inside a speech segment, frames stay speech down to this margin (dB): hysteresis. */
  keepDb: number;
  /** Frames quieter than this are never speech, whatever the floor (dBFS): digital silence, dither. */
  absoluteMinDb: number;
  /** Gaps of non-speech shorter than this are bridged (hangover), so word gaps do not split a phrase. */
  bridgeMs: number;
  /** Segments shorter than this are dropped: clicks, bumps, a cough's tail. */
  minSpeechMs: number;
  /** Level segments are widened by this much on each side: soft onsets and word tails sink under the noise. */
  padMs: number;
  /**
   * Coupling of the other speaker into this role's track through imperfect echo cancellation (dB), before the
   * call's own coupling is learnt (leakLearn). A frame is explained by leakage when its power is within onsetDb
   * of floor + coupling * the other's speech power (its power above its own noise floor).
   * Residual echo is typically -20 to -30 dB; -18 leaves a margin.
   */
  leakCouplingDb: number;
  /**
   * Learn the coupling per call and direction: while the other speaks, a low quantile of (this track's power
   * above its floor) / (the other's speech power) is the echo that reaches this track when this role is silent.
   */
  leakLearn: boolean;
  /** Added to the learnt coupling (dB): echo varies with what is said and while cancellation adapts. */
  leakMarginDb: number;
  /** A level steady to within this (dB) for steadyMs is noise (a creeping gain, a fan): the floor lifts to it. */
  steadyDb: number;
  steadyMs: number;
  /**
   * Speech starts only when frames over the onset margin fill onsetMinMs of the last onsetWindowMs (each frame
   * judged alone, not smoothed): a syllable does, a key click or a tap (one or two frames) does not.
   */
  onsetWindowMs: number;
  onsetMinMs: number;
  /**
   * Onset frames must also come within this much (dB) of the talker's own usual speech level (a high quantile
   * of the levels in their speech): background talk, a TV or a second room sits well under the person at the
   * microphone even when it clears the noise floor. 0 turns the test off.
   */
  talkerRelDb: number;
  /**
   * Inside speech, frames more than this (dB) under the talker's usual level do not hold the segment open: a
   * room's reverberation tail, decaying after the last word, is not talk. 0 turns the test off.
   */
  tailDb: number;
  /**
   * Onsets need the level to have moved over the last MOD_ONSET_MS (max less min of the three-frame median) by this
   * much (dB) more than the background itself moves (bgModulationDb, learnt while nobody speaks). One voice at the
   * microphone rises out of its own pauses by 15 dB or more within half a second; background talk of several voices
   * (babble, a TV, a second room) fills the pauses of each other and moves by 5 to 10 dB, a fan by 1 or 2. 0: off.
   */
  modulationDb: number;
  /**
   * Inside speech, frames hold the segment only while the level moved over the last MOD_KEEP_MS by this much
   * (dB) more than the background moves: after the last word, background talk that clears the keep margin no longer
   * holds the segment open. 0 turns the test off, as by default: the rise test (riseDb) covers it and, measured on
   * the realistic set, does better alone.
   */
  keepModulationDb: number;
  /**
   * Onset frames must also clear the background's usual level (bgLevelDb) by this much (dB), and held speech by
   * bgKeepDb: background talk that clears the margins over its own quietest moments (the floor) does not clear its
   * own median. A steady noise's median sits just over its floor, so there the floor's margins decide. 0: off.
   */
  bgOnsetDb: number;
  bgKeepDb: number;
  /**
   * A talker less than this (dB) over the noise floor (talkerDb less the floor) loses the soft starts and ends of
   * words under the noise, more the nearer the floor: the segment's pads grow by QUIET_PAD_MS_PER_DB for each dB
   * under it, up to QUIET_PAD_MAX_MS. Only against a steady background (a fan, hum: background modulation at
   * most QUIET_BG_MOD_DB) learnt for QUIET_BG_MS: background talk already holds segments open. 0 turns it off.
   */
  quietSnrDb: number;

  /**
   * Margins (dB) over the other party's expected echo (the learnt coupling plus leakMarginDb, times the other's
   * speech), for onsets and held speech, in place of onsetDb and keepDb for that part: the coupling is measured, and
   * leakMarginDb already covers how much echo varies, so the full margin on top of it took double talk (one party
   * starting over the other) for echo. Used only over a steady background (background modulation at most
   * LEAK_BG_MOD_DB, learnt for QUIET_BG_MS): with background talk in the track, the learnt coupling also soaks up
   * the background talk that goes on while the other speaks, and the full margins keep that out.
   */
  leakOnsetDb: number;
  leakKeepDb: number;
  /**
   * Held speech needs the level (three-frame median) to have risen by this much (dB) from a lower point within the
   * last riseMs: syllables rise out of the dips between them several times a second, while a room's reverberation
   * after the last word only decays (with a dB or two of noise on it), however slowly. 0 turns the test off.
   */
  riseDb: number;
  riseMs: number;
  /**
   * Held speech within this much (dB) of the talker's usual level also holds for another riseMs after the rise test
   * last passed: a long vowel or slow speech at full voice need not rise within riseMs, while a room's tail has sunk
   * well under the talker by then. This lets riseMs be short enough to end tails early; the time limit keeps out
   * background talk at the talker's own level, which swells slowly and never passes the rise test. 0 turns it off.
   */
  riseNearDb: number;
  /**
   * The pauses the hangover bridges hold a segment open, so turns and overlaps are judged on whole phrases; but a
   * pause is not talk, and counting it made talk time run long against the dry speech (BENCHMARKS.md). A gap between
   * the padded speech either side of it of at least this much (ms) is out of talk; shorter ones are dips between
   * syllables and words. 0: every pause the hangover bridges is talk.
   */
  talkPauseMs: number;
  /** Echo path delay covered by comparing with the other role's max over its recent frames (ms). */
  leakWindowMs: number;
  /** Decisions use the mean power over this much recent audio (ms): noise fluctuates less, speech hardly changes. */
  smoothMs: number;
  /** The noise floor tracks the minimum of a running median over this many frames, so lone dips are ignored. */
  floorMedianFrames: number;
  /**
   * The minimum of a median sits this much above the minimum of raw frames (dB); subtracted so the onset
   * margin keeps its meaning against the room's quieter moments.
   */
  floorBiasDb: number;
}

export const DEFAULT_VAD_OPTIONS: VadOptions = {
  onsetDb: 12,
  keepDb: 9,
  absoluteMinDb: -72,
  bridgeMs: 250,
  minSpeechMs: 100,
  padMs: 80,
  leakCouplingDb: -18,
  leakLearn: true,
  leakMarginDb: 6,
  steadyDb: 4,
  steadyMs: 1000,
  onsetWindowMs: 100,
  onsetMinMs: 80,
  talkerRelDb: 10,
  tailDb: 20,
  modulationDb: 4,
  keepModulationDb: 0,
  bgOnsetDb: 6,
  bgKeepDb: 4,
  quietSnrDb: 22,
  leakOnsetDb: 6,
  leakKeepDb: 3,
  riseDb: 5,
  riseMs: 400,
  riseNearDb: 6,
  talkPauseMs: 60,
  leakWindowMs: 160,
  smoothMs: 60,
  floorMedianFrames: 5,
  floorBiasDb: 1.5,
};

const SEGMENT_QUEUE = 16;
/** The windows of the onset and held-speech modulation tests (ms). */
const MOD_ONSET_MS = 500;
const MOD_KEEP_MS = 300;
/** The background modulation's quantile step (dB a frame; up and down alike: the median) and its ceiling (dB). */
const BG_STEP = 0.02;
const BG_MAX = 8;
/** The background level's quantile step (dB a frame; up and down alike: the median). */
const BG_LEVEL_STEP = 0.05;
/**
 * For its first BG_FAST_MS of learning the background moves faster: its modulation BG_FAST_MOD times, its level
 * BG_FAST_LEVEL times the usual step. At the usual steps background talk takes most of a minute of pauses to be
 * learnt (its modulation climbs 1 dB a second of pauses), and until then it starts false phrases.
 */
const BG_FAST_MS = 5000;
const BG_FAST_MOD = 4;
const BG_FAST_LEVEL = 2;
/** Background modulation and level are learnt only this long (ms) after either role last spoke. */
const BG_QUIET_MS = 300;
/** The quiet talker's pads (quietSnrDb). */
const QUIET_PAD_MS_PER_DB = 30;
const QUIET_PAD_MAX_MS = 150;
const QUIET_BG_MOD_DB = 4;
const QUIET_BG_MS = 3000;
/**
 * The reduced echo margins (leakOnsetDb, leakKeepDb) apply over a background that moves at most this much (dB),
 * once learnt long enough to have reached it: the background modulation starts at 0 and climbs BG_STEP a frame, so
 * it cannot show background talk (5–10 dB) before LEAK_BG_MOD_DB / BG_STEP frames (5 s of 20 ms frames).
 */
const LEAK_BG_MOD_DB = 5;

/**
 * Voice activity of one role. Raw frame decisions (level vs adaptive floor plus the other role's leakage)
 * are closed into segments with a hangover (`bridgeMs`) and a minimum length. Decisions are final after
 * `lagMs()`; `activeAt(m)` answers for any time at least that far in the past. Speaking flags (booleans) use the
 * same segment machine (with no bridging when the role is speaking-only), so the timeline downstream is uniform.
 */
export class RoleVad {
  readonly floor: NoiseFloor;
  private readonly floorBiasDb: number;
  private readonly onsetRatio: number;
  private readonly keepRatio: number;
  private readonly leakOnsetRatio: number;
  private readonly leakKeepRatio: number;
  /** How long the background must have been learnt before the reduced echo margins apply (ms; LEAK_BG_MOD_DB). */
  private readonly leakBgMs: number;
  private readonly absMinPow: number;
  private leakGain: number;
  private readonly leakLearn: boolean;
  private readonly leakMarginDb: number;
  /** The learnt coupling never exceeds leakCouplingDb: the other may talk over this role most of the time. */
  private readonly leakCeilingDb: number;
  /** Learnt coupling quantile (dB) per echo delay (frames), the frames each has seen, the other's recent speech. */
  private readonly lagCouplingDb: Float64Array;
  private readonly lagFrames: Float64Array;
  private readonly otherSpeech: Float64Array;
  private readonly bridgeMs: number;
  private readonly minSpeechMs: number;
  private readonly padMs: number;
  private pad = 0;
  /** Recent raw powers of this role (for the other role's leakage test). */
  private readonly recentPow: Float64Array;
  private recentIdx = 0;
  private readonly smoothFrames: number;
  /** Onset test: per-frame hits and frame start times over the last onsetWindowMs. */
  private readonly hitAt: Float64Array;
  private readonly hitMin: number;
  private hitIdx = 0;
  /** The talker's usual speech level (dB, about the 80th percentile of frames in speech); -Infinity until heard. */
  talkerDb = Number.NEGATIVE_INFINITY;
  private readonly talkerRelDb: number;
  private readonly tailDb: number;
  /** Three-frame median levels (dB) of the longest of the modulation and rise windows, for those tests. */
  private readonly modRing: Float64Array;
  private modIdx = 0;
  private readonly keepModFrames: number;
  private readonly onsetModFrames: number;
  private readonly riseFrames: number;
  /** The options (the background tests read theirs from here). */
  private readonly o: VadOptions;
  /**
   * How much the background itself moves (dB: the median of the keep window's modulation while nobody speaks,
   * at most BG_MAX): a fan or hum hardly, background talk by 5 to 10 dB. The modulation tests are margins over it.
   * Capped, and learnt from the median rather than a high quantile: speech the detector misses also feeds it, and
   * a higher bar would then miss more.
   */
  bgModulationDb = 0;
  /**
   * The background's usual level (dB: the median of the three-frame median level while nobody speaks); -Infinity
   * until learnt. The floor is the background's minimum, which for a fan is within a few dB of its usual level but
   * for background talk 8 to 10 dB under it.
   */
  bgLevelDb = Number.NEGATIVE_INFINITY;
  /** How long the background tests have learnt (ms). */
  private bgMs = 0;

  /** When the rise test last passed (riseNearDb). */
  private lastRiseMs = Number.NEGATIVE_INFINITY;
  private open = false;
  private segStart = 0;
  private lastRaw = 0;
  /** lastRaw less the smoothing's spread: a pulse smoothed over n frames outlasts itself by n - 1 frames. */
  private lastEnd = 0;
  private endTrimMs = 0;
  private readonly qStart = new Float64Array(SEGMENT_QUEUE);
  private readonly qEnd = new Float64Array(SEGMENT_QUEUE);
  private qHead = 0;
  private qLen = 0;
  /** The pauses inside segments that are not talk (talkPauseMs), oldest first. */
  private readonly hStart = new Float64Array(SEGMENT_QUEUE);
  private readonly hEnd = new Float64Array(SEGMENT_QUEUE);
  private hHead = 0;
  private hLen = 0;
  /** Last raw decision, for tests and the strip's "speaking now" dot. */
  rawActive = false;

  constructor(opts: VadOptions, speakingOnly = false, frameMs = 20) {
    this.floor = new NoiseFloor(500, 12, opts.floorMedianFrames, Math.round(opts.steadyMs / frameMs), opts.steadyDb);
    this.floorBiasDb = opts.floorBiasDb;
    this.onsetRatio = 10 ** (opts.onsetDb / 10);

    this.keepRatio = 10 ** (opts.keepDb / 10);
    this.leakOnsetRatio = 10 ** (opts.leakOnsetDb / 10);
    this.leakKeepRatio = 10 ** (opts.leakKeepDb / 10);
    this.leakBgMs = (LEAK_BG_MOD_DB / BG_STEP) * frameMs;
    this.absMinPow = 10 ** (opts.absoluteMinDb / 10);
    this.leakGain = 10 ** (opts.leakCouplingDb / 10);
    this.leakLearn = opts.leakLearn;
    this.leakMarginDb = opts.leakMarginDb;
    this.leakCeilingDb = opts.leakCouplingDb;
    this.bridgeMs = speakingOnly ? 0 : opts.bridgeMs;
    this.minSpeechMs = speakingOnly ? 0 : opts.minSpeechMs;
    this.padMs = opts.padMs;
    this.smoothFrames = RoleVad.framesFor(opts.smoothMs, frameMs);
    this.hitAt = new Float64Array(RoleVad.framesFor(opts.onsetWindowMs, frameMs)).fill(Number.NaN);
    this.talkerRelDb = opts.talkerRelDb;
    this.tailDb = opts.tailDb;
    this.o = opts;
    this.keepModFrames = Math.max(1, Math.round(MOD_KEEP_MS / frameMs));
    this.onsetModFrames = Math.max(1, Math.round(MOD_ONSET_MS / frameMs));
    this.riseFrames = Math.max(1, Math.round(opts.riseMs / frameMs));
    this.modRing = new Float64Array(Math.max(this.keepModFrames, this.onsetModFrames, this.riseFrames)).fill(
      Number.NaN,
    );
    this.hitMin = Math.min(this.hitAt.length, RoleVad.framesFor(opts.onsetMinMs, frameMs));
    this.recentPow = new Float64Array(Math.max(RoleVad.framesFor(opts.leakWindowMs, frameMs), this.smoothFrames));
    const lags = this.recentPow.length;
    this.lagCouplingDb = new Float64Array(lags).fill(opts.leakCouplingDb - opts.leakMarginDb);
    this.lagFrames = new Float64Array(lags);
    this.otherSpeech = new Float64Array(lags);
  }

  /** Records this frame's power so the other role can test leakage against it. Call before `push*` of either role. */
  notePower(pow: number): void {
    this.recentPow[this.recentIdx] = pow;
    this.recentIdx = (this.recentIdx + 1) % this.recentPow.length;
  }

  /** This role's noise floor as power (linear). */
  floorPow(): number {
    return 10 ** ((this.floor.floorDb - this.floorBiasDb) / 10);
  }

  /** This role's speech power k frames ago (0: the newest): its power less the noise floor (0 when below it). */
  speechPowAgo(k: number, floorPow: number): number {
    const n = this.recentPow.length;
    const p = this.recentPow[(this.recentIdx - 1 - k + 2 * n) % n]! - floorPow;
    return Math.max(p, 0);
  }

  /** Whole frames covering ms at the nominal frame period (1 to 16). */
  static framesFor(ms: number, frameMs: number): number {
    return Math.min(16, Math.max(1, Math.round(ms / frameMs)));
  }

  /** Median power of the last three frames: a lone click frame does not hold speech open. */
  private medianPow3(): number {
    const n = this.recentPow.length;
    const a = this.recentPow[(this.recentIdx - 1 + n) % n]!;
    const b = this.recentPow[(this.recentIdx - 2 + n) % n]!;
    const c = this.recentPow[(this.recentIdx - 3 + 2 * n) % n]!;
    return a > b ? (b > c ? b : Math.min(a, c)) : a > c ? a : Math.min(b, c);
  }

  /**
   * Max less min (dB) of the three-frame median levels over the newest `frames` frames, the max taken with `db` too
   * (the frame itself: a median lags a rise by a frame, and onsets are judged per frame).
   */
  private modulation(frames: number, db: number): number {
    const r = this.modRing;
    const n = r.length;
    let hi = db;
    let lo = Number.POSITIVE_INFINITY;
    for (let k = 1; k <= frames; k++) {
      const x = r[(this.modIdx - k + n) % n]!;
      if (x > hi) hi = x;
      if (x < lo) lo = x;
    }
    // NaN (not yet filled) compares false both ways: the window then covers the frames seen so far.
    return hi - lo;
  }

  /** The largest rise (dB) of the three-frame median level over the newest `frames` frames: a level less the lowest before it. */
  private rise(frames: number): number {
    const r = this.modRing;
    const n = r.length;
    let lo = Number.POSITIVE_INFINITY;
    let best = 0;
    for (let k = frames; k >= 1; k--) {
      const x = r[(this.modIdx - k + n) % n]!;
      if (x < lo) lo = x;
      else if (x - lo > best) best = x - lo;
    }
    return best;
  }

  /** Whether the level rose by riseDb within riseMs; notes when it last did. */
  private risen(tMs: number): boolean {
    if (this.rise(this.riseFrames) < this.o.riseDb) return false;
    this.lastRiseMs = tMs;
    return true;
  }

  /** Mean power of this role over its smoothing frames (smoothMs; call notePower first). */
  smoothedPow(): number {
    const n = this.recentPow.length;
    let sum = 0;
    for (let k = 1; k <= this.smoothFrames; k++) sum += this.recentPow[(this.recentIdx - k + n) % n]!;
    return sum / this.smoothFrames;
  }

  /**
   * One level frame covering [tMs - dtMs, tMs): power is RMS squared (linear, full scale = 1), already passed
   * to notePower. other is the other role's detector when it has a level source (its speech may leak in here).
   */
  pushLevel(tMs: number, dtMs: number, framePow: number, other: RoleVad | null): void {
    const pow = this.smoothedPow();
    const db = 10 * Math.log10(framePow + 1e-12);
    // Digital silence (muted track, no source yet) is not room noise: a floor learnt from it would make the
    // room's noise look like speech for a whole window after unmuting.
    const floorDb = (framePow > this.absMinPow ? this.floor.update(db, tMs) : this.floor.floorDb) - this.floorBiasDb;
    const floorPow = 10 ** (floorDb / 10);
    const heldPow = this.medianPow3();
    this.modRing[this.modIdx] = 10 * Math.log10(Math.max(heldPow, this.absMinPow));
    this.modIdx = (this.modIdx + 1) % this.modRing.length;
    const leak = other ? this.leakGain * this.otherLeak(other, pow - floorPow) : 0;
    const steadyBg = this.bgMs >= this.leakBgMs && this.bgModulationDb <= LEAK_BG_MOD_DB;
    const onsetBar = this.onsetRatio * floorPow + (steadyBg ? this.leakOnsetRatio : this.onsetRatio) * leak;
    const keepBar = this.keepRatio * floorPow + (steadyBg ? this.leakKeepRatio : this.keepRatio) * leak;
    this.endTrimMs = (this.smoothFrames - 1) * dtMs;
    this.pad = this.padMs;
    const quiet = this.o.quietSnrDb - this.talkerDb + floorDb;
    // Not before the talker is heard (-Infinity: quiet is Infinity).
    if (
      quiet > 0 &&
      quiet < Number.POSITIVE_INFINITY &&
      this.bgMs >= QUIET_BG_MS &&
      this.bgModulationDb <= QUIET_BG_MOD_DB
    )
      this.pad += Math.min(QUIET_PAD_MAX_MS, quiet * QUIET_PAD_MS_PER_DB);
    const hit =
      framePow > this.absMinPow &&
      framePow > onsetBar &&
      (this.o.bgOnsetDb === 0 || db > this.bgLevelDb + this.o.bgOnsetDb) &&
      (this.talkerRelDb === 0 || db > this.talkerDb - this.talkerRelDb) &&
      (this.o.modulationDb === 0 ||
        this.modulation(this.onsetModFrames, db) >= this.bgModulationDb + this.o.modulationDb);
    this.hitAt[this.hitIdx] = hit ? tMs - dtMs : Number.NaN;
    this.hitIdx = (this.hitIdx + 1) % this.hitAt.length;
    if (this.open && tMs - dtMs - this.lastRaw <= this.bridgeMs) {
      const held = heldPow;
      const keep =
        held > this.absMinPow &&
        held > keepBar &&
        (this.o.bgKeepDb === 0 || 10 * Math.log10(held + 1e-12) > this.bgLevelDb + this.o.bgKeepDb) &&
        (this.o.keepModulationDb === 0 ||
          this.modulation(this.keepModFrames, Number.NEGATIVE_INFINITY) >=
            this.bgModulationDb + this.o.keepModulationDb) &&
        (this.o.riseDb === 0 ||
          this.risen(tMs) ||
          (this.o.riseNearDb > 0 &&
            tMs - this.lastRiseMs <= this.o.riseMs &&
            10 * Math.log10(held) > this.talkerDb - this.o.riseNearDb));
      if (keep) this.noteTalker(db);
      this.step(tMs, dtMs, keep && (this.tailDb === 0 || 10 * Math.log10(pow) > this.talkerDb - this.tailDb));
      return;
    }
    // Learnt only while neither role has spoken for a while (BG_QUIET_MS): the other's echo in this track moves with
    // the other's speech, and a room's reverberation decays for a few hundred ms after the last word.
    const hd = this.modRing[(this.modIdx - 1 + this.modRing.length) % this.modRing.length]!;
    if (
      !this.open &&
      tMs - this.lastRaw > BG_QUIET_MS &&
      !(other && (other.open || tMs - other.lastRaw <= BG_QUIET_MS))
    ) {
      const fast = this.bgMs < BG_FAST_MS;
      // Started at the floor, not at the first frame: a party already talking when measuring starts is not yet
      // known as speech, and a first frame of their voice would be taken for the background and lock them out.
      if (this.bgLevelDb === Number.NEGATIVE_INFINITY)
        this.bgLevelDb = Number.isFinite(floorDb) ? Math.min(floorDb, hd) : hd;
      else this.bgLevelDb += (hd > this.bgLevelDb ? BG_LEVEL_STEP : -BG_LEVEL_STEP) * (fast ? BG_FAST_LEVEL : 1);
      this.bgMs += dtMs;
      const m = this.modulation(this.keepModFrames, Number.NEGATIVE_INFINITY);
      const b = this.bgModulationDb + (m > this.bgModulationDb ? BG_STEP : -BG_STEP) * (fast ? BG_FAST_MOD : 1);
      this.bgModulationDb = Math.min(BG_MAX, Math.max(0, b));
    }
    let hits = 0;
    let first = tMs - dtMs;
    for (let i = 0; i < this.hitAt.length; i++) {
      const a = this.hitAt[i]!;
      if (!Number.isNaN(a)) {
        hits++;
        if (a < first) first = a;
      }
    }
    this.step(tMs, dtMs, hits >= this.hitMin, first);
  }

  /**
   * The other's speech power that may have leaked into this frame. Without learning: its max over the leak
   * window. With learning, each echo delay (0 to the window, in frames) has its own coupling estimate; the
   * delay whose coupling is highest is the echo path, and the leak is the other's speech around that delay.
   */
  private otherLeak(other: RoleVad, excess: number): number {
    const sp = this.otherSpeech;
    const n = sp.length;
    const oFloor = other.floorPow();
    for (let k = 0; k < n; k++) sp[k] = other.speechPowAgo(k, oFloor);
    if (!this.leakLearn) {
      let m = 0;
      for (let k = 0; k < n; k++) if (sp[k]! > m) m = sp[k]!;
      return m;
    }
    const ex = 10 * Math.log10(Math.max(excess, 1e-12));
    let best = 0;
    for (let k = 0; k < n; k++) {
      // Only frames where the other clearly speaks (15 dB over its floor) teach the coupling.
      if (sp[k]! > 30 * oFloor) this.learnCoupling(k, ex - 10 * Math.log10(sp[k]!));
      if (this.lagCouplingDb[k]! > this.lagCouplingDb[best]!) best = k;
    }
    const g = this.lagCouplingDb[best]! + this.leakMarginDb;
    this.leakGain = 10 ** (Math.min(g, this.leakCeilingDb) / 10);
    let m = sp[best]!;
    if (best > 0 && sp[best - 1]! > m) m = sp[best - 1]!;
    if (best + 1 < n && sp[best + 1]! > m) m = sp[best + 1]!;
    return m;
  }

  /** The talker's level: quantile tracking (up 0.4, down 0.1 dB a frame: the 80th percentile), first frame as is. */
  private noteTalker(db: number): void {
    if (this.talkerDb === Number.NEGATIVE_INFINITY) this.talkerDb = db;
    else this.talkerDb += db > this.talkerDb ? 0.4 : -0.1;
  }

  /**
   * Quantile tracking in dB: up 0.05, down 0.2 settles at the 20th percentile; four times faster at first. Not
   * upwards while this role is in speech: double talk (a quiet party talking over a loud one) is not echo.
   */
  private learnCoupling(lag: number, x: number): void {
    const up = x > this.lagCouplingDb[lag]!;
    if (up && this.open) return;
    const k = this.lagFrames[lag]! < 250 ? 4 : 1;
    this.lagFrames[lag] = this.lagFrames[lag]! + 1;
    let c = this.lagCouplingDb[lag]! + (up ? 0.05 * k : -0.2 * k);
    if (c < -60) c = -60;
    else if (c > this.leakCeilingDb) c = this.leakCeilingDb;
    this.lagCouplingDb[lag] = c;
  }

  /** One frame of a speaking flag covering [tMs - dtMs, tMs). */
  pushSpeaking(tMs: number, dtMs: number, speaking: boolean): void {
    this.endTrimMs = 0;
    this.pad = 0;
    // A frame without a level: onset hits and levels from before it must not count once levels come back.
    this.hitAt[this.hitIdx] = Number.NaN;
    this.hitIdx = (this.hitIdx + 1) % this.hitAt.length;
    this.modRing[this.modIdx] = Number.NaN;
    this.modIdx = (this.modIdx + 1) % this.modRing.length;
    this.step(tMs, dtMs, speaking);
  }

  private step(tMs: number, dtMs: number, raw: boolean, startMs = tMs - dtMs): void {
    this.rawActive = raw;
    if (this.open && tMs - dtMs - this.lastRaw > this.bridgeMs) this.close();
    if (raw) {
      if (!this.open) {
        this.open = true;
        this.segStart = startMs - this.pad;
      } else if (this.o.talkPauseMs > 0 && startMs - this.pad >= this.lastEnd + this.o.talkPauseMs) {
        this.addHole(this.lastEnd, startMs - this.pad);
      }
      this.lastRaw = tMs;
      this.lastEnd = Math.max(this.segStart, tMs - this.endTrimMs + this.pad);
    } else if (this.open && tMs - this.lastRaw > this.bridgeMs) {
      this.close();
    }
  }

  /** Closes any open segment (end of session). */
  flush(): void {
    if (this.open) this.close();
  }

  private close(): void {
    this.open = false;
    if (this.lastEnd - this.segStart - 2 * this.pad < this.minSpeechMs) return;
    if (this.qLen === SEGMENT_QUEUE) {
      this.qHead = (this.qHead + 1) % SEGMENT_QUEUE;
      this.qLen--;
    }
    const i = (this.qHead + this.qLen) % SEGMENT_QUEUE;
    this.qStart[i] = this.segStart;
    this.qEnd[i] = this.lastEnd;
    this.qLen++;
  }

  /** A full queue drops its oldest pause: it then counts as talk, as with talkPauseMs 0. */
  private addHole(start: number, end: number): void {
    if (this.hLen === SEGMENT_QUEUE) {
      this.hHead = (this.hHead + 1) % SEGMENT_QUEUE;
      this.hLen--;
    }
    const i = (this.hHead + this.hLen) % SEGMENT_QUEUE;
    this.hStart[i] = start;
    this.hEnd[i] = end;
    this.hLen++;
  }

  /**
   * Whether time m is speech: inside a segment (turns, overlaps and silences are judged on these). Final only for m
   * older than the lag; call with non-decreasing m.
   */
  activeAt(m: number): boolean {
    while (this.qLen > 0 && this.qEnd[this.qHead]! <= m) {
      this.qHead = (this.qHead + 1) % SEGMENT_QUEUE;
      this.qLen--;
    }
    if (this.qLen > 0 && this.qStart[this.qHead]! <= m) return true;
    return this.open && this.segStart <= m && m < this.lastEnd;
  }

  /**
   * Whether time m is talk: speech less the pauses the hangover bridges (talkPauseMs). Final for m older than the
   * lag, as activeAt: a pause is known once speech resumes, but until then m is before it (an open segment reaches
   * past the lag). Call with non-decreasing m (after activeAt, if both, for the same m).
   */
  talkingAt(m: number): boolean {
    if (!this.activeAt(m)) return false;
    while (this.hLen > 0 && this.hEnd[this.hHead]! <= m) {
      this.hHead = (this.hHead + 1) % SEGMENT_QUEUE;
      this.hLen--;
    }
    return !(this.hLen > 0 && this.hStart[this.hHead]! <= m);
  }

  /** How far behind the newest frame decisions become final. */
  static lagMs(opts: VadOptions, frameMs: number): number {
    return opts.bridgeMs + opts.minSpeechMs + opts.padMs + (RoleVad.framesFor(opts.smoothMs, frameMs) + 1) * frameMs;
  }
}
