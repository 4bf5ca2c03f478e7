import { DEFAULT_CUE_SETTINGS, type CueSettings, type PacingAggregates } from '../../schemas/pacing.ts';
import { Conversation, DEFAULT_CONVERSATION_OPTIONS, type ConversationOptions } from './conversation.ts';
import { CuePolicy, type Cue } from './cue-policy.ts';
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
  /** Source kind per role; default 'level' for both. */
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
  therapistSpeaking: boolean;
  clientSpeaking: boolean;
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
  snapshot(): PacingSnapshot;
  /** The newly raised cue, once; null if none is new. */
  takeCue(): Cue | null;
  /** The therapist dismissed the visible cue. */
  dismissCue(): void;
  /** Ends the session (drains the lag) at tMs or the last frame; later frames are ignored. Idempotent. */
  end(tMs?: number): void;
  /** Ends the session if needed and returns what is posted to POST /v1/sessions/:sid/pacing. */
  aggregates(): PacingAggregates;
  readonly lagMs: number;
}

/** Longer frame gaps (throttled timers, a stalled tab) are counted as silence beyond this. */
const MAX_FRAME_MS = 1000;
/** Cue rules are evaluated at this period of the timeline, not every frame. */
const CUE_EVAL_MS = 250;

export function createPacingSession(options: PacingSessionOptions = {}): PacingSession {
  const cueSettings: CueSettings = { ...DEFAULT_CUE_SETTINGS, ...options.cues };
  const vadOpts: VadOptions = { ...DEFAULT_VAD_OPTIONS, ...options.vad };
  const convOpts: ConversationOptions = {
    ...DEFAULT_CONVERSATION_OPTIONS,
    shareWindowSeconds: cueSettings.balanceWindowSeconds,
    ...options.conversation,
  };
  const frameMs = options.frameMs ?? 20;
  const tKind = options.sources?.therapist ?? 'level';
  const cKind = options.sources?.client ?? 'level';
  const tVad = new RoleVad(vadOpts, tKind === 'speaking');
  const cVad = new RoleVad(vadOpts, cKind === 'speaking');
  const lagMs = tKind !== 'speaking' || cKind !== 'speaking' ? RoleVad.lagMs(vadOpts, frameMs) : 0;
  const conv = new Conversation(convOpts);
  const policy = new CuePolicy(cueSettings);
  const now = options.now ?? Date.now;
  const schedEndEpochMs = options.schedule ? options.schedule.end * 1000 : null;

  let started = false;
  let ended = false;
  let t0 = 0; // frame clock at the session's start
  let lastT = 0;
  let wallOffset = 0; // epoch ms = frame ms + wallOffset
  let processedTo = 0; // timeline processed up to (frame clock)
  let nextCueEval = 0;
  let pending: Cue | null = null;
  let visible: Cue | null = null;

  function remainingAt(frameT: number): number | null {
    return schedEndEpochMs === null ? null : schedEndEpochMs - (frameT + wallOffset);
  }

  /** Runs the conversation from processedTo up to `to` (frame clock), in steps no longer than maxStep. */
  function advanceTo(to: number, maxStep: number): void {
    while (processedTo < to) {
      const step = Math.min(to - processedTo, maxStep);
      const mid = processedTo + step / 2;
      const t = tVad.activeAt(mid);
      const c = cVad.activeAt(mid);
      conv.advance(processedTo - t0, step, t, c);
      processedTo += step;
      if (processedTo >= nextCueEval) {
        nextCueEval = processedTo + CUE_EVAL_MS;
        const cue = policy.evaluate(processedTo, processedTo - t0, remainingAt(processedTo), conv);
        if (cue) {
          pending = cue;
          visible = cue;
        }
      }
    }
  }

  function pushFrame(tMs: number, therapist: number, client: number): void {
    if (ended || !Number.isFinite(tMs)) return;
    let dt: number;
    if (!started) {
      started = true;
      t0 = tMs - frameMs;
      processedTo = t0;
      nextCueEval = t0;
      wallOffset = now() - tMs;
      dt = frameMs;
    } else {
      dt = tMs - lastT;
      if (dt <= 0) return;
    }
    lastT = tMs;
    if (dt > MAX_FRAME_MS) {
      // A hole: nobody is known to speak in it. Close segments before it, then feed a normal-length frame.
      tVad.pushSpeaking(tMs - frameMs, dt - frameMs, false);
      cVad.pushSpeaking(tMs - frameMs, dt - frameMs, false);
      dt = frameMs;
    }
    const tv = therapist > 0 ? therapist : 0;
    const cv = client > 0 ? client : 0;
    const tPow = tv * tv;
    const cPow = cv * cv;
    if (tKind === 'level') tVad.notePower(tPow);
    if (cKind === 'level') cVad.notePower(cPow);
    if (tKind === 'level') tVad.pushLevel(tMs, dt, tPow, cKind === 'level' ? cVad.recentMaxPow() : 0);
    else tVad.pushSpeaking(tMs, dt, therapist >= 0.5);
    if (cKind === 'level') cVad.pushLevel(tMs, dt, cPow, tKind === 'level' ? tVad.recentMaxPow() : 0);
    else cVad.pushSpeaking(tMs, dt, client >= 0.5);
    advanceTo(tMs - lagMs, MAX_FRAME_MS);
  }

  function end(tMs?: number): void {
    if (ended) return;
    ended = true;
    if (!started) return;
    const to = tMs !== undefined && tMs > lastT ? tMs : lastT;
    tVad.flush();
    cVad.flush();
    advanceTo(to, frameMs);
  }

  function snapshot(): PacingSnapshot {
    if (visible && lastT >= visible.hideAtMs) visible = null;
    const elapsedMs = started ? lastT - t0 : 0;
    return {
      elapsedMs,
      remainingMs: started ? remainingAt(lastT) : schedEndEpochMs === null ? null : schedEndEpochMs - now(),
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
      cue: visible,
      cuesShown: policy.count,
      lagMs,
    };
  }

  const sec = (ms: number) => Math.min(6 * 3600, Math.max(0, Math.round(ms / 10) / 100));
  const cnt = (n: number) => Math.min(100_000, n);

  return {
    lagMs,
    pushFrame,
    pushLevels: pushFrame,
    pushSpeaking(tMs, t, c) {
      pushFrame(tMs, t ? 1 : 0, c ? 1 : 0);
    },
    snapshot,
    takeCue() {
      const c = pending;
      pending = null;
      return c;
    },
    dismissCue() {
      visible = null;
      pending = null;
    },
    end,
    aggregates() {
      end();
      return {
        durationSeconds: sec(started ? lastT - t0 : 0),
        therapistTalkSeconds: sec(conv.therapistTalkMs),
        clientTalkSeconds: sec(conv.clientTalkMs),
        overlapSeconds: sec(conv.overlapMs),
        overlapCount: cnt(conv.overlapCount),
        silenceSeconds: sec(conv.silenceMs),
        silenceCount: cnt(conv.silenceCount),
        longestSilenceSeconds: sec(conv.longestSilenceMs),
        longestTherapistTurnSeconds: sec(conv.therapist.longestMs),
        therapistTurns: cnt(conv.therapist.count),
        clientTurns: cnt(conv.client.count),
        cuesShown: cnt(policy.count),
      };
    },
  };
}
