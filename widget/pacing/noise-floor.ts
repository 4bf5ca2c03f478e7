/**
 * Adaptive noise floor by minimum statistics: the floor is the lowest frame level seen over the last
 * `subWindows * subWindowMs` (default 6 s). Speech always has short gaps (between words, in stop closures),
 * so the minimum over a few seconds sits at the room noise even while someone talks, rises to a new noise
 * level within one window, and drops at once when the level drops. O(1) per frame, no allocation.
 */
export class NoiseFloor {
  readonly subWindowMs: number;
  private readonly mins: Float64Array;
  private idx = 0;
  private filled = 0;
  private subStart = Number.NaN;
  private curMin = Number.POSITIVE_INFINITY;
  private windowMin = Number.POSITIVE_INFINITY;

  constructor(subWindowMs = 500, subWindows = 12) {
    this.subWindowMs = subWindowMs;
    this.mins = new Float64Array(subWindows).fill(Number.POSITIVE_INFINITY);
  }

  /** Feeds one frame level (dB) ending at tMs; returns the current floor in dB. */
  update(db: number, tMs: number): number {
    if (Number.isNaN(this.subStart)) this.subStart = tMs;
    if (db < this.curMin) this.curMin = db;
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
