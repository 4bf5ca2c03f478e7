/**
 * Attune pacing engine: pure TypeScript (no DOM, no I/O), runs in the browser and in Node.
 *
 * level frames per role -> voice activity (adaptive noise floor that follows a creeping gain, onset over 80 of
 * 100 ms, median-held hangover while the level keeps rising out of its dips (a reverberation tail only decays), leak
 * test against the other's speech with the call's own echo coupling, talker-level gate, reverberation-tail cut,
 * background tests: a voice moves more than the background does and stands over its usual level) -> turns,
 * overlaps and silences on the held segments; talk time and the rolling share on the segments less the pauses the
 * hangover bridged -> cue policy -> PacingAggregates.
 *
 * Usage (widget integrator):
 * ```ts
 * import { createPacingSession, speechLevel, CUE_TEXT_EN } from './pacing/index.ts';
 * const pacing = createPacingSession({ schedule: ctx.schedule, cues: ctx.cues }); // from GET /v1/context
 * // every 20 ms (or every 10–50 ms; any monotonic clock in ms):
 * analyserT.getFloatTimeDomainData(bufT); analyserC.getFloatTimeDomainData(bufC);
 * pacing.pushLevels(performance.now(), speechLevel(bufT), speechLevel(bufC)); // RMS without clicks; rms() works too
 * //   or, from getSynchronizationSources(): pacing.pushLevels(t, localRms, levelFromAudioLevel(src.audioLevel));
 * //   or, LiveKit fallback (sources: { therapist: 'speaking', client: 'speaking' } at creation):
 * //   pacing.pushSpeaking(t, local.isSpeaking, remote.isSpeaking) on a steady timer (<= 250 ms).
 * // about once a second, for the strip:
 * const s = pacing.snapshot();      // elapsedMs, remainingMs, rollingTherapistShare, s.cue (hide at cue.hideAtMs) ...
 * const cue = pacing.takeCue();     // a new cue once: announce it politely (aria-live) and show it
 *   // wording: CUE_TEXT_EN[cue.key].replace('{minutes}', String(cue.minutesLeft)); for 'time.minutesLeft' the
 *   // minutes actually left when raised (a 10-minute mark passed in the quiet start says 6), fixed on the cue.
 * pacing.dismissCue();              // the therapist closed it
 * // at endSession():
 * const body = pacing.aggregates(); // POST /v1/session/pacing
 * ```
 * Speech decisions are final lagMs (about 0.6 s) after a frame, so the metrics trail the audio by that much;
 * snapshot().therapistVoiceNow / clientVoiceNow give the newest raw decision for a live dot. A frame gap over
 * 1 s (a throttled background tab) counts as silence. Levels are linear (0..1 of full scale). Each pushLevels costs O(1) and allocates nothing; snapshot()
 * allocates one small object, so call it at UI rate, not per frame. Mixed sources: pass
 * `sources: { therapist: 'level', client: 'speaking' }` and use pushFrame(t, level, speaking ? 1 : 0); sources that
 * change during the call: pushMixed(t, levelOrFlag, levelOrFlag), a number a level, a boolean a speaking flag.
 */
export { aggregatesOf, createPacingSession } from './session.ts';
export type { PacingSession, PacingSessionOptions, PacingSnapshot, SourceKind } from './session.ts';
export { CUE_TEXT_EN, CuePolicy } from './cue-rules.ts';
export type { Cue, CueKey } from './cue-rules.ts';
export { DEFAULT_VAD_OPTIONS, RoleVad } from './vad.ts';
export type { VadOptions } from './vad.ts';
export { Conversation, DEFAULT_CONVERSATION_OPTIONS } from './conversation.ts';
export type { ConversationOptions } from './conversation.ts';
export { NoiseFloor } from './noise-floor.ts';
export { EventWindow, RollingTalk } from './rolling.ts';
export { frameLevels, levelFromAudioLevel, levelFromDb, rms, speechLevel } from './levels.ts';
