/**
 * Adaptive noise floor by minimum statistics: the floor is the lowest level seen over the last
 * `subWindows * subWindowMs` (default 6 s). Speech always has short gaps (between words, in stop closures),
 * so the minimum over a few seconds sits at the room noise even while someone talks, rises to a new noise
 * level within one window, and drops as soon as the level drops.
 *
 * The minimum is taken over a running median of `medianFrames` frames (default 5, about 100 ms), not over raw
 * frames: a lone near-silent frame or two (a capture device wrapping its source, a device switch, a packet-loss
 * fade, an unmute) would otherwise hold the floor far below the room for a whole window, and the room's noise
 * would count as speech. A genuinely quieter room lowers the floor once it lasts more than half the median.
 * A level that stays steady (within `steadyDb` over `steadyFrames` frames of the running median) is noise, not
 * speech: speech always moves by more than that within a second. The floor is then lifted to it at once, so a
 * gain that creeps up during a long silence (an AGC looking for speech) or a fan that swells is followed at
 * once rather than a whole window late. The lift drops with the level.
 * O(1) per frame (a short ring of steadiness samples), no allocation.
 */
export class NoiseFloor {
  readonly subWindowMs: number;
  private readonly mins: Float64Array;
  private idx = 0;
  private filled = 0;
  private subStart = Number.NaN;
  private curMin = Number.POSITIVE_INFINITY;
  private windowMin = Number.POSITIVE_INFINITY;
  /** The last medianFrames frame levels (a ring) and a scratch copy to sort. */
  private readonly recent: Float64Array;
  private readonly sorted: Float64Array;
  private recentIdx = 0;
  private recentLen = 0;
  /** Running-median levels of the last steadyFrames frames, for the steadiness test. */
  private readonly steady: Float64Array;
  private steadyIdx = 0;
  private steadyLen = 0;
  private readonly steadyDb: number;
  private lift = Number.NEGATIVE_INFINITY;

  constructor(subWindowMs = 500, subWindows = 12, medianFrames = 5, steadyFrames = 0, steadyDb = 4) {
    this.subWindowMs = subWindowMs;
    this.steady = new Float64Array(Math.max(0, Math.floor(steadyFrames)));
    this.steadyDb = steadyDb;
    this.mins = new Float64Array(subWindows).fill(Number.POSITIVE_INFINITY);
    const m = Math.max(1, Math.floor(medianFrames) | 1);
    this.recent = new Float64Array(m);
    this.sorted = new Float64Array(m);
  }

  /** Median of the recent frames (of the frames so far, at the start). */
  private median(db: number): number {
    const r = this.recent;
    r[this.recentIdx] = db;
    this.recentIdx = (this.recentIdx + 1) % r.length;
    if (this.recentLen < r.length) this.recentLen++;
    const n = this.recentLen;
    const s = this.sorted;
    // Insertion sort of at most a handful of values.
    for (let i = 0; i < n; i++) {
      const x = r[i]!;
      let j = i - 1;
      while (j >= 0 && s[j]! > x) {
        s[j + 1] = s[j]!;
        j--;
      }
      s[j + 1] = x;
    }
    return s[(n - 1) >> 1]!;
  }

  /** Feeds one frame level (dB) ending at tMs; returns the current floor in dB. */
  update(db: number, tMs: number): number {
    const level = this.median(db);
    this.noteSteady(level);
    if (Number.isNaN(this.subStart)) this.subStart = tMs;
    if (level < this.curMin) this.curMin = level;
    if (tMs - this.subStart >= this.subWindowMs) {
      this.mins[this.idx] = this.curMin;
      this.idx = (this.idx + 1) % this.mins.length;
      if (this.filled < this.mins.length) this.filled++;
      this.curMin = Number.POSITIVE_INFINITY;
      this.subStart = tMs;
      let m = Number.POSITIVE_INFINITY;
      for (let i = 0; i < this.mins.length; i++) if (this.mins[i]! < m) m = this.mins[i]!;
      this.windowMin = m;
    }
    return this.floorDb;
  }

  private noteSteady(level: number): void {
    if (level < this.lift) this.lift = level;
    const r = this.steady;
    if (r.length === 0) return;
    r[this.steadyIdx] = level;
    this.steadyIdx = (this.steadyIdx + 1) % r.length;
    if (this.steadyLen < r.length) {
      this.steadyLen++;
      return;
    }
    let lo = r[0]!;
    let hi = lo;
    for (let i = 1; i < r.length; i++) {
      const x = r[i]!;
      if (x < lo) lo = x;
      else if (x > hi) hi = x;
    }
    if (hi - lo <= this.steadyDb && lo > this.lift) this.lift = lo;
  }

  get floorDb(): number {
    const m = Math.min(this.curMin, this.windowMin);
    return Math.max(this.lift, m);
  }
}
