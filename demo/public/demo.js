// The platform page: asks the Worker's dev-only route for a therapist and a client token, then opens both call pages.
// A session can be started again after it ends (each start loads fresh call pages for a new session).
const api = document.querySelector('meta[name="attune-api"]').content;
const $ = (id) => document.getElementById(id);
const status = (text) => {
  $('status').textContent = text;
};
let starts = 0;

$('start').addEventListener('click', async () => {
  $('start').disabled = true;
  $('end').disabled = true;
  status('Starting…');
  try {
    const res = await fetch(`${api}/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        minutes: Number($('minutes').value),
        locale: $('locale').value,
        quick: $('quick').checked,
      }),
    });
    if (!res.ok) throw new Error(`dev tokens: HTTP ${res.status}`);
    const { therapist, client } = await res.json();
    // A real platform renders the token into its own page server-side; the fragment stands in for that here. A new
    // query makes each start a new page load (a new fragment alone would not reload the frame).
    starts += 1;
    const page = (role, token) => `/pane.html?start=${starts}#role=${role}&token=${encodeURIComponent(token)}`;
    // End is offered once both call pages have loaded (an "end" sent to a page still loading would be lost).
    const loaded = (id) => new Promise((resolve) => $(id).addEventListener('load', resolve, { once: true }));
    const both = Promise.all([loaded('therapist'), loaded('client')]);
    $('therapist').src = page('therapist', therapist);
    $('client').src = page('client', client);
    await both;
    $('end').disabled = false;
    status('In session');
  } catch (err) {
    status(`Could not start: ${err.message}. Is npm start still running?`);
  } finally {
    $('start').disabled = false;
  }
});

$('end').addEventListener('click', () => {
  for (const id of ['therapist', 'client']) $(id).contentWindow?.postMessage({ type: 'end-call' }, location.origin);
  $('end').disabled = true;
  status('Call ended: rate as the client on the right, then start another session whenever you like.');
});
