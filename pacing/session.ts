import { DEFAULT_CUE_SETTINGS, type CueSettings, type PacingAggregates } from '../schemas/pacing.ts';
import { Conversation, DEFAULT_CONVERSATION_OPTIONS, type ConversationOptions } from './conversation.ts';
import { CuePolicy, type Cue } from './cue-rules.ts';
import { DEFAULT_VAD_OPTIONS, RoleVad, type VadOptions } from './vad.ts';

/**
 * What a role's numbers mean: 'level' RMS or audio level (linear, 0..1 of full scale); 'speaking' an already
 * smoothed speaking flag (LiveKit isSpeaking; >= 0.5 is speaking), taken as is; 'activity' raw per-frame
 * decisions of another detector (e.g. a neural VAD), smoothed with the same hangover and minimum length as levels.
 */
export type SourceKind = 'level' | 'speaking' | 'activity';

export interface PacingSessionOptions {
  /** Scheduled start and end, epoch seconds (GET /v1/context `schedule`); null or absent: no time cues. */
  schedule?: { start: number; end: number } | null;
  /** Cue thresholds; missing fields take DEFAULT_CUE_SETTINGS. */
  cues?: Partial<CueSettings>;
  /** Wall clock in epoch ms, read once at the first frame to place frame times against the schedule. */
  now?: () => number;
  /** Source kind per role for pushFrame and pushSpeaking (pushMixed decides per frame); default 'level' for both. */
  sources?: { therapist?: SourceKind; client?: SourceKind };
  /** Nominal frame period (ms) assumed for the first frame; default 20. */
  frameMs?: number;
  vad?: Partial<VadOptions>;
  conversation?: Partial<ConversationOptions>;
}

/** Live metrics for the pacing strip. Durations in ms; speech decisions lag the newest frame by `lagMs`. */
export interface PacingSnapshot {
  elapsedMs: number;
  /** Until the scheduled end (negative when overrunning); null without a schedule. */
  remainingMs: number | null;
  therapistTalkMs: number;
  clientTalkMs: number;
  /** Therapist share of all talk (0..1), null before anyone spoke. */
  therapistShare: number | null;
  /** Over the last balanceWindowSeconds (default 5 minutes). */
  rollingTherapistShare: number | null;
  currentTherapistTurnMs: number;
  longestTherapistTurnMs: number;
  therapistTurns: number;
  clientTurns: number;
  overlapCount: number;
  overlapMs: number;
  silenceCount: number;
  silenceMs: number;
  longestSilenceMs: number;
  /** Speech at the end of the processed timeline (lagMs behind the newest frame): what the metrics count. */
  therapistSpeaking: boolean;
  clientSpeaking: boolean;
  /** The newest frame's raw decision, without the lag (for a live "speaking" dot; may flicker). */
  therapistVoiceNow: boolean;
  clientVoiceNow: boolean;
  /** The cue on screen now (until hideAtMs or dismissCue()), or null. */
  cue: Cue | null;
  cuesShown: number;
  lagMs: number;
}

export interface PacingSession {
  /** One frame of both roles at tMs (any monotonic ms clock, e.g. performance.now()), covering [previous tMs, tMs). */
  pushFrame(tMs: number, therapist: number, client: number): void;
  /** Same as pushFrame, for level sources: linear RMS or RTCRtpSynchronizationSource.audioLevel (0..1). */
  pushLevels(tMs: number, therapistLevel: number, clientLevel: number): void;
  /** Same as pushFrame, for speaking flags (e.g. LiveKit isSpeaking); call on a steady timer, not only on events. */
  pushSpeaking(tMs: number, therapistSpeaking: boolean, clientSpeaking: boolean): void;
  /**
   * One frame whose source kind is decided per role and per frame (a live call's sources come and go): a number is
   * a level as in pushLevels, a boolean a speaking flag, whatever `sources` says. A flag is taken as is but through
   * the level detector's hangover and minimum length (bridgeMs, minSpeechMs) unless `sources` makes the role
   * 'speaking'; `sources` also sets lagMs: leave them at 'level' when levels may come.
   */
  pushMixed(tMs: number, therapist: number | boolean, client: number | boolean): void;
  snapshot(): PacingSnapshot;
  /** The newly raised cue, once; null if none is new. */
  takeCue(): Cue | null;
  /** The therapist dismissed the visible cue. */
  dismissCue(): void;
  /** Ends the session (drains the lag) at tMs or the last frame; later frames are ignored. Idempotent. */
  end(tMs?: number): void;
  /** Ends the session if needed and returns what is posted to POST /v1/session/pacing. */
  aggregates(): PacingAggregates;
  readonly lagMs: number;
}

