import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import { PENDING_SUMMARY, type SessionSummary } from '../../../schemas/summary.ts';
import type { TrackAnalysers } from '../../../widget/therapist/audio/track-analysers.ts';
import { boot, type AttuneApi } from '../../../widget/embed/boot.ts';
import { mount } from '../../../widget/therapist/index.tsx';
import { fakeToken, json, mountContext, stubFetch } from '../helpers.ts';
import { FakeSocket } from './fake-socket.ts';

const pending: SessionSummary = PENDING_SUMMARY;
const rated: SessionSummary = {
  ...pending,
  status: 'rated',
  instrument: { id: 'attune-session-4', version: 1 },
  items: [{ id: 'bond', value: 9 }],
  total: 9,
  maxTotal: 40,
  ratedAt: 1_800_000_000,
};
const track = (id: string) =>
  ({ id, kind: 'audio', readyState: 'live', enabled: true, stop() {} }) as unknown as MediaStreamTrack;
/** The therapist speaks 3 s of every 4, the client the rest. */
const analysers: TrackAnalysers = {
  power: (t) => (performance.now() % 4000 < 3000 === (t.id === 'local') ? 0.01 : 1e-7),
  sync: () => {},
  running: () => true,
  close: () => {},
};

const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
const stored = (key: string) =>
  JSON.parse(localStorage.getItem(key) ?? '[]') as Array<{ key: string; body: { durationSeconds: number } }>;
const pacingPosts = (f: ReturnType<typeof stubFetch>) =>
  f.mock.calls.filter(([u, i]) => u.endsWith('/pacing') && i?.method === 'POST');
const idemKey = (call: [string, RequestInit?]) => (call[1]!.headers as Record<string, string>)['Idempotency-Key'];

function api(opts: { pacing?: () => Promise<Response>; locale?: string } = {}) {
  return stubFetch(async (url, init) => {
    if (url.endsWith('/v1/context'))
      return json(200, {
        role: 'therapist',
        instrument: DEFAULT_INSTRUMENT,
        locale: opts.locale ?? 'en',
        schedule: null,
        cues: {},
      });
    if (url.endsWith('/pacing') && init?.method === 'POST')
      return opts.pacing ? opts.pacing() : json(201, { status: 'recorded', receivedAt: 1 });
    if (url.endsWith('/summary')) return json(200, pending);
    return json(404, { error: { code: 'not_found', message: '' } });
  });
}

type W = Window & { Attune?: unknown };

// The summary view is a chunk of its own, fetched at mount (widget/therapist/index.tsx): loaded once here, as a page has it.
beforeAll(() => import('../../../widget/therapist/summary-view.tsx'));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  document.body.innerHTML = '';
  localStorage.clear();
  FakeSocket.all = [];
  FakeSocket.autoPong = true; // the Durable Object's auto-response
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  ((window as W).Attune as AttuneApi | undefined)?.remove?.();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('therapist chunk as the loader mounts it (no options)', () => {
  it('opens the live push: a WebSocket to /v1/live with protocols attune.v1 and bearer.<token>; trend styles are in', async () => {
    api();
    const token = fakeToken({ role: 'therapist', sid: 's-7', aud: 'attune' });
    const script = document.createElement('script');
    script.type = 'text/plain';
    script.setAttribute('src', 'https://api.test/widget.js');
    script.setAttribute('data-token', token);
    document.body.appendChild(script);
    (window as W).Attune = { q: [['endSession', []]] };
    boot(window, { importer: () => import('../../../widget/therapist/index.tsx'), script });
    await advance(0);
    expect(FakeSocket.all).toHaveLength(1);
    expect(FakeSocket.all[0]!.url).toBe('wss://api.test/v1/live');
    expect(FakeSocket.all[0]!.protocols).toEqual(['attune.v1', 'bearer.' + token]);
    const root = document.querySelector('attune-widget')!.shadowRoot!;
    expect([...root.querySelectorAll('style')].map((s) => s.textContent).join('')).toContain('.spark');
  });

  it('keeps listening past the grace while its own pacing is still on its way, and stops once the pushed summary has it', async () => {
    let online = false;
    const f = api({
      pacing: async () =>
        online ? json(201, { status: 'recorded', receivedAt: 1 }) : Promise.reject(new TypeError('offline')),
    });
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers });
    ctl.attachAudio!({ local: track('local'), remote: track('a') });
    await advance(5000);
    await act(() => ctl.endSession!());
    await advance(0);
    const ws = FakeSocket.all[0]!;
    ws.onopen!(new Event('open'));
    await act(() => ws.summary(rated)); // rated, no pacing yet: the pacing POST failed (offline)
    await advance(6 * 60_000); // beyond the 5-minute grace
    expect(ws.closed).toBeNull();
    expect(FakeSocket.all).toHaveLength(1);
    online = true;
    window.dispatchEvent(new Event('online'));
    await advance(0);
    expect(c.events.some(([e]) => e === 'pacing:sent')).toBe(true);
    const body = JSON.parse(pacingPosts(f).at(-1)![1]!.body as string) as NonNullable<SessionSummary['pacing']>;
    await act(() => ws.summary({ ...rated, pacing: body })); // the Worker publishes after the pacing write
    expect(c.root.querySelector('.pacing')?.textContent).not.toContain('not yet confirmed');
    expect(ws.closed).toBe(1000); // final: nothing more will change
    ctl.teardown();
  });

  it('still stops after the grace when it posted no pacing of its own', async () => {
    api();
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers });
    await act(() => ctl.endSession!());
    const ws = FakeSocket.all[0]!;
    ws.onopen!(new Event('open'));
    await act(() => ws.summary(rated));
    await advance(5 * 60_000 + 1);
    expect(ws.closed).toBe(1000);
    ctl.teardown();
  });
});

