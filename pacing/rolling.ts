/**
 * Talk time per role over a sliding window, in 1 s buckets (a ring of windowSeconds buckets), so the
 * rolling share costs O(1) per frame and no allocation however long the session.
 */
export class RollingTalk {
  private readonly t: Float64Array;
  private readonly c: Float64Array;
  private bucket = -1;
  therapistMs = 0;
  clientMs = 0;

  constructor(windowSeconds: number) {
    const n = Math.max(1, Math.round(windowSeconds));
    this.t = new Float64Array(n);
    this.c = new Float64Array(n);
  }

  /** Adds talk of an interval starting at startMs (relative to session start). */
  add(startMs: number, therapistMs: number, clientMs: number): void {
    const b = Math.floor(startMs / 1000);
    const n = this.t.length;
    if (this.bucket < 0) this.bucket = b;
    if (b > this.bucket) {
      const steps = Math.min(b - this.bucket, n);
      for (let k = 1; k <= steps; k++) {
        const i = (this.bucket + k) % n;
        this.therapistMs -= this.t[i]!;
        this.clientMs -= this.c[i]!;
        this.t[i] = 0;
        this.c[i] = 0;
      }
      this.bucket = b;
    }
    const i = this.bucket % n;
    this.t[i] = this.t[i]! + therapistMs;
    this.c[i] = this.c[i]! + clientMs;
    this.therapistMs += therapistMs;
    this.clientMs += clientMs;
  }

  /** Therapist share of talk in the window, or null when nobody talked. */
  share(): number | null {
    const total = this.therapistMs + this.clientMs;
    return total > 0 ? this.therapistMs / total : null;
  }
}

/** Times of recent events in a fixed ring (the newest `capacity` are kept), counted over a window. */
export class EventWindow {
  private readonly times: Float64Array;
  private idx = 0;
  private len = 0;

  constructor(capacity = 32) {
    this.times = new Float64Array(capacity);
  }

  push(tMs: number): void {
    this.times[this.idx] = tMs;
    this.idx = (this.idx + 1) % this.times.length;
    if (this.len < this.times.length) this.len++;
  }

  /** Events strictly after sinceMs. */
  countAfter(sinceMs: number): number {
    let n = 0;
    for (let k = 0; k < this.len; k++) if (this.times[k]! > sinceMs) n++;
    return n;
  }
}
