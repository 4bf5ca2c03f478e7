// The demo platform's caseload page: mints the demo therapist's caseload token (dev-only route; a real platform
// mints it on its server with CaseloadToken from attune/server), loads caseload.js by its script tag with the page's
// CSP nonce, and mounts the view with the platform's own client refs and names. Names never leave this page.
const api = document.querySelector('meta[name="attune-api"]').content;
const nonce = document.querySelector('meta[name="csp-nonce"]').content;
const status = (text) => {
  document.getElementById('status').textContent = text;
};

/** The platform's own records: its refs for the demo therapist's clients, and their names. */
const CLIENTS = [
  { ref: 'demo-client', name: 'Jordan Avery (the demo calls)' },
  { ref: 'demo-c-ana', name: 'Ana Souza' },
  { ref: 'demo-c-ben', name: 'Ben Carter' },
  { ref: 'demo-c-chloe', name: 'Chloé Martin' },
  { ref: 'demo-c-dev', name: 'Dev Patel' },
  { ref: 'demo-c-eli', name: 'Eli Novak' },
  { ref: 'demo-c-fatima', name: 'Fatima Haddad' },
  { ref: 'demo-c-gus', name: 'Gus Lindqvist' },
  { ref: 'demo-c-new', name: 'Hana Ito (new client)' },
];

async function caseloadToken(locale) {
  const res = await fetch(`${api}/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ caseload: true, locale }),
  });
  if (!res.ok) throw new Error(`dev tokens: HTTP ${res.status}`);
  return (await res.json()).caseload;
}

function loadScript() {
  const script = document.createElement('script');
  script.src = `${api}/caseload.js`;
  script.nonce = nonce;
  script.async = true;
  script.onerror = () => status('caseload.js did not load');
  document.head.append(script);
}

// Calls made before caseload.js has loaded wait in its queue (`q`), as with widget.js.
window.AttuneCaseload = window.AttuneCaseload || { q: [] };
let handle = null;
async function show(locale) {
  status('Loading…');
  try {
    const token = await caseloadToken(locale);
    handle?.remove();
    handle = null;
    const options = {
      token,
      clients: CLIENTS,
      api,
      nonce,
      on: {
        ready: (h) => {
          handle = h;
        },
        caseload: () => status(''),
        error: (e) => status(e.message),
      },
    };
    const target = document.getElementById('caseload');
    if (window.AttuneCaseload.q) window.AttuneCaseload.q.push(['mount', [target, options]]);
    else handle = window.AttuneCaseload.mount(target, options);
  } catch (e) {
    status(String(e));
  }
}

const select = document.getElementById('locale');
const initial = new URLSearchParams(location.search).get('lang');
if (initial) select.value = initial;
select.addEventListener('change', () => show(select.value));
show(select.value);
loadScript();
