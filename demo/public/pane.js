// One participant's call page. It loads Attune the way a platform would: the stub, then the real script tag.
import { call, loadAttune } from './embed-common.js';

const params = new URLSearchParams(location.hash.slice(1));
const role = params.get('role') ?? 'client';
const token = params.get('token') ?? '';
// The therapist's pane simulates the call's audio unless audio=none (browser tests attach their own).
const audio = params.get('audio') ?? (role === 'therapist' ? 'demo' : 'none');

document.getElementById('who').textContent = role === 'therapist' ? 'You (therapist)' : 'You (client)';
const started = Date.now();
const clock = document.getElementById('clock');
const timer = setInterval(() => {
  const s = Math.floor((Date.now() - started) / 1000);
  clock.textContent = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}, 1000);

loadAttune(token);

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || event.data?.type !== 'end-call') return;
  clearInterval(timer);
  // "End call" is a click in the platform's page; its user activation does not reach this frame, so say it was the
  // user's own action: the client's rating card takes focus.
  call('endSession', { focus: true });
});

if (audio === 'demo') {
  import('./call-audio.js')
    .then(({ startCallAudio }) => startCallAudio(call))
    .catch((err) => console.warn('demo audio:', err));
}
