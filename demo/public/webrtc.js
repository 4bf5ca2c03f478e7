// The therapist's page of a platform on plain WebRTC (no SDK): Attune gets the local MediaStreamTrack and the
// remote RTCRtpReceiver through attachAudio.
import { call, loadAttune, on, status, therapistToken } from './embed-common.js';

async function recorded(ac, url) {
  const res = await fetch(url);
  const src = ac.createBufferSource();
  src.buffer = await ac.decodeAudioData(await res.arrayBuffer());
  src.loop = true;
  const dest = ac.createMediaStreamDestination();
  src.connect(dest);
  src.start();
  return dest.stream.getAudioTracks()[0];
}

/** The "remote side": a second peer connection that sends `track` to the first one. Returns our receiver. */
async function loopback(track) {
  const ours = new RTCPeerConnection();
  const theirs = new RTCPeerConnection();
  ours.onicecandidate = (e) => e.candidate && theirs.addIceCandidate(e.candidate);
  theirs.onicecandidate = (e) => e.candidate && ours.addIceCandidate(e.candidate);
  theirs.addTrack(track);
  const received = new Promise((resolve) => (ours.ontrack = (e) => resolve(e)));
  await theirs.setLocalDescription();
  await ours.setRemoteDescription(theirs.localDescription);
  await ours.setLocalDescription();
  await theirs.setRemoteDescription(ours.localDescription);
  const { receiver, streams, track: remote } = await received;
  const audio = new Audio();
  audio.srcObject = streams[0] ?? new MediaStream([remote]); // a played track is what a call page has
  audio.play().catch(() => {});
  return {
    receiver,
    close: () => {
      ours.close();
      theirs.close();
    },
  };
}

loadAttune(await therapistToken());
on('error', (e) => status(`Attune: ${e.code}`));

const ac = new AudioContext();
const mic = await navigator.mediaDevices.getUserMedia({ audio: true }).then(
  (s) => s.getAudioTracks()[0],
  () => null,
);
const local = mic ?? (await recorded(ac, '/audio/therapist.wav'));
const peer = await loopback(await recorded(ac, '/audio/client.wav'));

call('attachAudio', { local, remote: peer.receiver }); // the one line a WebRTC platform adds
status(
  mic
    ? 'Measuring: your microphone and the remote receiver'
    : 'Measuring: a recorded therapist and the remote receiver',
);

document.getElementById('end').addEventListener('click', () => {
  call('endSession');
  peer.close();
  ac.close();
  status('Call ended');
});
