// The demo's simulated call audio: two recorded voices (a therapist and a client, from the test fixtures) played
// through WebAudio into MediaStreamTracks, exactly what a real call gives a platform (the microphone track and the
// remote participant's track), and handed to Attune.attachAudio. Nothing is played to the speakers.
// The client's voice repeats half as often as the therapist's, so the therapist talks about two thirds of the
// time: after the quiet start (5 minutes) the talk-balance cue can show, and with the 12-minute session the time
// cues too.

async function loopTrack(ac, url, periodSeconds) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const clip = await ac.decodeAudioData(await res.arrayBuffer());
  // Pad the clip with silence up to the loop period.
  const length = Math.max(clip.length, Math.round(periodSeconds * clip.sampleRate));
  const buffer = ac.createBuffer(1, length, clip.sampleRate);
  buffer.copyToChannel(clip.getChannelData(0), 0);
  const src = ac.createBufferSource();
  src.buffer = buffer;
  src.loop = true;
  const dest = ac.createMediaStreamDestination();
  src.connect(dest);
  src.start();
  return dest.stream.getAudioTracks()[0];
}

/** Starts the pretend call's audio and attaches it; `call(method, ...args)` reaches window.Attune (or its queue). */
export async function startCallAudio(call) {
  const ac = new AudioContext();
  if (ac.state === 'suspended') {
    const resume = () => ac.resume();
    addEventListener('pointerdown', resume, { once: true });
    addEventListener('keydown', resume, { once: true });
  }
  const [local, remote] = await Promise.all([
    loopTrack(ac, '/audio/therapist.wav', 10),
    loopTrack(ac, '/audio/client.wav', 20),
  ]);
  call('attachAudio', { local, remote });
  window.addEventListener('message', (event) => {
    if (event.origin === location.origin && event.data?.type === 'end-call') ac.close();
  });
}
