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
   * Worst coupling of the other speaker into this role's track through imperfect echo cancellation (dB).
   * A frame is explained by leakage when its power is within onsetDb of floor + coupling * other's power.
   * Residual echo is typically -20 to -30 dB; -18 leaves a margin.
   */
  leakCouplingDb: number;
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
  bridgeMs: 300,
  minSpeechMs: 100,
  padMs: 30,
  leakCouplingDb: -18,
  leakWindowMs: 60,
  smoothMs: 60,
  floorMedianFrames: 5,
  floorBiasDb: 1.5,
};

const SEGMENT_QUEUE = 16;

/**
 * Voice activity of one role. Raw frame decisions (level vs adaptive floor plus the other role's leakage)
 * are closed into segments with a hangover (`bridgeMs`) and a minimum length. Decisions are final after
 * `lagMs()`; `activeAt(m)` answers for any time at least that far in the past. Speaking-only sources
 * (booleans) use the same segment machine with no bridging, so the timeline downstream is uniform.
 */
export class RoleVad {
  readonly floor: NoiseFloor;
  private readonly floorBiasDb: number;
  private readonly onsetRatio: number;
  private readonly keepRatio: number;
  private readonly absMinPow: number;
  private readonly leakGain: number;
  private readonly bridgeMs: number;
  private readonly minSpeechMs: number;
  private readonly padMs: number;
  private pad = 0;
  /** Recent raw powers of this role (for the other role's leakage test). */
  private readonly recentPow: Float64Array;
  private recentIdx = 0;
  private readonly smoothFrames: number;

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
  /** Last raw decision, for tests and the strip's "speaking now" dot. */
  rawActive = false;

  constructor(opts: VadOptions, speakingOnly = false, frameMs = 20) {
    this.floor = new NoiseFloor(500, 12, opts.floorMedianFrames);
    this.floorBiasDb = opts.floorBiasDb;
    this.onsetRatio = 10 ** (opts.onsetDb / 10);
    this.keepRatio = 10 ** (opts.keepDb / 10);
    this.absMinPow = 10 ** (opts.absoluteMinDb / 10);
    this.leakGain = 10 ** (opts.leakCouplingDb / 10);
    this.bridgeMs = speakingOnly ? 0 : opts.bridgeMs;
    this.minSpeechMs = speakingOnly ? 0 : opts.minSpeechMs;
    this.padMs = opts.padMs;
    this.smoothFrames = RoleVad.framesFor(opts.smoothMs, frameMs);
    this.recentPow = new Float64Array(Math.max(RoleVad.framesFor(opts.leakWindowMs, frameMs), this.smoothFrames));
  }

  /** Records this frame's power so the other role can test leakage against it. Call before `push*` of either role. */
  notePower(pow: number): void {
    this.recentPow[this.recentIdx] = pow;
    this.recentIdx = (this.recentIdx + 1) % this.recentPow.length;
  }

  /** Max power of this role over the last few frames. */
  recentMaxPow(): number {
    let m = 0;
    for (let i = 0; i < this.recentPow.length; i++) if (this.recentPow[i]! > m) m = this.recentPow[i]!;
    return m;
  }

  /** Whole frames covering ms at the nominal frame period (1 to 16). */
  static framesFor(ms: number, frameMs: number): number {
    return Math.min(16, Math.max(1, Math.round(ms / frameMs)));
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
   * to notePower. otherMaxPow is the other role's recentMaxPow() (0 when it has no level source).
   */
  pushLevel(tMs: number, dtMs: number, framePow: number, otherMaxPow: number): void {
    const pow = this.smoothedPow();
    const db = 10 * Math.log10(framePow + 1e-12);
    // Digital silence (muted track, no source yet) is not room noise: a floor learnt from it would make the
    // room's noise look like speech for a whole window after unmuting.
    const floorDb = (framePow > this.absMinPow ? this.floor.update(db, tMs) : this.floor.floorDb) - this.floorBiasDb;
    const explained = 10 ** (floorDb / 10) + this.leakGain * otherMaxPow;
    const ratio = this.open && tMs - dtMs - this.lastRaw <= this.bridgeMs ? this.keepRatio : this.onsetRatio;
    this.endTrimMs = (this.smoothFrames - 1) * dtMs;
    this.pad = this.padMs;
    this.step(tMs, dtMs, pow > this.absMinPow && pow > ratio * explained);
  }

  /** One frame of a speaking flag covering [tMs - dtMs, tMs). */
  pushSpeaking(tMs: number, dtMs: number, speaking: boolean): void {
    this.endTrimMs = 0;
    this.pad = 0;
    this.step(tMs, dtMs, speaking);
  }

  private step(tMs: number, dtMs: number, raw: boolean): void {
    this.rawActive = raw;
    if (this.open && tMs - dtMs - this.lastRaw > this.bridgeMs) this.close();
    if (raw) {
      if (!this.open) {
        this.open = true;
        this.segStart = tMs - dtMs - this.pad;
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

  /** Whether time m is speech. Final only for m older than the lag; call with non-decreasing m. */
  activeAt(m: number): boolean {
    while (this.qLen > 0 && this.qEnd[this.qHead]! <= m) {
      this.qHead = (this.qHead + 1) % SEGMENT_QUEUE;
      this.qLen--;
    }
    if (this.qLen > 0 && this.qStart[this.qHead]! <= m) return true;
    return this.open && this.segStart <= m && m < this.lastEnd;
  }

  /** How far behind the newest frame decisions become final. */
  static lagMs(opts: VadOptions, frameMs: number): number {
    return opts.bridgeMs + opts.minSpeechMs + opts.padMs + (RoleVad.framesFor(opts.smoothMs, frameMs) + 1) * frameMs;
  }
}
