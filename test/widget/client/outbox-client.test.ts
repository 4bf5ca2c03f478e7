// What the client card says about its rating's delivery, and that it never rates under a guessed instrument.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT, type Instrument } from '../../../schemas/instrument.ts';
import { mount } from '../../../widget/client/index.ts';
import { fakeToken, json, key, mountContext, settle, stubFetch } from '../helpers.ts';

type Ctx = ReturnType<typeof mountContext>;
const PLATFORM: Instrument = {
  ...DEFAULT_INSTRUMENT,
  id: 'acme-check-in',
  version: 3,
  items: DEFAULT_INSTRUMENT.items
    .slice(0, 2)
    .map((i, n) => ({ ...i, id: `q${n}`, text: { en: { ...i.text.en!, label: `Acme question ${n + 1}` } } })),
};
const contextOf = (instrument: Instrument) =>
  json(200, { role: 'client', instrument, locale: 'en', schedule: null, cues: {} });

let c: Ctx;
let teardown: (() => void) | undefined;
const status = () => c.root.querySelector('[role=status]')?.textContent;
const sliders = () => [...c.root.querySelectorAll<HTMLInputElement>('input[type=range]')];
async function rateAndSend(ctx: Partial<Ctx> = {}) {
  c = mountContext(ctx);
  const ctl = mount(c);
  teardown = ctl.teardown;
  await settle();
  ctl.endSession!();
  await vi.waitFor(() => expect(sliders().length).toBeGreaterThan(0));
  for (const s of sliders()) key(s, 'End');
  c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  await settle();
}

beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
});
afterEach(() => {
  teardown?.();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('client delivery states', () => {
  it('409 already_rated: tells the client their other answer was kept', async () => {
    stubFetch(async (url) =>
      url.endsWith('/v1/context')
        ? contextOf(DEFAULT_INSTRUMENT)
        : json(409, { error: { code: 'already_rated', message: '' } }),
    );
    await rateAndSend();
    expect(status()).toBe('Your earlier answer for this session was kept; this one was not saved.');
  });

  it('any other 409 is not a delivery: the client hears it was not saved', async () => {
    stubFetch(async (url) =>
      url.endsWith('/v1/context')
        ? contextOf(DEFAULT_INSTRUMENT)
        : json(409, { error: { code: 'idempotency_conflict', message: '' } }),
    );
    await rateAndSend();
    expect(status()).toBe('Sorry, this could not be saved.');
    expect(c.events).toContainEqual(['error', expect.objectContaining({ code: 'idempotency_conflict' })]);
  });

  it('410 client_erased: says truthfully that nothing was stored', async () => {
    stubFetch(async (url) =>
      url.endsWith('/v1/context')
        ? contextOf(DEFAULT_INSTRUMENT)
        : json(410, { error: { code: 'client_erased', message: '' } }),
    );
    await rateAndSend();
    expect(status()).toBe('Not saved: your feedback records here were erased.');
  });

  it('storage disabled and offline: does not claim it is saved on this device', async () => {
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    stubFetch(async (url) =>
      url.endsWith('/v1/context') ? contextOf(DEFAULT_INSTRUMENT) : Promise.reject(new TypeError('offline')),
    );
    await rateAndSend();
    expect(status()).toBe('Not sent yet, and not saved on this device. Keep this page open.');
  });

  it('storage working and offline: saved on this device', async () => {
    stubFetch(async (url) =>
      url.endsWith('/v1/context') ? contextOf(DEFAULT_INSTRUMENT) : Promise.reject(new TypeError('offline')),
    );
    await rateAndSend();
    expect(status()).toBe('Saved on this device; it will be sent when you are online.');
  });
});

describe('the instrument when /v1/context fails', () => {
  it('a token naming the platform instrument gets no guessed card; the card comes once the context answers, and the rating is stored under it', async () => {
    let contextUp = false;
    const posts: RequestInit[] = [];
    const f = stubFetch(async (url, init) => {
      if (url.endsWith('/v1/context'))
        return contextUp ? contextOf(PLATFORM) : Promise.reject(new TypeError('offline'));
      posts.push(init!);
      return json(201, { status: 'rated', receivedAt: 1 });
    });
    c = mountContext({ token: fakeToken({ role: 'client', sid: 'sess-1', ins: PLATFORM.id }) });
    const ctl = mount(c);
    teardown = ctl.teardown;
    await settle();
    ctl.endSession!();
    await vi.waitFor(() => expect(c.root.textContent).toContain('The questions will appear once you are online.'));
    expect(sliders()).toHaveLength(0);
    expect(c.root.querySelector('button[type=submit]')).toBeNull();

    contextUp = true;
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(sliders()).toHaveLength(2));
    expect(c.root.querySelector('label')?.textContent).toBe('Acme question 1');
    for (const s of sliders()) key(s, 'End');
    c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    expect(JSON.parse(posts[0]!.body as string)).toMatchObject({ instrument: PLATFORM.id, version: 3 });
    expect(f.mock.calls.filter(([u]) => u.endsWith('/v1/context')).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps retrying the context with backoff while there is no instrument', async () => {
    vi.useFakeTimers();
    const f = stubFetch(async () => Promise.reject(new TypeError('offline')));
    c = mountContext({ token: fakeToken({ role: 'client', sid: 'sess-1', ins: PLATFORM.id }) });
    teardown = mount(c).teardown;
    await vi.advanceTimersByTimeAsync(0);
    const tries = () => f.mock.calls.filter(([u]) => u.endsWith('/v1/context')).length;
    expect(tries()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(tries()).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(tries()).toBe(3);
  });

  it('a final refusal (401) stops the retries and says the questions could not be loaded', async () => {
    const f = stubFetch(async () => json(401, { error: { code: 'token_expired', message: '' } }));
    c = mountContext({ token: fakeToken({ role: 'client', sid: 'sess-1', ins: PLATFORM.id }) });
    const ctl = mount(c);
    teardown = ctl.teardown;
    await settle();
    ctl.endSession!();
    await vi.waitFor(() => expect(c.root.textContent).toContain('Sorry, the questions could not be loaded.'));
    expect(f).toHaveBeenCalledOnce();
  });

  it('a token naming no instrument (or the default) still rates offline with the bundled default', async () => {
    stubFetch(async () => Promise.reject(new TypeError('offline')));
    await rateAndSend({ token: fakeToken({ role: 'client', sid: 'sess-1', ins: DEFAULT_INSTRUMENT.id }) });
    expect(c.root.querySelector('h2')?.textContent).toBe('Thank you for your feedback.');
    expect(JSON.parse(localStorage.getItem('attune:outbox:sess-1:client')!)[0].body).toMatchObject({
      instrument: DEFAULT_INSTRUMENT.id,
    });
  });
});
