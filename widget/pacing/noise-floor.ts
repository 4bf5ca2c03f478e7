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
 * O(1) per frame, no allocation.
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

  constructor(subWindowMs = 500, subWindows = 12, medianFrames = 5) {
    this.subWindowMs = subWindowMs;
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

  get floorDb(): number {
    return this.curMin < this.windowMin ? this.curMin : this.windowMin;
  }
}
