import type { CueKind, CueSettings } from '../schemas/pacing.ts';
import type { Conversation } from './conversation.ts';

/** Wording keys of the cues; the widget maps them to localized text (CUE_TEXT_EN is the English default). */
export type CueKey =
  | 'balance.leaveRoom'
  | 'monologue.pause'
  | 'overlap.space'
  | 'time.minutesLeft'
  | 'time.ratingReserve'
  | 'time.overrun';

export interface Cue {
  kind: CueKind;
  key: CueKey;
  /** When the cue was raised, in the caller's frame clock (ms). */
  atMs: number;
  /** When the widget should hide it (atMs + autoHideSeconds). */
  hideAtMs: number;
  /**
   * For time.minutesLeft: the whole minutes actually left when the cue was raised (rounded up), fixed then. It
   * is the mark itself (10, 5) unless the mark passed earlier, in the quiet start: a 10-minute mark shown at
   * 5:40 left says 6. Otherwise null.
   */
  minutesLeft: number | null;
  /** For time.minutesLeft: the configured mark that was crossed (e.g. 10); otherwise null. */
  markMinutes?: number | null;
}

/** Calm, short, second-person English wording; `{minutes}` is replaced by minutesLeft. */
export const CUE_TEXT_EN: Record<CueKey, string> = {
  'balance.leaveRoom': 'You have been doing most of the talking lately. There may be room for your client.',
  'monologue.pause': 'A pause here could invite your client in.',
  'overlap.space': 'You have been speaking at the same time a few times. A little more space may help.',
  'time.minutesLeft': '{minutes} minutes left.',
  'time.ratingReserve': 'Time to wrap up and leave a few minutes for the rating.',
  'time.overrun': 'The session is past its scheduled end.',
};

/** After a balance cue, the rolling share must drop this far below the threshold before it can cue again. */
const BALANCE_REARM = 0.05;
/** A balance cue needs at least this much talk in its window: a mostly silent window says nothing. */
const BALANCE_MIN_TALK_MS = 60_000;

/**
 * The cue policy (thresholds in CueSettings, defaults in schemas/pacing.ts DEFAULT_CUE_SETTINGS): a balance cue when
 * the therapist's share of the last balanceWindowSeconds of talk is above balanceShareAbove (60% of 5 minutes); a
 * monologue cue when one therapist turn passes monologueSeconds (90 s); an overlap cue at overlapCount overlaps within
 * overlapWindowSeconds (3 in 2 minutes); time cues at timeLeftMinutes (10 and 5), at ratingReserveMinutes (keep 3 for
 * the rating) and on overrun. Silence is measured, never cued. Conversational cues (balance, monologue, overlap)
 * never come in the quiet start (quietStartSeconds, 5 minutes) and never within minGapSeconds (3 minutes) of any
 * earlier cue. Time cues are tied to the schedule: they also
 * wait for the quiet start, but not for the gap (the defaults put the 5-minute cue and the 3-minute
 * rating reserve 2 minutes apart, so a strict gap would always swallow the reserve); if several time
 * thresholds are due at once only the most urgent shows. Priority: time, monologue, overlap, balance.
 */
export class CuePolicy {
  readonly settings: CueSettings;
  private readonly thresholdMs: Float64Array;
  private readonly thresholdKey: CueKey[];
  private readonly thresholdMinutes: Float64Array;
  private readonly consumed: Uint8Array;
  private lastCueMs = Number.NEGATIVE_INFINITY;
  private cuedTurnStartMs = Number.NaN;
  private overlapResetMs = Number.NEGATIVE_INFINITY;
  private balanceArmed = true;
  count = 0;

