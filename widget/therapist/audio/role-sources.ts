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
  /** A speaking flag (LiveKit `isSpeaking`): used only when no level can be read from the track. */
  speaking?: () => boolean;
}

export type Role = 'local' | 'remote';
export type Sources = Record<Role, RoleSource[]>;

/** The level of a speaking flag when nothing better is known: a usual speech level (-20 dBFS). */
export const SPEAKING_POWER = 0.01;

/**
 * The stand-in level of a speaking flag at a time: -20 dBFS in syllables of 200 ms with 60 ms dips 13 dB lower. The
 * engine takes a level that never varies for a fan or a hum and lifts its noise floor to it (pacing/vad.ts),
 * so a flat stand-in would stop counting as speech after about a second.
 */
export function speakingPower(nowEpochMs: number): number {
  return nowEpochMs % 260 < 200 ? SPEAKING_POWER : SPEAKING_POWER / 20;
}

/**
 * The role's power now. Per source: packet level of the receiver, else the track's analyser while the
 * AudioContext runs, else the speaking flag. Muted, disabled and ended sources are silent.
 */
export function rolePower(sources: readonly RoleSource[], analysers: TrackAnalysers, nowEpochMs: number): number {
  let sum = 0;
  const running = analysers.running();
  for (const s of sources) {
    if (s.muted?.()) continue;
    const t = s.track;
    if (t && (t.readyState === 'ended' || !t.enabled)) continue;
    const rp = s.receiver ? receiverPower(s.receiver, nowEpochMs) : null;
    if (rp !== null) sum += rp;
    else if (t && running) sum += analysers.power(t);
    else if (s.speaking?.()) sum += speakingPower(nowEpochMs);
  }
  return sum;
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
