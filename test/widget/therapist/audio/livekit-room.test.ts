import { describe, expect, it, vi } from 'vitest';
import type { Role, RoleSource } from '../../../../widget/therapist/audio/role-sources.ts';
import {
  followRoom,
  isRoomLike,
  SCREEN_SHARE_EVENTS,
  SOURCE_EVENTS,
  type RoomLike,
} from '../../../../widget/therapist/audio/livekit-room.ts';

/** A Room-like emitter with the fields the adapter reads (livekit-client's own classes are tested in Chromium). */
function fakeRoom() {
  const handlers = new Map<string, Set<(...a: unknown[]) => void>>();
  const track = (id: string) =>
    ({ id, kind: 'audio', readyState: 'live', enabled: true, stop() {} }) as unknown as MediaStreamTrack;
  const pub = (source: string, t: MediaStreamTrack | null, receiver?: unknown) => ({
    source,
    isMuted: false,
    track: t ? { mediaStreamTrack: t, receiver } : undefined,
  });
  const participant = () => ({ isSpeaking: false, audioTrackPublications: new Map<string, ReturnType<typeof pub>>() });
  const room = {
    localParticipant: participant(),
    remoteParticipants: new Map<string, ReturnType<typeof participant>>(),
    on: vi.fn((e: string, f: (...a: unknown[]) => void) => {
      if (!handlers.has(e)) handlers.set(e, new Set());
      handlers.get(e)!.add(f);
      return room;
    }),
    off: vi.fn((e: string, f: (...a: unknown[]) => void) => {
      handlers.get(e)?.delete(f);
      return room;
    }),
    emit: (e: string, ...a: unknown[]) => {
      for (const f of handlers.get(e) ?? []) f(...a);
    },
    listeners: () => [...handlers.values()].reduce((n, s) => n + s.size, 0),
  };
  return { room, track, pub, participant };
}

function target() {
  const lists: Record<Role, () => RoleSource[]> = { local: () => [], remote: () => [] };
  return {
    lists,
    setSources: vi.fn((role: Role, list: () => RoleSource[]) => {
      lists[role] = list;
    }),
    refresh: vi.fn(),
    disconnected: vi.fn(),
  };
}