  constructor(settings: CueSettings) {
    this.settings = settings;
    const marks = new Map<number, CueKey>();
    for (const m of settings.timeLeftMinutes) if (m > 0) marks.set(m, 'time.minutesLeft');
    if (settings.ratingReserveMinutes > 0) marks.set(settings.ratingReserveMinutes, 'time.ratingReserve');
    const sorted = [...marks.keys()].sort((a, b) => b - a);
    // Overrun last: remaining < 0.
    this.thresholdMs = new Float64Array(sorted.length + 1);
    this.thresholdMinutes = new Float64Array(sorted.length + 1);
    this.thresholdKey = [];
    sorted.forEach((m, i) => {
      this.thresholdMs[i] = m * 60_000;
      this.thresholdMinutes[i] = m;
      this.thresholdKey.push(marks.get(m)!);
    });
    this.thresholdMs[sorted.length] = 0;
    this.thresholdKey.push('time.overrun');
    this.consumed = new Uint8Array(sorted.length + 1);
  }

  /**
   * Decides whether a cue is due now. sessionMs is the time since the session started, remainingMs the
   * time to the scheduled end (null without a schedule), frameMs the caller's clock for atMs/hideAtMs.
   */
  evaluate(frameMs: number, sessionMs: number, remainingMs: number | null, conv: Conversation): Cue | null {
    const s = this.settings;
    const rollingShare = conv.rolling.share();
    if (!this.balanceArmed && (rollingShare === null || rollingShare < s.balanceShareAbove - BALANCE_REARM)) {
      this.balanceArmed = true;
    }
    if (sessionMs < s.quietStartSeconds * 1000) return null;

    if (remainingMs !== null) {
      let due = -1;
      for (let i = 0; i < this.thresholdMs.length; i++) {
        const last = i === this.thresholdMs.length - 1;
        const crossed = last ? remainingMs < 0 : remainingMs <= this.thresholdMs[i]!;
        if (crossed && !this.consumed[i]) due = i;
      }
      if (due >= 0) {
        for (let i = 0; i <= due; i++) this.consumed[i] = 1;
        const key = this.thresholdKey[due]!;
        if (key !== 'time.minutesLeft') return this.emit('time', key, frameMs, null, sessionMs);
        const mark = this.thresholdMinutes[due]!;
        const left = Math.min(mark, Math.max(1, Math.ceil(remainingMs / 60_000)));
        return this.emit('time', key, frameMs, left, sessionMs, mark);
      }
    }

    if (sessionMs - this.lastCueMs < s.minGapSeconds * 1000) return null;

    const t = conv.therapist;
    if (t.open && t.currentMs() >= s.monologueSeconds * 1000 && t.startMs !== this.cuedTurnStartMs) {
      this.cuedTurnStartMs = t.startMs;
      return this.emit('monologue', 'monologue.pause', frameMs, null, sessionMs);
    }
    const since = Math.max(sessionMs - s.overlapWindowSeconds * 1000, this.overlapResetMs);
    if (s.overlapCount > 0 && conv.overlapEvents.countAfter(since) >= s.overlapCount) {
      this.overlapResetMs = sessionMs;
      return this.emit('overlap', 'overlap.space', frameMs, null, sessionMs);
    }
    if (
      this.balanceArmed &&
      rollingShare !== null &&
      rollingShare > s.balanceShareAbove &&
      conv.rolling.therapistMs + conv.rolling.clientMs >= BALANCE_MIN_TALK_MS
    ) {
      this.balanceArmed = false;
      return this.emit('balance', 'balance.leaveRoom', frameMs, null, sessionMs);
    }
    return null;
  }

  /** Every cue, time cues included, starts the gap for conversational cues. */
  private emit(
    kind: CueKind,
    key: CueKey,
    frameMs: number,
    minutesLeft: number | null,
    sessionMs: number,
    markMinutes: number | null = null,
  ): Cue {
    this.count++;
    this.lastCueMs = sessionMs;
    return {
      kind,
      key,
      atMs: frameMs,
      hideAtMs: frameMs + this.settings.autoHideSeconds * 1000,
      minutesLeft,
      markMinutes,
    };
  }
}
