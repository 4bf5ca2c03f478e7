// The therapist's page of a LiveKit platform: one Room from livekit-client's browser build, handed to Attune.
import { call, loadAttune, on, status, therapistToken } from './embed-common.js';

const { Room, RoomEvent, version } = window.LivekitClient;
const params = new URLSearchParams(location.hash.slice(1));
const room = new Room();
window.demoRoom = room;

loadAttune(await therapistToken());
on('error', (e) => status(`Attune: ${e.code}`));
call('connect', room); // the one line a LiveKit platform adds
status(`livekit-client ${version}`);

room.on(RoomEvent.Disconnected, () => status('Call ended'));
document.getElementById('end').addEventListener('click', async () => {
  await room.disconnect(); // Attune ends the session on Disconnected
  call('endSession'); // an unconnected demo Room has nothing to disconnect
});

if (params.get('lk') && params.get('lktoken')) {
  await room.connect(params.get('lk'), params.get('lktoken'));
  await room.localParticipant.setMicrophoneEnabled(true);
  status(`livekit-client ${version}: in room ${room.name}`);
}