describe('therapist lang', () => {
  it("sets lang on the widget root to the chosen locale and follows the context's", async () => {
    api({ locale: 'es' });
    const c = mountContext({ role: 'therapist', locale: 'en' });
    const ctl = mount(c, { analysers });
    const root = () => c.root.querySelector<HTMLElement>('.root')!;
    expect(root().lang).toBe('en');
    await advance(0);
    expect(root().lang).toBe('es');
    ctl.teardown();
  });
});

describe('pacing when the tab closes mid-call', () => {
  it('on hidden/pagehide keeps a snapshot in the outbox unsent; endSession() replaces and sends it under the same key', async () => {
    const f = api();
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers });
    ctl.attachAudio!({ local: track('local'), remote: track('a') });
    await advance(6000);
    const q = 'attune:outbox:sess-1:therapist';
    const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    await advance(0);
    const first = stored(q);
    expect(first).toHaveLength(1);
    expect(first[0]!.body.durationSeconds).toBeGreaterThan(4);
    hidden.mockReturnValue('visible');
    await advance(4000);
    window.dispatchEvent(new Event('pagehide'));
    const second = stored(q);
    expect(second).toEqual([expect.objectContaining({ key: first[0]!.key })]);
    expect(second[0]!.body.durationSeconds).toBeGreaterThan(first[0]!.body.durationSeconds);
    expect(pacingPosts(f)).toHaveLength(0); // never sent during the call

    await act(() => ctl.endSession!());
    await advance(0);
    expect(pacingPosts(f)).toHaveLength(1);
    expect(idemKey(pacingPosts(f)[0]!)).toBe(first[0]!.key);
    expect(localStorage.getItem(q)).toBeNull();
    ctl.teardown();
  });

  it('a snapshot left by a closed tab is sent by a page that mounts the widget later (not while its tab may be alive)', async () => {
    const f = api();
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers });
    ctl.attachAudio!({ local: track('local'), remote: track('a') });
    await advance(6000);
    window.dispatchEvent(new Event('pagehide'));
    const [draft] = stored('attune:outbox:sess-1:therapist');
    await advance(3000);
    // Rewritten with every snapshot while the call goes on (other tabs can tell it is alive).
    expect(stored('attune:outbox:sess-1:therapist')[0]!.body.durationSeconds).toBeGreaterThan(
      draft!.body.durationSeconds,
    );
    const other = mount(mountContext({ role: 'therapist', sid: 'sess-3', token: 'tok3' }), { analysers });
    await advance(0);
    expect(pacingPosts(f)).toHaveLength(0); // a tab still in its call: left alone
    other.teardown();
    ctl.teardown(); // the tab is gone
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1);

    const next = mount(mountContext({ role: 'therapist', sid: 'sess-2', token: 'tok2' }), { analysers });
    await advance(0);
    expect(pacingPosts(f)).toHaveLength(1);
    expect(pacingPosts(f)[0]![0]).toBe('https://api.test/v1/session/pacing');
    expect(idemKey(pacingPosts(f)[0]!)).toBe(draft!.key);
    expect((pacingPosts(f)[0]![1]!.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    next.teardown();
  });
});
