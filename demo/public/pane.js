// One participant's call page. It loads Attune the way a platform would: the stub, then the real script tag.
const params = new URLSearchParams(location.hash.slice(1));
const role = params.get('role') ?? 'client';
const token = params.get('token') ?? '';
// The therapist's pane simulates the call's audio unless audio=none (browser tests attach their own).
const audio = params.get('audio') ?? (role === 'therapist' ? 'demo' : 'none');
const api = document.querySelector('meta[name="attune-api"]').content;
const nonce = document.querySelector('meta[name="csp-nonce"]').content;

document.getElementById('who').textContent = role === 'therapist' ? 'You (therapist)' : 'You (client)';
const started = Date.now();
const clock = document.getElementById('clock');
const timer = setInterval(() => {
  const s = Math.floor((Date.now() - started) / 1000);
  clock.textContent = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}, 1000);

window.Attune = window.Attune || { q: [] };
const script = document.createElement('script');
script.src = `${api}/widget.js`;
script.async = true;
script.dataset.token = token;
script.dataset.target = '#attune-slot';
script.dataset.nonce = nonce;
script.nonce = nonce;
document.head.append(script);

function call(method, ...args) {
  const a = window.Attune;
  if (typeof a[method] === 'function') a[method](...args);
  else a.q.push([method, args]);
}

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || event.data?.type !== 'end-call') return;
  clearInterval(timer);
  call('endSession');
});

if (audio === 'demo') {
  import('./call-audio.js').then(({ startCallAudio }) => startCallAudio(call)).catch((err) => console.warn('demo audio:', err));
}