describe('LiveKit room adapter', () => {
  it('recognises a Room by shape', () => {
    expect(isRoomLike(fakeRoom().room)).toBe(true);
    expect(isRoomLike({})).toBe(false);
    expect(isRoomLike(null)).toBe(false);
    expect(isRoomLike({ on() {}, off() {}, localParticipant: {}, remoteParticipants: {} })).toBe(false);
  });

  it('emits the current state first: the published microphone and every remote microphone', () => {
    const { room, track, pub, participant } = fakeRoom();
    const mic = track('mic');
    room.localParticipant.audioTrackPublications.set('TR_l', pub('microphone', mic));
    room.localParticipant.audioTrackPublications.set('TR_s', pub('screen_share_audio', track('screen')));
    const a = participant();
    const receiver = { getSynchronizationSources: () => [] };
    a.audioTrackPublications.set('TR_a', pub('microphone', track('a'), receiver));
    room.remoteParticipants.set('a', a);
    const t = target();
    followRoom(room as unknown as RoomLike, t);
    expect(t.setSources).toHaveBeenCalledTimes(2);
    const local = t.lists.local();
    expect(local.map((s) => s.track)).toEqual([mic]); // screen-share audio is not the therapist speaking
    const remote = t.lists.remote();
    expect(remote).toHaveLength(1);
    expect((remote[0]!.track as unknown as { id: string }).id).toBe('a');
    expect(remote[0]!.receiver).toBe(receiver);
  });

  it('reads the Room live: publications added later, mute state, several remote participants, speaking fallback', () => {
    const { room, track, pub, participant } = fakeRoom();
    const t = target();
    followRoom(room as unknown as RoomLike, t);
    // No microphone yet: the speaking flag stands in.
    const local = t.lists.local();
    expect(local).toHaveLength(1);
    expect(local[0]!.track).toBeUndefined();
    room.localParticipant.isSpeaking = true;
    expect(local[0]!.speaking!()).toBe(true);

    const a = participant();
    const b = participant();
    const pa = pub('microphone', track('a'));
    a.audioTrackPublications.set('TR_a', pa);
    b.audioTrackPublications.set('TR_b', pub('microphone', null)); // published, not subscribed yet
    room.remoteParticipants.set('a', a).set('b', b);
    const remote = t.lists.remote();
    expect(remote).toHaveLength(2);
    expect(remote[0]!.muted!()).toBe(false);
    pa.isMuted = true;
    expect(remote[0]!.muted!()).toBe(true);
    expect(remote[1]!.track).toBeUndefined();
    b.isSpeaking = true;
    expect(remote[1]!.speaking!()).toBe(true);
  });

  it('refreshes on every track and participant event, ends the call on Disconnected, and its teardown calls off', () => {
    const { room } = fakeRoom();
    const t = target();
    const stop = followRoom(room as unknown as RoomLike, t);
    // The names LiveKit's RoomEvent gives these events (livekit-client's own strings, not the adapter's list).
    const changes = [
      'trackPublished',
      'trackUnpublished',
      'localTrackPublished',
      'localTrackUnpublished',
      'trackSubscribed',
      'trackUnsubscribed',
      'trackMuted',
      'trackUnmuted',
      'reconnecting',
      'reconnected',
      'participantConnected',
      'participantDisconnected',
    ];
    for (const [n, e] of changes.entries()) {
      room.emit(e, {}, {});
      expect(t.refresh, e).toHaveBeenCalledTimes(n + 1);
    }
    room.emit('activeSpeakersChanged', []); // not about the sources
    expect(t.refresh).toHaveBeenCalledTimes(changes.length);
    expect(t.disconnected).not.toHaveBeenCalled();
    room.emit('disconnected');
    expect(t.disconnected).toHaveBeenCalledTimes(1);
    expect(room.listeners()).toBe(SOURCE_EVENTS.length + SCREEN_SHARE_EVENTS.length + 1);
    stop();
    expect(room.listeners()).toBe(0);
    expect(room.off).toHaveBeenCalledTimes(SOURCE_EVENTS.length + SCREEN_SHARE_EVENTS.length + 1);
    room.emit('trackSubscribed');
    expect(t.refresh).toHaveBeenCalledTimes(changes.length);
  });

  it('tells the target when the therapist starts and stops sharing their screen (current state first)', () => {
    const { room, track, pub } = fakeRoom();
    const video = new Map<string, ReturnType<typeof pub>>();
    (room.localParticipant as { videoTrackPublications?: typeof video }).videoTrackPublications = video;
    video.set('TR_cam', pub('camera', track('cam')));
    const t = { ...target(), screenShare: vi.fn() };
    const stop = followRoom(room as unknown as RoomLike, t);
    expect(t.screenShare.mock.calls).toEqual([[false]]);
    const share = pub('screen_share', track('screen'));
    video.set('TR_screen', share);
    room.emit('localTrackPublished', share, room.localParticipant);
    expect(t.screenShare.mock.calls).toEqual([[false], [true]]);
    room.emit('trackMuted', {}, {}); // not about the share: no repeat
    expect(t.screenShare).toHaveBeenCalledTimes(2);
    share.isMuted = true; // a paused share shows nothing private
    room.emit('trackMuted', share, room.localParticipant);
    expect(t.screenShare.mock.calls.at(-1)).toEqual([false]);
    share.isMuted = false;
    room.emit('trackUnmuted', share, room.localParticipant);
    video.delete('TR_screen');
    room.emit('localTrackUnpublished', share, room.localParticipant);
    expect(t.screenShare.mock.calls).toEqual([[false], [true], [false], [true], [false]]);
    stop();
  });
});
