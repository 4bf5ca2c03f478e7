import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import { mount } from '../../../widget/client/index.ts';
import { EN } from '../../../widget/client/strings/index.ts';
import { json, mountContext, settle, stubFetch } from '../helpers.ts';

function key(el: Element, k: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init });
  el.dispatchEvent(e);
  return e;
}

type Ctx = ReturnType<typeof mountContext>;

function api(opts: { context?: () => Promise<Response>; post?: () => Promise<Response> } = {}) {
  return stubFetch(async (url, init) => {
    if (url.endsWith('/v1/context'))
      return opts.context
        ? opts.context()
        : json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {} });
    if (init?.method === 'POST') return opts.post ? opts.post() : json(201, { status: 'rated', receivedAt: 1 });
    return json(404, { error: { code: 'not_found', message: '' } });
  });
}

const sliders = (c: Ctx) => [...c.root.querySelectorAll<HTMLInputElement>('input[type=range]')];
const posts = (f: ReturnType<typeof api>) => f.mock.calls.filter(([, init]) => init?.method === 'POST');

let c: Ctx;
let teardown: (() => void) | undefined;
async function start(ctx: Partial<Ctx> = {}) {
  c = mountContext(ctx);
  const ctl = mount(c);
  teardown = ctl.teardown;
  await settle();
  ctl.endSession!();
  await settle();
  return ctl;
}

beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
});
afterEach(() => {
  teardown?.();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('rating card', () => {
  it('shows nothing until endSession(), then four unset items with labels, anchors and a CSP nonce on its style', async () => {
    api();
    c = mountContext();
    const ctl = mount(c);
    teardown = ctl.teardown;
    await settle();
    expect(c.root.querySelector('form')).toBeNull();
    ctl.endSession!();
    const s = sliders(c);
    expect(s).toHaveLength(4);
    for (const [i, el] of s.entries()) {
      const item = DEFAULT_INSTRUMENT.items[i]!.text.en!;
      expect(c.root.querySelector(`label[for="${el.id}"]`)?.textContent).toBe(item.label);
      // Heard: the ends with the numbers they stand for; seen: the two anchors.
      expect(c.root.getElementById(el.getAttribute('aria-describedby')!)?.textContent).toBe(
        `0: ${item.low}. 10: ${item.high}.`,
      );
      expect(el.closest('.item')!.querySelector('.anchors')!.textContent).toBe(item.low + item.high);
      expect(el.getAttribute('aria-valuetext')).toBe('Not set');
      // Unset, the name carries the state too: "<label> Not set".
      const name = el
        .getAttribute('aria-labelledby')!
        .split(' ')
        .map((id) => c.root.getElementById(id)!.textContent)
        .join(' ');
      expect(name).toBe(`${item.label} Not set`);
      expect([el.min, el.max, el.step]).toEqual(['0', '10', '0.1']);
    }
    expect(c.root.querySelectorAll('.item.unset')).toHaveLength(4);
    const styles = [...c.root.querySelectorAll('style')];
    expect(styles.length).toBeGreaterThan(0);
    for (const st of styles) expect(st.getAttribute('nonce')).toBe('n0nce');
  });

  it('sets values by keyboard: arrows step 1, Shift+arrows 0.1, PageUp/PageDown 2, Home/End, typed numbers; read neutrally', async () => {
    api();
    await start();
    const [bond] = sliders(c);
    const text = () => bond!.getAttribute('aria-valuetext');
    expect(key(bond!, 'ArrowRight').defaultPrevented).toBe(true);
    expect(text()).toBe('5 of 10'); // the first press lands where the track is drawn
    expect(bond!.hasAttribute('aria-labelledby')).toBe(false); // named by its label alone once set
    key(bond!, 'ArrowRight');
    expect(text()).toBe('6 of 10'); // neutral: no end's words attached to a value above the middle
    key(bond!, 'ArrowRight', { shiftKey: true });
    expect(text()).toBe('6.1 of 10');
    key(bond!, 'PageUp');
    expect(bond!.value).toBe('8.1');
    key(bond!, 'Home');
    expect(text()).toBe('0 of 10');
    key(bond!, 'ArrowDown');
    expect(bond!.value).toBe('0');
    key(bond!, 'End');
    key(bond!, 'ArrowUp');
    expect(bond!.value).toBe('10');
    key(bond!, 'PageDown');
    key(bond!, 'ArrowLeft', { shiftKey: true });
    expect(bond!.value).toBe('7.9');
    key(bond!, 'ArrowLeft');
    expect(bond!.value).toBe('6.9');
    for (const k of ['7', '.', '5']) key(bond!, k);
    expect(text()).toBe('7.5 of 10');
    expect(bond!.closest('.item')!.querySelector('.value')!.textContent).toBe('7.5');
    for (const k of ['1', '0']) key(sliders(c)[1]!, k);
    expect(sliders(c)[1]!.value).toBe('10');
    expect(c.root.querySelectorAll('.item.unset')).toHaveLength(2);
    expect(key(bond!, 'Tab').defaultPrevented).toBe(false);
  });

  const track = (el: HTMLInputElement) =>
    // A 216 px track: 8 px inset each side for the thumb, so 200 px span 0..10.
    vi.spyOn(el, 'getBoundingClientRect').mockReturnValue({
      left: 100,
      width: 216,
      top: 0,
      height: 44,
      right: 316,
      bottom: 44,
      x: 100,
      y: 0,
      toJSON: () => ({}),
    });
  const pointer = (el: Element, type: string, x: number, y: number, pointerType = 'touch') =>
    el.dispatchEvent(
      new PointerEvent(type, { clientX: x, clientY: y, pointerId: 7, pointerType, isPrimary: true, bubbles: true }),
    );

  it('a touch sets a value only as a tap or a sideways drag; a swipe up or down never does', async () => {
    api();
    await start();
    const [bond, goals, approach] = sliders(c);
    for (const s of sliders(c)) track(s);
    // A swipe down that starts on the line: the browser scrolls and cancels the pointer.
    pointer(goals!, 'pointerdown', 258, 20);
    pointer(goals!, 'pointermove', 259, 40);
    goals!.value = '2.9'; // whatever the native slider did meanwhile is undone
    goals!.dispatchEvent(new Event('input', { bubbles: true }));
    pointer(goals!, 'pointercancel', 259, 40);
    expect(goals!.getAttribute('aria-valuetext')).toBe('Not set');
    expect(goals!.value).toBe('0');
    // A swipe up that the page could not scroll ends with pointerup: still no value.
    pointer(goals!, 'pointerdown', 258, 30);
    pointer(goals!, 'pointermove', 262, 5);
    pointer(goals!, 'pointerup', 262, 5);
    expect(goals!.getAttribute('aria-valuetext')).toBe('Not set');
    // A tap (a little wobble is still a tap).
    pointer(goals!, 'pointerdown', 100 + 8 + 150, 20);
    expect(goals!.getAttribute('aria-valuetext')).toBe('Not set'); // nothing on touch-down
    pointer(goals!, 'pointermove', 100 + 8 + 152, 23);
    pointer(goals!, 'pointerup', 100 + 8 + 150, 20);
    expect(goals!.getAttribute('aria-valuetext')).toBe('7.5 of 10');
    // A sideways drag follows the finger.
    pointer(bond!, 'pointerdown', 108 + 20, 20);
    pointer(bond!, 'pointermove', 108 + 60, 24);
    expect(bond!.getAttribute('aria-valuetext')).toBe('3 of 10');
    pointer(bond!, 'pointermove', 108 + 120, 26);
    pointer(bond!, 'pointerup', 108 + 120, 26);
    expect(bond!.getAttribute('aria-valuetext')).toBe('6 of 10');
    // A mouse press sets at once; a change made by assistive technology arrives as native input.
    pointer(approach!, 'pointerdown', 108 + 180, 20, 'mouse');
    expect(approach!.getAttribute('aria-valuetext')).toBe('9 of 10');
    pointer(approach!, 'pointerup', 108 + 180, 20, 'mouse');
    approach!.value = '3.3';
    approach!.dispatchEvent(new Event('input', { bubbles: true }));
    expect(approach!.getAttribute('aria-valuetext')).toBe('3.3 of 10');
  });

  it('mirrors a tap in a right-to-left card', async () => {
    api();
    await start({ locale: 'ar' });
    await vi.waitFor(() => expect(sliders(c)).toHaveLength(4));
    expect(c.root.querySelector('.root')!.getAttribute('dir')).toBe('rtl');
    const [bond] = sliders(c);
    track(bond!);
    pointer(bond!, 'pointerdown', 108 + 50, 20); // a quarter from the left: three quarters from the start
    pointer(bond!, 'pointerup', 108 + 50, 20);
    expect(bond!.value).toBe('7.5');
  });

  it("puts the privacy note before the items: the platform's words if it gave any", async () => {
    api();
    await start();
    const first = c.root.querySelector('form h2')!.nextElementSibling!;
    expect(first.textContent).toBe(EN.privacy);
    expect(first.textContent).toMatch(/^Only your therapist sees your answers\./);
    teardown!();
    document.body.innerHTML = '';
    await start({ privacyNote: 'Your clinic sees only totals.' });
    expect(c.root.querySelector('form h2')!.nextElementSibling!.textContent).toBe('Your clinic sees only totals.');
  });

  it('names the controls the device has: no arrow keys on a touch-only phone', async () => {
    api();
    const media = (fine: boolean) =>
      vi.stubGlobal('matchMedia', (q: string) => ({ matches: q === '(any-pointer: fine)' && fine, media: q }));
    media(false);
    await start();
    const intro = () => c.root.querySelector('form .privacy + p')!.textContent!;
    expect(intro()).toBe(EN.intro);
    expect(intro()).not.toMatch(/arrow|key/i);
    teardown!();
    document.body.innerHTML = '';
    media(true);
    await start();
    expect(intro()).toBe(EN.introKeys);
    expect(intro()).toMatch(/arrow keys/);
  });

  it('announces the card politely; takes focus to its heading only when the client ended the call', async () => {
    api();
    c = mountContext();
    const ctl = mount(c);
    teardown = ctl.teardown;
    const live = c.root.querySelector('[aria-live=polite]')!;
    expect(live.textContent).toBe(''); // there, and empty, before the card appears
    await settle();
    ctl.endSession!(); // a platform's own timer ends the call: no user action in happy-dom
    expect(live.textContent).toBe(EN.shown);
    expect(live.closest('form')).toBeNull();
    expect(c.root.activeElement).toBeNull();
    teardown!();
    document.body.innerHTML = '';

    api();
    c = mountContext();
    const ctl2 = mount(c);
    teardown = ctl2.teardown;
    await settle();
    ctl2.endSession!({ focus: true }); // the host says the client pressed "End call"
    expect(c.root.activeElement).toBe(c.root.querySelector('h2'));
    expect(c.root.activeElement!.textContent).toBe(EN.title);
  });

  it("takes focus when endSession() runs inside the user's own action (user activation)", async () => {
    api();
    // happy-dom has no user activation; a browser sets it for a few seconds after a click or key press.
    Object.defineProperty(navigator, 'userActivation', {
      configurable: true,
      value: { isActive: true, hasBeenActive: true },
    });
    try {
      await start();
      expect(c.root.activeElement).toBe(c.root.querySelector('h2'));
    } finally {
      delete (navigator as { userActivation?: unknown }).userActivation;
    }
  });

  it('names the missing items on submit, sends nothing and moves focus to the first missing one', async () => {
    const f = api();
    await start();
    const s = sliders(c);
    key(s[0]!, 'End');
    key(s[2]!, 'End');
    c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    const alert = c.root.querySelector('[role=alert]')!;
    expect(alert.textContent).toBe('Please rate: What we focused on, The session as a whole');
    expect(s[1]!.getAttribute('aria-invalid')).toBe('true');
    expect(s[0]!.hasAttribute('aria-invalid')).toBe(false);
    expect(c.root.activeElement).toBe(s[1]);
    expect(posts(f)).toHaveLength(0);
    key(s[1]!, '9');
    expect(alert.textContent).toBe('Please rate: The session as a whole');
    expect(s[1]!.hasAttribute('aria-invalid')).toBe(false);
  });

  it('submits the validated rating with an Idempotency-Key, thanks the client, then confirms delivery', async () => {
    const f = api();
    await start();
    const s = sliders(c);
    for (const [i, v] of [['8', '.', '5'], ['9'], ['1', '0'], ['7']].entries()) for (const k of v) key(s[i]!, k);
    c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    expect(c.root.querySelector('h2')?.textContent).toBe('Thank you for your feedback.');
    expect(c.root.activeElement).toBe(c.root.querySelector('h2'));
    await settle();
    const [url, init] = posts(f)[0] as [string, RequestInit];
    expect(url).toBe('https://api.test/v1/session/rating');
    expect(JSON.parse(init.body as string)).toEqual({
      kind: 'rating',
      instrument: 'attune-session-4',
      version: 1,
      items: [
        { id: 'bond', value: 8.5 },
        { id: 'goals', value: 9 },
        { id: 'approach', value: 10 },
        { id: 'overall', value: 7 },
      ],
    });
    const headers = init.headers as Record<string, string>;
    expect(headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.Authorization).toBe('Bearer tok');
    // The receipt did not say it reached an open summary.
    expect(c.root.querySelector('[role=status]')?.textContent).toBe(
      'Saved. Your therapist will see it when they open the summary.',
    );
    expect(c.events).toContainEqual(['rating:sent', expect.objectContaining({ status: 201 })]);
    expect(localStorage.getItem('attune:outbox:sess-1:client')).toBeNull();
  });

  it('says "Sent to your therapist." only when the receipt says it reached the open summary', async () => {
    api({ post: async () => json(201, { status: 'rated', receivedAt: 1, delivered: true }) });
    await start();
    for (const s of sliders(c)) key(s, 'End');
    c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Sending…');
    await settle();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Sent to your therapist.');
  });

  it('a server error keeps the rating queued and says it is saved on this device', async () => {
    api({ post: async () => json(503, { error: { code: 'unavailable', message: '' } }) });
    await start();
    for (const s of sliders(c)) key(s, 'End');
    c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe(
      'Saved on this device; it will be sent when you are online.',
    );
  });

  const skipButton = () => [...c.root.querySelectorAll('button')].find((b) => b.textContent === 'Skip rating')!;
  const undoButton = () => [...c.root.querySelectorAll('button')].find((b) => b.textContent === 'Rate after all');

  it('"Skip rating" is a real button; the skip can be taken back until it is sent, keeping the values set', async () => {
    const f = api();
    await start();
    key(sliders(c)[0]!, '7');
    expect(skipButton().type).toBe('button');
    expect(skipButton().tabIndex).toBe(0);
    skipButton().click();
    expect(c.root.querySelector('h2')?.textContent).toBe('Thank you. No rating will be shared for this session.');
    expect(c.root.activeElement).toBe(c.root.querySelector('h2'));
    await settle();
    expect(posts(f)).toHaveLength(0); // not yet: the client can change their mind
    undoButton()!.click();
    expect(sliders(c)).toHaveLength(4);
    expect(sliders(c)[0]!.value).toBe('7');
    expect(c.root.activeElement).toBe(sliders(c)[0]);

    // Skip again; the page is hidden (tab switched or closing): the decline is sent at once.
    skipButton().click();
    undoButton()!.focus();
    const vis = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    vis.mockRestore();
    expect(undoButton()).toBeUndefined();
    expect(c.root.activeElement).toBe(c.root.querySelector('h2')); // focus not lost with the button
    await settle();
    expect(posts(f)).toHaveLength(1);
    expect(JSON.parse((posts(f)[0]![1] as RequestInit).body as string)).toEqual({ kind: 'declined' });
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Your choice is saved.');
  });

  it('sends a skip after 8 seconds without an undo', async () => {
    const f = api();
    await start();
    vi.useFakeTimers();
    try {
      skipButton().click();
      await vi.advanceTimersByTimeAsync(7999);
      expect(posts(f)).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(posts(f)).toHaveLength(1);
      expect(undoButton()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
    await settle();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Your choice is saved.');
  });

  it('teardown during the undo window sends the skip (the client chose it)', async () => {
    const f = api();
    await start();
    skipButton().click();
    teardown!();
    teardown = undefined;
    await settle();
    expect(JSON.parse((posts(f)[0]![1] as RequestInit).body as string)).toEqual({ kind: 'declined' });
  });

  it('shows no card when the platform does not ask this session, and tells the host', async () => {
    const f = api({
      context: async () =>
        json(200, {
          role: 'client',
          instrument: DEFAULT_INSTRUMENT,
          locale: 'en',
          schedule: null,
          cues: {},
          ask: false,
        }),
    });
    await start();
    expect(c.root.querySelector('.card')).toBeNull();
    expect(c.events).toContainEqual(['rating:not-asked', undefined]);
    expect(posts(f)).toHaveLength(0);
  });

  it('when endSession() comes before the context, the loading card gives way to nothing if not asked', async () => {
    let answer!: (r: Response) => void;
    api({ context: () => new Promise((r) => (answer = r)) });
    c = mountContext();
    const ctl = mount(c);
    teardown = ctl.teardown;
    ctl.endSession!();
    expect(c.root.querySelector('.card')?.textContent).toBe('Loading…');
    answer(
      json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {}, ask: false }),
    );
    await settle();
    expect(c.root.querySelector('.card')).toBeNull();
    expect(c.events.filter(([e]) => e === 'rating:not-asked')).toHaveLength(1);
  });

  it("speaks the token's locale: strings, items, numbers and the root's lang", async () => {
    api({
      context: async () =>
        json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'es', schedule: null, cues: {} }),
    });
    await start({ locale: 'es' });
    await vi.waitFor(() => expect(c.root.querySelector('h2')?.textContent).toBe('¿Cómo fue la sesión de hoy?'));
    const [bond] = sliders(c);
    expect(c.root.querySelector('label')?.textContent).toBe(DEFAULT_INSTRUMENT.items[0]!.text.es!.label);
    for (const k of ['7', '.', '5']) key(bond!, k);
    expect(bond!.getAttribute('aria-valuetext')).toBe('7,5 de 10');
    expect(bond!.closest('.item')!.querySelector('.value')!.textContent).toBe('7,5');
    expect(c.root.querySelector<HTMLElement>('.root')!.lang).toBe('es');
    expect(c.root.querySelector<HTMLElement>('.root')!.dir).toBe('ltr');
  });

  it("without a locale in the token, speaks the browser's language, not the context's default", async () => {
    Object.defineProperty(navigator, 'languages', { configurable: true, value: ['fr-CA', 'en'] });
    try {
      api(); // the context says 'en' when the token has no locale
      await start({ locale: undefined });
      await vi.waitFor(() =>
        expect(c.root.querySelector('h2')?.textContent).toBe("Comment s'est passée la séance d'aujourd'hui ?"),
      );
      expect(c.root.querySelector<HTMLElement>('.root')!.lang).toBe('fr');
    } finally {
      delete (navigator as { languages?: unknown }).languages;
    }
  });

  it('speaks English, all of it, when the instrument has no text in the wanted language', async () => {
    const items = DEFAULT_INSTRUMENT.items.map((it) => ({ ...it, text: { en: it.text.en! } }));
    api({
      context: async () =>
        json(200, {
          role: 'client',
          instrument: { ...DEFAULT_INSTRUMENT, id: 'platform-own', items },
          locale: 'de',
          schedule: null,
          cues: {},
        }),
    });
    await start({ locale: 'de' });
    await vi.waitFor(() => expect(c.root.querySelector('h2')?.textContent).toBe(EN.title));
    expect(c.root.querySelector('label')?.textContent).toBe(items[0]!.text.en.label);
    expect(c.root.querySelector<HTMLElement>('.root')!.lang).toBe('en');
  });

  it('falls back to the default instrument when the context cannot load', async () => {
    api({ context: async () => Promise.reject(new TypeError('offline')) });
    await start();
    await vi.waitFor(() => expect(sliders(c)).toHaveLength(4));
    expect(c.root.querySelector('label')?.textContent).toBe('Trust between us');
  });

  it('when offline, keeps the rating, tells the client it is saved, and a reloaded page shows thanks and sends it', async () => {
    const f = api({ post: async () => Promise.reject(new TypeError('offline')) });
    await start();
    for (const s of sliders(c)) key(s, 'End');
    c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe(
      'Saved on this device; it will be sent when you are online.',
    );
    const queued = JSON.parse(localStorage.getItem('attune:outbox:sess-1:client')!) as Array<{ key: string }>;
    expect(queued).toHaveLength(1);
    const firstKey = (posts(f)[0]![1]!.headers as Record<string, string>)['Idempotency-Key'];
    expect(queued[0]!.key).toBe(firstKey);
    teardown!(); // the tab closes
    document.body.innerHTML = '';

    const f2 = api();
    vi.resetModules(); // a new page: fresh module instances, only localStorage survives
    const fresh = await import('../../../widget/client/index.ts');
    expect(fresh.mount).not.toBe(mount);
    c = mountContext();
    teardown = fresh.mount(c).teardown; // no endSession() yet
    expect(c.root.querySelector('h2')?.textContent).toBe('Thank you for your feedback.');
    expect(c.root.activeElement).toBeNull(); // no focus stolen on load
    await settle();
    expect((posts(f2)[0]![1]!.headers as Record<string, string>)['Idempotency-Key']).toBe(firstKey);
    expect(localStorage.getItem('attune:outbox:sess-1:client')).toBeNull();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe(
      'Saved. Your therapist will see it when they open the summary.',
    );
  });

  it('after a delivered rating, a reload and endSession() show thanks instead of a second card', async () => {
    api();
    localStorage.setItem('attune:done:sess-1:client', 'rating');
    await start();
    expect(sliders(c)).toHaveLength(0);
    expect(c.root.querySelector('h2')?.textContent).toBe('Thank you for your feedback.');
  });

  it('teardown removes everything it drew', async () => {
    api();
    await start();
    teardown!();
    teardown = undefined;
    expect(c.root.childNodes).toHaveLength(0);
  });
});
