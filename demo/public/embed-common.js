// Shared by the video-SDK demo pages: a therapist token (from the fragment, else the Worker's dev-only route),
// the widget's real script tag with the page's CSP nonce, and a call() that reaches window.Attune or its queue.
const api = document.querySelector('meta[name="attune-api"]').content;
const nonce = document.querySelector('meta[name="csp-nonce"]').content;

export async function therapistToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) return fromHash;
  const res = await fetch(`${api}/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`dev tokens: HTTP ${res.status}`);
  return (await res.json()).therapist;
}

export function loadAttune(token) {
  window.Attune = window.Attune || { q: [] };
  const script = document.createElement('script');
  script.src = `${api}/widget.js`;
  script.async = true;
  script.dataset.token = token;
  script.dataset.target = '#attune-slot';
  script.dataset.nonce = nonce;
  script.nonce = nonce;
  document.head.append(script);
}

export function call(method, ...args) {
  const a = window.Attune;
  if (typeof a[method] === 'function') a[method](...args);
  else a.q.push([method, args]);
}

export function on(event, cb) {
  call('on', event, cb);
}

export const status = (text) => {
  document.getElementById('status').textContent = text;
};