/**
 * One role's detector and the kind of its newest frame. A live call's sources come and go, so the kind may change
 * from frame to frame: levels go through the level tests, flags and decisions are taken as they are (through the
 * same hangover and minimum length unless the role was created as 'speaking'). Both roles are noted before either
 * is pushed: the leak test reads the other's newest power.
 */
class RoleInput {
  readonly vad: RoleVad;
  kind: SourceKind = 'level';
  /** The newest frame's value as noted: its power for a level (the level squared), else the decision (>= 0.5). */
  private x = 0;

  constructor(opts: VadOptions, speakingOnly: boolean, frameMs: number) {
    this.vad = new RoleVad(opts, speakingOnly, frameMs);
  }

  note(kind: SourceKind, x: number): void {
    this.kind = kind;
    const level = kind === 'level' ? Math.max(x, 0) : 0;
    this.x = kind === 'level' ? level * level : x;
    this.vad.notePower(level * level);
  }

  /** The frame noted; the leak test only between two levels (a flag says nothing of what leaks into the other). */
  push(tMs: number, dtMs: number, other: RoleInput): void {
    if (this.kind !== 'level') this.vad.pushSpeaking(tMs, dtMs, this.x >= 0.5);
    else this.vad.pushLevel(tMs, dtMs, this.x, other.kind === 'level' ? other.vad : null);
  }
}

/** Longer frame gaps (throttled timers, a stalled tab) are counted as silence beyond this. */
const MAX_FRAME_MS = 1000;
/** Cue rules are evaluated at this period of the timeline, not every frame. */
const CUE_EVAL_MS = 250;

/**
 * The session state lives in class fields, not closure variables: V8 keeps double fields in place, while a
 * double in a closure's context is re-boxed on every write (an allocation per frame).
 */
class Session implements PacingSession {
  readonly lagMs: number;
  private readonly frameMs: number;
  private readonly tKind: SourceKind;
  private readonly cKind: SourceKind;
  private readonly t: RoleInput;
  private readonly c: RoleInput;
  private readonly conv: Conversation;
  private readonly policy: CuePolicy;
  private readonly now: () => number;
  private readonly schedEndEpochMs: number;
  private readonly hasSchedule: boolean;
  private started = false;
  private ended = false;
  /** Frame clock at the session's start. */
  private t0 = 0;
  private lastT = 0;
  /** epoch ms = frame ms + wallOffset */
  private wallOffset = 0;
  /** The timeline is processed up to this frame time. */
  private processedTo = 0;
  private nextCueEval = 0;
  private pending: Cue | null = null;
  private visible: Cue | null = null;

