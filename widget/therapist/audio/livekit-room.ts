// Follows the audio of the host's own LiveKit Room. Type imports only: livekit-client does not tree-shake, so
// the widget never imports a value from it; event names are plain strings (they are RoomEvent's values).
import type { Room } from 'livekit-client';
import type { Role, RoleSource } from './role-sources.ts';

interface TrackLike {
  mediaStreamTrack?: MediaStreamTrack | undefined;
  receiver?: RTCRtpReceiver | undefined;
}
interface PublicationLike {
  source?: string;
  isMuted: boolean;
  track?: TrackLike | undefined;
}
interface ParticipantLike {
  isSpeaking: boolean;
  audioTrackPublications: Map<string, PublicationLike>;
  /** The local participant's screen share is among these (source 'screen_share'). */
  videoTrackPublications?: Map<string, PublicationLike>;
}
type Handler = (...args: never[]) => void;
/** What the adapter reads of a Room (a real livekit-client Room fits: see the check below). */
export interface RoomLike {
  on(event: never, fn: Handler): unknown;
  off(event: never, fn: Handler): unknown;
  localParticipant: ParticipantLike;
  remoteParticipants: Map<string, ParticipantLike>;
}
// Compile-time proof that the real Room has the shape the adapter reads.
type Fits<T extends RoomLike> = T;
export type RealRoomFits = Fits<Room>;

/** Room events after which the audio sources may have changed. */
export const SOURCE_EVENTS = [
  'trackPublished',
  'trackUnpublished',
  'trackSubscribed',
  'trackUnsubscribed',
  'trackMuted',
  'trackUnmuted',
  'localTrackPublished',
  'localTrackUnpublished',
  'participantConnected',
  'participantDisconnected',
  'reconnecting',
  'reconnected',
] as const;

export interface RoomAdapterTarget {
  setSources(role: Role, list: () => RoleSource[]): void;
  refresh(): void;
  /** The room disconnected for good: the call is over. */
  disconnected(): void;
  /** Whether the local participant (the therapist) is sharing their screen; called with the current state first. */
  screenShare?(sharing: boolean): void;
}

/** Local events after which the screen share may have started or stopped. */
export const SCREEN_SHARE_EVENTS = [
  'localTrackPublished',
  'localTrackUnpublished',
  'trackMuted',
  'trackUnmuted',
  'reconnected',
] as const;

/** Whether the participant publishes an unmuted screen share (LiveKit's Track.Source.ScreenShare is 'screen_share'). */
function isSharingScreen(p: ParticipantLike): boolean {
  for (const pub of p.videoTrackPublications?.values() ?? [])
    if (pub.source === 'screen_share' && !pub.isMuted) return true;
  return false;
}

export function isRoomLike(x: unknown): x is RoomLike {
  const r = x as Partial<RoomLike> | null;
  return (
    !!r &&
    typeof r.on === 'function' &&
    typeof r.off === 'function' &&
    !!r.localParticipant &&
    r.remoteParticipants instanceof Map
  );
}

/** Microphone audio of one participant; its speaking flag stands in when no track is subscribed yet. */
function participantSources(p: ParticipantLike): RoleSource[] {
  const out: RoleSource[] = [];
  for (const pub of p.audioTrackPublications.values()) {
    // Screen-share audio is not the person speaking.
    if (pub.source && pub.source !== 'microphone' && pub.source !== 'unknown') continue;
    const track = pub.track?.mediaStreamTrack;
    if (!track) continue;
    out.push({ track, receiver: pub.track?.receiver, muted: () => pub.isMuted, speaking: () => p.isSpeaking });
  }
  if (!out.length) out.push({ speaking: () => p.isSpeaking });
  return out;
}

/**
 * Follows the local microphone (the therapist) and every remote participant's microphone (the client side) as
 * tracks are published, subscribed, muted, replaced and unsubscribed, through reconnections, and whether the
 * therapist shares their screen (so the private strip can hide). The current state goes to the target first; the
 * returned teardown removes every listener. `disconnected` ends the call.
 */
export function followRoom(room: RoomLike, target: RoomAdapterTarget): () => void {
  const local = () => participantSources(room.localParticipant);
  const remote = () => {
    const out: RoleSource[] = [];
    for (const p of room.remoteParticipants.values()) out.push(...participantSources(p));
    return out;
  };
  target.setSources('local', local);
  target.setSources('remote', remote);

  const onChange = () => target.refresh();
  const onDisconnected = () => target.disconnected();
  let sharing = isSharingScreen(room.localParticipant);
  target.screenShare?.(sharing);
  const onShare = () => {
    const now = isSharingScreen(room.localParticipant);
    if (now === sharing) return;
    sharing = now;
    target.screenShare?.(now);
  };
  const on = room.on.bind(room) as (e: string, f: Handler) => unknown;
  const off = room.off.bind(room) as (e: string, f: Handler) => unknown;
  for (const e of SOURCE_EVENTS) on(e, onChange);
  for (const e of SCREEN_SHARE_EVENTS) on(e, onShare);
  on('disconnected', onDisconnected);
  return () => {
    for (const e of SOURCE_EVENTS) off(e, onChange);
    for (const e of SCREEN_SHARE_EVENTS) off(e, onShare);
    off('disconnected', onDisconnected);
  };
}
