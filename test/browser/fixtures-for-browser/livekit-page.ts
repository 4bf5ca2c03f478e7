// Bundled by test/browser/livekit-adapter.test.ts (esbuild, IIFE) and evaluated in the therapist's call page:
// real livekit-client classes over real MediaStreamTracks, driven the way a Room drives them, with no server.
// Exposes window.lk for the test.
import { TrackInfo, TrackSource, TrackType } from '@livekit/protocol';
import {
  DisconnectReason,
  LocalAudioTrack,
  LocalTrackPublication,
  RemoteAudioTrack,
  RemoteParticipant,
  RemoteTrackPublication,
  Room,
  RoomEvent,
  Track,
} from 'livekit-client';

const ac = new AudioContext();

/**
 * A remote voice as a MediaStreamTrack: when on, a 220 Hz tone at about -20 dBFS whose amplitude swings to zero
 * four times a second (syllables: a steady tone would rightly be learnt as noise), over a -60 dBFS noise bed.
 */
function voice() {
  const dest = ac.createMediaStreamDestination();
  const noise = ac.createBuffer(1, ac.sampleRate * 2, ac.sampleRate);
  const d = noise.getChannelData(0);
  for (let i = 0; i < d.length; i++) d[i] = (Math.random() * 2 - 1) * 0.0017;
  const bed = ac.createBufferSource();
  bed.buffer = noise;
  bed.loop = true;
  bed.connect(dest);
  bed.start();
  const osc = ac.createOscillator();
  osc.frequency.value = 220;
  const syllables = ac.createGain();
  syllables.gain.value = 0.07;
  const lfo = ac.createOscillator();
  lfo.frequency.value = 4;
  const depth = ac.createGain();
  depth.gain.value = 0.07;
  lfo.connect(depth).connect(syllables.gain);
  lfo.start();
  const gain = ac.createGain();
  gain.gain.value = 0;
  osc.connect(syllables).connect(gain).connect(dest);
  osc.start();
  return {
    track: dest.stream.getAudioTracks()[0]!,
    on: () => gain.gain.setValueAtTime(2, ac.currentTime),
    off: () => gain.gain.setValueAtTime(0, ac.currentTime),
  };
}

const room = new Room();
const voices = new Map<string, ReturnType<typeof voice>>();
const pubs = new Map<string, RemoteTrackPublication>();
const infos = new Map<string, TrackInfo>();
let localTrack: LocalAudioTrack | null = null;
let localPub: LocalTrackPublication | null = null;
let n = 0;
const participant = (id: string) => room.remoteParticipants.get(id)!;

const lk = {
  room,
  async publishLocal() {
    const mst = (
      await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      })
    ).getAudioTracks()[0]!;
    localTrack = new LocalAudioTrack(
      mst,
      { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      false,
    );
    localTrack.source = Track.Source.Microphone;
    const ti = new TrackInfo({
      sid: 'TR_local',
      name: 'microphone',
      type: TrackType.AUDIO,
      source: TrackSource.MICROPHONE,
    });
    localPub = new LocalTrackPublication(Track.Kind.Audio, ti, localTrack);
    (room.localParticipant as unknown as { addTrackPublication(p: LocalTrackPublication): void }).addTrackPublication(
      localPub,
    );
    room.emit(RoomEvent.LocalTrackPublished, localPub, room.localParticipant);
  },
  async muteLocal(muted: boolean) {
    await (muted ? localTrack!.mute() : localTrack!.unmute());
    room.emit(muted ? RoomEvent.TrackMuted : RoomEvent.TrackUnmuted, localPub!, room.localParticipant);
  },
  /** What LiveKit does when the microphone is switched: a new MediaStreamTrack in the same LocalAudioTrack. */
  async restartLocal() {
    const before = localTrack!.mediaStreamTrack;
    await localTrack!.restartTrack();
    return before !== localTrack!.mediaStreamTrack && before.readyState === 'ended';
  },
  connectRemote(id: string) {
    const p = new RemoteParticipant({} as never, `PA_${id}`, id, id);
    room.remoteParticipants.set(id, p);
    room.emit(RoomEvent.ParticipantConnected, p);
  },
  publishRemote(id: string) {
    const p = participant(id);
    const ti = new TrackInfo({
      sid: `TR_${id}_${++n}`,
      name: 'microphone',
      type: TrackType.AUDIO,
      source: TrackSource.MICROPHONE,
    });
    const pub = new RemoteTrackPublication(Track.Kind.Audio, ti, true);
    (p as unknown as { addTrackPublication(p: RemoteTrackPublication): void }).addTrackPublication(pub);
    pubs.set(id, pub);
    infos.set(id, ti);
    room.emit(RoomEvent.TrackPublished, pub, p);
  },
  /** Subscribes the participant's publication to a new voice (a new MediaStreamTrack each time). */
  subscribeRemote(id: string) {
    const p = participant(id);
    const pub = pubs.get(id)!;
    const v = voice();
    voices.set(id, v);
    const track = new RemoteAudioTrack(v.track, pub.trackSid, undefined as unknown as RTCRtpReceiver);
    pub.setTrack(track);
    room.emit(RoomEvent.TrackSubscribed, track, pub, p);
  },
  unsubscribeRemote(id: string) {
    const p = participant(id);
    const pub = pubs.get(id)!;
    const track = pub.track!;
    pub.setTrack(undefined);
    room.emit(RoomEvent.TrackUnsubscribed, track, pub, p);
  },
  /** The server says the remote publication is muted (as RemoteParticipant.updateInfo does). */
  muteRemote(id: string, muted: boolean) {
    const pub = pubs.get(id)!;
    pub.updateInfo(new TrackInfo({ ...infos.get(id)!, muted }));
    room.emit(muted ? RoomEvent.TrackMuted : RoomEvent.TrackUnmuted, pub, participant(id));
  },
  disconnectRemote(id: string) {
    const p = participant(id);
    room.remoteParticipants.delete(id);
    room.emit(RoomEvent.ParticipantDisconnected, p);
  },
  speak(id: string, on: boolean) {
    const v = voices.get(id)!;
    if (on) v.on();
    else v.off();
  },
  /** A speaker update from the server (what Room.handleActiveSpeakersUpdate does for a remote participant). */
  speakerUpdate(id: string, speaking: boolean) {
    const p = participant(id);
    p.audioLevel = speaking ? 0.4 : 0;
    p.setIsSpeaking(speaking);
    room.emit(RoomEvent.ActiveSpeakersChanged, speaking ? [p] : []);
  },
  reconnect() {
    room.emit(RoomEvent.Reconnecting);
    room.emit(RoomEvent.Reconnected);
  },
  disconnect() {
    room.emit(RoomEvent.Disconnected, DisconnectReason.CLIENT_INITIATED);
  },
  listeners: (event: string) => room.listenerCount(event as RoomEvent),
};

(window as unknown as { lk: typeof lk }).lk = lk;
