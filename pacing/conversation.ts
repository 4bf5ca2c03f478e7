import { EventWindow, RollingTalk } from './rolling.ts';

/** How speech of two roles becomes turns, overlaps and silences. */
export interface ConversationOptions {
  /** Simultaneous speech shorter than this is a backchannel ("mm", "yes"), not an overlap. */
  minOverlapMs: number;
  /** A pause with nobody speaking counts as a silence from this length. */
  minSilenceMs: number;
  /** A turn ends when its speaker pauses longer than this... */
  turnPauseMs: number;
  /** ...or when the other speaks alone for this long (shorter replies are backchannels inside the turn). */
  takeoverMs: number;
  /** Window of the rolling share (seconds). */
  shareWindowSeconds: number;
}

export const DEFAULT_CONVERSATION_OPTIONS: ConversationOptions = {
  minOverlapMs: 700,
  minSilenceMs: 2000,
  turnPauseMs: 3000,
  takeoverMs: 1000,
  shareWindowSeconds: 300,
};

/**
 * Turn tracking of one role. A turn holds through its speaker's pauses up to turnPauseMs and through the
 * other's backchannels; it ends when the other takes the floor: speaks alone for takeoverMs, or starts
 * while this speaker is silent and keeps talking for takeoverMs (even if this speaker comes back in).
 */
class Turns {
  open = false;
  startMs = 0;
  lastEndMs = 0;
  count = 0;
  private closedLongestMs = 0;
  private counted = false;
  private otherAloneMs = 0;
  private otherRunMs = 0;
  private otherRunTakesFloor = false;
  /** This speaker's last end when the other's floor-taking run began, and when this speaker came back in. */
  private endBeforeRunMs = 0;
  private resumedMs = Number.NaN;

  advance(startMs: number, dtMs: number, self: boolean, other: boolean, turnPauseMs: number, takeoverMs: number): void {
    const end = startMs + dtMs;
    if (other) {
      if (this.otherRunMs === 0) {
        this.otherRunTakesFloor = !self;
        this.endBeforeRunMs = this.lastEndMs;
        this.resumedMs = Number.NaN;
      }
      this.otherRunMs += dtMs;
      if (self && this.otherRunTakesFloor && Number.isNaN(this.resumedMs)) this.resumedMs = startMs;
    } else {
      this.otherRunMs = 0;
    }
    this.otherAloneMs = other && !self ? this.otherAloneMs + dtMs : 0;
    if (this.open) {
      const silentBefore = this.lastEndMs < startMs;
      const floorTaken = this.otherRunTakesFloor && this.otherRunMs >= takeoverMs;
      if (silentBefore && (this.otherAloneMs >= takeoverMs || floorTaken || end - this.lastEndMs > turnPauseMs)) {
        this.close(this.lastEndMs);
      } else if (floorTaken && !Number.isNaN(this.resumedMs) && this.startMs < this.resumedMs) {
        // This speaker came back in over the other's new turn: their turn ended before it; a new one began on return.
        this.close(this.endBeforeRunMs);
        this.open = true;
        this.counted = false;
        this.startMs = this.resumedMs;
      }
    }
    if (self) {
      if (!this.open) {
        this.open = true;
        this.counted = false;
        this.startMs = startMs;
      }
      this.lastEndMs = end;
      // A turn counts once it outlasts a backchannel ("mm", "yes" are not turns).
      if (!this.counted && end - this.startMs >= takeoverMs) {
        this.counted = true;
        this.count++;
      }
    }
  }

  private close(endMs: number): void {
    this.open = false;
    const len = endMs - this.startMs;
    if (len > this.closedLongestMs) this.closedLongestMs = len;
  }

  currentMs(): number {
    return this.open ? this.lastEndMs - this.startMs : 0;
  }

  get longestMs(): number {
    const cur = this.currentMs();
    return Math.max(cur, this.closedLongestMs);
  }
}

/**
 * Streaming conversation metrics from per-interval speech states of both roles. Times are ms from the
 * session's start. O(1) per interval, no allocation.
 */
export class Conversation {
  readonly opts: ConversationOptions;
  readonly therapist = new Turns();
  readonly client = new Turns();
  readonly rolling: RollingTalk;
  readonly overlapEvents = new EventWindow(32);
  /** End of the processed timeline (ms from session start). */
  nowMs = 0;
  therapistTalkMs = 0;
  clientTalkMs = 0;
  overlapMs = 0;
  overlapCount = 0;
  silenceMs = 0;
  silenceCount = 0;
  longestSilenceMs = 0;
  therapistSpeaking = false;
  clientSpeaking = false;
  private curOverlapMs = 0;
  private curSilenceMs = 0;

  constructor(opts: ConversationOptions) {
    this.opts = opts;
    this.rolling = new RollingTalk(opts.shareWindowSeconds);
  }

  /**
   * The interval [startMs, startMs + dtMs) had these speech states (t, c: turns, overlaps, silences) and talk states
   * (tTalk, cTalk: talk time and shares; speech less the pauses inside it, by default the speech states).
   */
  advance(startMs: number, dtMs: number, t: boolean, c: boolean, tTalk = t, cTalk = c): void {
    const o = this.opts;
    this.nowMs = startMs + dtMs;
    this.therapistSpeaking = t;
    this.clientSpeaking = c;
    if (tTalk) this.therapistTalkMs += dtMs;
    if (cTalk) this.clientTalkMs += dtMs;
    this.rolling.add(startMs, tTalk ? dtMs : 0, cTalk ? dtMs : 0);

    if (t && c) {
      const before = this.curOverlapMs;
      this.curOverlapMs += dtMs;
      if (before < o.minOverlapMs && this.curOverlapMs >= o.minOverlapMs) {
        this.overlapCount++;
        this.overlapMs += this.curOverlapMs;
        this.overlapEvents.push(this.nowMs);
      } else if (before >= o.minOverlapMs) {
        this.overlapMs += dtMs;
      }
    } else {
      this.curOverlapMs = 0;
    }

    if (!t && !c) {
      const before = this.curSilenceMs;
      this.curSilenceMs += dtMs;
      if (before < o.minSilenceMs && this.curSilenceMs >= o.minSilenceMs) {
        this.silenceCount++;
        this.silenceMs += this.curSilenceMs;
      } else if (before >= o.minSilenceMs) {
        this.silenceMs += dtMs;
      }
      if (this.curSilenceMs >= o.minSilenceMs && this.curSilenceMs > this.longestSilenceMs) {
        this.longestSilenceMs = this.curSilenceMs;
      }
    } else {
      this.curSilenceMs = 0;
    }

    this.therapist.advance(startMs, dtMs, t, c, o.turnPauseMs, o.takeoverMs);
    this.client.advance(startMs, dtMs, c, t, o.turnPauseMs, o.takeoverMs);
  }

  /** Therapist share of all talk so far, or null before anyone spoke. */
  share(): number | null {
    const total = this.therapistTalkMs + this.clientTalkMs;
    return total > 0 ? this.therapistTalkMs / total : null;
  }
}