  constructor(options: PacingSessionOptions) {
    const cueSettings: CueSettings = { ...DEFAULT_CUE_SETTINGS, ...options.cues };
    const vadOpts: VadOptions = { ...DEFAULT_VAD_OPTIONS, ...options.vad };
    const convOpts: ConversationOptions = {
      ...DEFAULT_CONVERSATION_OPTIONS,
      shareWindowSeconds: cueSettings.balanceWindowSeconds,
      ...options.conversation,
    };
    this.frameMs = options.frameMs ?? 20;
    this.tKind = options.sources?.therapist ?? 'level';
    this.cKind = options.sources?.client ?? 'level';
    // minOverlapMs and takeoverMs are lengths of real speech, judged on measured segments. A level source's segments
    // carry padMs at each end but lose soft starts and ends under the margins: a lone short reply measures about half
    // a pad longer than it is (median +40 ms with 80 ms pads over the realistic set's replies of 0.5-1.5 s), and so
    // does an overlap, whose ends are one role's start and the other's end.
    if (this.tKind === 'level' || this.cKind === 'level') {
      convOpts.minOverlapMs += vadOpts.padMs / 2;
      convOpts.takeoverMs += vadOpts.padMs / 2;
    }
    this.t = new RoleInput(vadOpts, this.tKind === 'speaking', this.frameMs);
    this.c = new RoleInput(vadOpts, this.cKind === 'speaking', this.frameMs);
    this.lagMs = this.tKind !== 'speaking' || this.cKind !== 'speaking' ? RoleVad.lagMs(vadOpts, this.frameMs) : 0;
    this.conv = new Conversation(convOpts);
    this.policy = new CuePolicy(cueSettings);
    this.now = options.now ?? Date.now;
    this.hasSchedule = !!options.schedule;
    this.schedEndEpochMs = options.schedule ? options.schedule.end * 1000 : 0;
  }

  private remainingAt(frameT: number): number | null {
    return this.hasSchedule ? this.schedEndEpochMs - (frameT + this.wallOffset) : null;
  }

  /** Runs the conversation from processedTo up to `to` (frame clock), in steps no longer than maxStep. */
  private advanceTo(to: number, maxStep: number): void {
    while (this.processedTo < to) {
      const step = Math.min(to - this.processedTo, maxStep);
      const mid = this.processedTo + step / 2;
      const t = this.t.vad;
      const c = this.c.vad;
      this.conv.advance(
        this.processedTo - this.t0,
        step,
        t.activeAt(mid),
        c.activeAt(mid),
        t.talkingAt(mid),
        c.talkingAt(mid),
      );
      this.processedTo += step;
      if (this.processedTo >= this.nextCueEval) {
        this.nextCueEval = this.processedTo + CUE_EVAL_MS;
        const cue = this.policy.evaluate(
          this.processedTo,
          this.processedTo - this.t0,
          this.remainingAt(this.processedTo),
          this.conv,
        );
        if (cue) {
          this.pending = cue;
          this.visible = cue;
        }
      }
    }
  }

  pushFrame(tMs: number, therapist: number, client: number): void {
    this.frame(tMs, this.tKind, therapist, this.cKind, client);
  }

  pushLevels(tMs: number, therapistLevel: number, clientLevel: number): void {
    this.frame(tMs, 'level', therapistLevel, 'level', clientLevel);
  }

  pushSpeaking(tMs: number, therapistSpeaking: boolean, clientSpeaking: boolean): void {
    this.frame(tMs, this.tKind, +therapistSpeaking, this.cKind, +clientSpeaking);
  }

  pushMixed(tMs: number, therapist: number | boolean, client: number | boolean): void {
    this.frame(
      tMs,
      typeof therapist === 'boolean' ? 'speaking' : 'level',
      +therapist,
      typeof client === 'boolean' ? 'speaking' : 'level',
      +client,
    );
  }

  /** One frame; a role's value is a level ('level') or a decision, >= 0.5 speaking ('activity', 'speaking'). */
  private frame(tMs: number, tKind: SourceKind, therapist: number, cKind: SourceKind, client: number): void {
    if (this.ended || !Number.isFinite(tMs)) return;
    let dt: number;
    if (!this.started) {
      this.started = true;
      this.t0 = tMs - this.frameMs;
      this.processedTo = this.t0;
      this.nextCueEval = this.t0;
      this.wallOffset = this.now() - tMs;
      dt = this.frameMs;
    } else {
      dt = tMs - this.lastT;
      if (dt <= 0) return;
    }
    this.lastT = tMs;
    if (dt > MAX_FRAME_MS) {
      // A hole: nobody is known to speak in it. Close segments before it, then feed a normal-length frame.
      this.t.vad.pushSpeaking(tMs - this.frameMs, dt - this.frameMs, false);
      this.c.vad.pushSpeaking(tMs - this.frameMs, dt - this.frameMs, false);
      dt = this.frameMs;
    }
    this.t.note(tKind, therapist);
    this.c.note(cKind, client);
    this.t.push(tMs, dt, this.c);
    this.c.push(tMs, dt, this.t);
    this.advanceTo(tMs - this.lagMs, MAX_FRAME_MS);
  }

