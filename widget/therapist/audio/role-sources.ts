import { receiverPower, type ReceiverLike } from './rtp-level.ts';
import type { TrackAnalysers } from './track-analysers.ts';

/**
 * One audio source of a role (the therapist is `local`; every remote participant is `remote`). A role's level
 * is the sum of its sources' powers (what a mixer of their audio would give).
 */
export interface RoleSource {
  /** The audio track, measured through WebAudio. */
  track?: MediaStreamTrack | undefined;
  /** The RTCRtpReceiver of a remote track: its packet levels are used when it gives them. */
  receiver?: ReceiverLike | undefined;
  /** True while the source is muted (its publication, not only track.enabled). */
  muted?: () => boolean;
  /** A speaking flag (LiveKit `isSpeaking`): used when no level can be read from the track (roleLevelOrFlag). */
  speaking?: () => boolean;
}

export type Role = 'local' | 'remote';
export type Sources = Record<Role, RoleSource[]>;

/**
 * The role now, for PacingSession.pushMixed: the RMS level of its sources' summed power (what a mixer of their
 * audio would give), or a speaking flag when no source gives a level. Per source: the receiver's packet level, else
 * the track's analyser while the AudioContext runs, else its speaking flag. Muted, disabled and ended sources are
 * silent.
 */
export function roleLevelOrFlag(
  sources: readonly RoleSource[],
  analysers: TrackAnalysers,
  nowEpochMs: number,
): number | boolean {
  let sum = 0;
  let levels = false;
  let flags = false;
  let speaking = false;
  const running = analysers.running();
  for (const s of sources) {
    if (s.muted?.()) continue;
    const t = s.track;
    if (t && (t.readyState === 'ended' || !t.enabled)) continue;
    const p = (s.receiver ? receiverPower(s.receiver, nowEpochMs) : null) ?? (t && running ? analysers.power(t) : null);
    if (p !== null) {
      levels = true;
      sum += p;
    } else if (s.speaking) {
      flags = true;
      if (s.speaking()) speaking = true;
    }
  }
  // With levels and flags both (one participant heard, another not yet subscribed), a flag that is on wins: the
  // role talks when any of its people does, and the levels cannot hear that one. A flag that is off says nothing
  // about the others, so their levels decide.
  return speaking || (flags && !levels) ? speaking : Math.sqrt(sum);
}

/** Every track of the sources (for TrackAnalysers.sync; a receiver's track too, read when it gives no levels). */
export function tracksOf(sources: Sources): MediaStreamTrack[] {
  const out: MediaStreamTrack[] = [];
  for (const s of sources.local) if (s.track) out.push(s.track);
  for (const s of sources.remote) if (s.track) out.push(s.track);
  return out;
}

const isTrack = (x: unknown): x is MediaStreamTrack =>
  !!x &&
  typeof x === 'object' &&
  typeof (x as MediaStreamTrack).kind === 'string' &&
  'readyState' in x &&
  typeof (x as MediaStreamTrack).stop === 'function';
const isStream = (x: unknown): x is MediaStream => !!x && typeof (x as MediaStream).getAudioTracks === 'function';
const isReceiver = (x: unknown): x is RTCRtpReceiver =>
  !!x && typeof (x as RTCRtpReceiver).getSynchronizationSources === 'function' && 'track' in (x as object);

/**
 * What `Attune.attachAudio` accepts for a role: a MediaStreamTrack, a MediaStream (its audio tracks, followed as
 * they change), an RTCRtpReceiver, or an array of those (several remote participants). Duck-typed, so objects
 * from another frame work. Returns a function that lists the sources now (streams are read again each time).
 */
export function audioInput(x: unknown): () => RoleSource[] {
  const items = (Array.isArray(x) ? x : x == null ? [] : [x]) as unknown[];
  return () => {
    const out: RoleSource[] = [];
    for (const it of items) {
      if (isReceiver(it)) {
        if (it.track?.kind === 'audio') out.push({ track: it.track, receiver: it });
      } else if (isTrack(it)) {
        if (it.kind === 'audio') out.push({ track: it });
      } else if (isStream(it)) {
        for (const t of it.getAudioTracks()) out.push({ track: t });
      }
    }
    return out;
  };
}

/** Whether x is something audioInput understands (so a typo is reported rather than silently ignored). */
export function isAudioInput(x: unknown): boolean {
  if (Array.isArray(x)) return x.every(isAudioInput);
  return isReceiver(x) || isTrack(x) || isStream(x);
}
