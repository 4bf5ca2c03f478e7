// The platform page: asks the Worker's dev-only route for a therapist and a client token, then opens both call pages.
const api = document.querySelector('meta[name="attune-api"]').content;
const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };

$('start').addEventListener('click', async () => {
  $('start').disabled = true;
  status('Starting…');
  try {
    const res = await fetch(`${api}/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ minutes: Number($('minutes').value) }),
    });
    if (!res.ok) throw new Error(`dev tokens: HTTP ${res.status}`);
    const { therapist, client } = await res.json();
    // A real platform renders the token into its own page server-side; the fragment stands in for that here.
    $('therapist').src = `/pane.html#role=therapist&token=${encodeURIComponent(therapist)}`;
    $('client').src = `/pane.html#role=client&token=${encodeURIComponent(client)}`;
    $('end').disabled = false;
    status('In session');
  } catch (err) {
    status(`Could not start: ${err.message}`);
    $('start').disabled = false;
  }
});

$('end').addEventListener('click', () => {
  for (const id of ['therapist', 'client']) $(id).contentWindow?.postMessage({ type: 'end-call' }, location.origin);
  $('end').disabled = true;
  status('Call ended');
});