  end(tMs?: number): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.started) return;
    const to = tMs !== undefined && tMs > this.lastT ? tMs : this.lastT;
    this.t.vad.flush();
    this.c.vad.flush();
    this.advanceTo(to, this.frameMs);
  }

  snapshot(): PacingSnapshot {
    const conv = this.conv;
    if (this.visible && this.lastT >= this.visible.hideAtMs) this.visible = null;
    return {
      elapsedMs: this.started ? this.lastT - this.t0 : 0,
      remainingMs: this.started
        ? this.remainingAt(this.lastT)
        : this.hasSchedule
          ? this.schedEndEpochMs - this.now()
          : null,
      therapistTalkMs: conv.therapistTalkMs,
      clientTalkMs: conv.clientTalkMs,
      therapistShare: conv.share(),
      rollingTherapistShare: conv.rolling.share(),
      currentTherapistTurnMs: conv.therapist.currentMs(),
      longestTherapistTurnMs: conv.therapist.longestMs,
      therapistTurns: conv.therapist.count,
      clientTurns: conv.client.count,
      overlapCount: conv.overlapCount,
      overlapMs: conv.overlapMs,
      silenceCount: conv.silenceCount,
      silenceMs: conv.silenceMs,
      longestSilenceMs: conv.longestSilenceMs,
      therapistSpeaking: conv.therapistSpeaking,
      clientSpeaking: conv.clientSpeaking,
      therapistVoiceNow: this.t.vad.rawActive,
      clientVoiceNow: this.c.vad.rawActive,
      cue: this.visible,
      cuesShown: this.policy.count,
      lagMs: this.lagMs,
    };
  }

  takeCue(): Cue | null {
    const c = this.pending;
    this.pending = null;
    return c;
  }

  dismissCue(): void {
    this.visible = null;
    this.pending = null;
  }

  aggregates(): PacingAggregates {
    this.end();
    return aggregatesOf(this.snapshot());
  }
}

/** Seconds with two decimals and whole counts, within the schema's bounds (0..6 h, 0..100 000). */
const sec = (ms: number) => Math.min(6 * 3600, Math.max(0, Math.round(ms / 10) / 100));
const cnt = (n: number) => Math.min(100_000, Math.max(0, Math.round(n)));

/**
 * The aggregates posted to POST /v1/session/pacing, from a snapshot: the final one (aggregates()), or mid-call the
 * latest live one (what the widget keeps when the tab may close; speech still inside the lag is not counted yet).
 */
export function aggregatesOf(s: PacingSnapshot): PacingAggregates {
  return {
    durationSeconds: sec(s.elapsedMs),
    therapistTalkSeconds: sec(s.therapistTalkMs),
    clientTalkSeconds: sec(s.clientTalkMs),
    overlapSeconds: sec(s.overlapMs),
    overlapCount: cnt(s.overlapCount),
    silenceSeconds: sec(s.silenceMs),
    silenceCount: cnt(s.silenceCount),
    longestSilenceSeconds: sec(s.longestSilenceMs),
    longestTherapistTurnSeconds: sec(s.longestTherapistTurnMs),
    therapistTurns: cnt(s.therapistTurns),
    clientTurns: cnt(s.clientTurns),
    cuesShown: cnt(s.cuesShown),
  };
}

/** A pacing session for one call: see index.ts for the integrator's usage. */
export function createPacingSession(options: PacingSessionOptions = {}): PacingSession {
  return new Session(options);
}
