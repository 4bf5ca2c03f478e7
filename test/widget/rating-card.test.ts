import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../schemas/instrument.ts';
import { mount } from '../../widget/client.ts';
import { json, key, mountContext, settle, stubFetch } from './helpers.ts';

type Ctx = ReturnType<typeof mountContext>;

function api(opts: { context?: () => Promise<Response>; post?: () => Promise<Response> } = {}) {
  return stubFetch(async (url, init) => {
    if (url.endsWith('/v1/context')) return opts.context ? opts.context() : json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {} });
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
      expect(c.root.getElementById(el.getAttribute('aria-describedby')!)?.textContent).toBe(item.low + item.high);
      expect(el.getAttribute('aria-valuetext')).toBe('Not set');
      expect([el.min, el.max, el.step]).toEqual(['0', '10', '0.1']);
    }
    expect(c.root.querySelectorAll('.item.unset')).toHaveLength(4);
    const styles = [...c.root.querySelectorAll('style')];
    expect(styles.length).toBeGreaterThan(0);
    for (const st of styles) expect(st.getAttribute('nonce')).toBe('n0nce');
  });

  it('sets values by keyboard: arrows step 0.1, PageUp/PageDown 1, Home/End, typed numbers', async () => {
    api();
    await start();
    const [bond] = sliders(c);
    const text = () => bond!.getAttribute('aria-valuetext');
    expect(key(bond!, 'ArrowRight').defaultPrevented).toBe(true);
    expect(text()).toBe('5.0 out of 10, midway'); // the first press lands where the track is drawn
    key(bond!, 'ArrowRight');
    expect(text()).toBe('5.1 out of 10, I felt heard, understood and respected');
    key(bond!, 'PageUp');
    expect(bond!.value).toBe('6.1');
    key(bond!, 'Home');
    expect(text()).toBe('0.0 out of 10, I did not feel heard or respected');
    key(bond!, 'ArrowDown');
    expect(bond!.value).toBe('0');
    key(bond!, 'End');
    key(bond!, 'ArrowUp');
    expect(bond!.value).toBe('10');
    key(bond!, 'PageDown');
    key(bond!, 'ArrowLeft');
    expect(bond!.value).toBe('8.9');
    for (const k of ['7', '.', '5']) key(bond!, k);
    expect(text()).toBe('7.5 out of 10, I felt heard, understood and respected');
    for (const k of ['1', '0']) key(sliders(c)[1]!, k);
    expect(sliders(c)[1]!.value).toBe('10');
    expect(c.root.querySelectorAll('.item.unset')).toHaveLength(2);
    expect(key(bond!, 'Tab').defaultPrevented).toBe(false);
  });

  it('sets a value by a tap on the track, without dragging, and follows native input', async () => {
    api();
    await start();
    const [, goals, approach] = sliders(c);
    // A 216 px track: 8 px inset each side for the thumb, so 200 px span 0..10.
    vi.spyOn(goals!, 'getBoundingClientRect').mockReturnValue({ left: 100, width: 216, top: 0, height: 44, right: 316, bottom: 44, x: 100, y: 0, toJSON: () => ({}) });
    goals!.dispatchEvent(new PointerEvent('pointerdown', { clientX: 100 + 8 + 150, bubbles: true }));
    expect(goals!.getAttribute('aria-valuetext')).toBe('7.5 out of 10, We worked on what I wanted to work on');
    approach!.value = '3.3';
    approach!.dispatchEvent(new Event('input', { bubbles: true }));
    expect(approach!.getAttribute('aria-valuetext')).toBe('3.3 out of 10, The way we worked did not suit me');
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
    expect(alert.textContent).toBe('Please rate: What we worked on, Today overall');
    expect(s[1]!.getAttribute('aria-invalid')).toBe('true');
    expect(s[0]!.hasAttribute('aria-invalid')).toBe(false);
    expect(c.root.activeElement).toBe(s[1]);
    expect(posts(f)).toHaveLength(0);
    key(s[1]!, '9');
    expect(alert.textContent).toBe('Please rate: Today overall');
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
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Saved. Your therapist will see it when they open the summary.');
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
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Saved on this device; it will be sent when you are online.');
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
    const f = api({ context: async () => json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {}, ask: false }) });
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
    answer(json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {}, ask: false }));
    await settle();
    expect(c.root.querySelector('.card')).toBeNull();
    expect(c.events.filter(([e]) => e === 'rating:not-asked')).toHaveLength(1);
  });

  it('speaks the locale from the context (Spanish)', async () => {
    api({ context: async () => json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'es', schedule: null, cues: {} }) });
    await start({ locale: undefined });
    const [bond] = sliders(c);
    expect(c.root.querySelector('h2')?.textContent).toBe('¿Cómo fue la sesión de hoy?');
    for (const k of ['7', '.', '5']) key(bond!, k);
    expect(bond!.getAttribute('aria-valuetext')).toBe('7,5 de 10, Me sentí escuchado, comprendido y respetado');
  });

  it('falls back to the default instrument when the context cannot load', async () => {
    api({ context: async () => Promise.reject(new TypeError('offline')) });
    await start();
    await vi.waitFor(() => expect(sliders(c)).toHaveLength(4));
    expect(c.root.querySelector('label')?.textContent).toBe('Feeling heard and respected');
  });

  it('when offline, keeps the rating, tells the client it is saved, and a reloaded page shows thanks and sends it', async () => {
    const f = api({ post: async () => Promise.reject(new TypeError('offline')) });
    await start();
    for (const s of sliders(c)) key(s, 'End');
    c.root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Saved on this device; it will be sent when you are online.');
    const queued = JSON.parse(localStorage.getItem('attune:outbox:sess-1:client')!) as Array<{ key: string }>;
    expect(queued).toHaveLength(1);
    const firstKey = (posts(f)[0]![1]!.headers as Record<string, string>)['Idempotency-Key'];
    expect(queued[0]!.key).toBe(firstKey);
    teardown!(); // the tab closes
    document.body.innerHTML = '';

    const f2 = api();
    vi.resetModules(); // a new page: fresh module instances, only localStorage survives
    const fresh = await import('../../widget/client.ts');
    expect(fresh.mount).not.toBe(mount);
    c = mountContext();
    teardown = fresh.mount(c).teardown; // no endSession() yet
    expect(c.root.querySelector('h2')?.textContent).toBe('Thank you for your feedback.');
    expect(c.root.activeElement).toBeNull(); // no focus stolen on load
    await settle();
    expect((posts(f2)[0]![1]!.headers as Record<string, string>)['Idempotency-Key']).toBe(firstKey);
    expect(localStorage.getItem('attune:outbox:sess-1:client')).toBeNull();
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Saved. Your therapist will see it when they open the summary.');
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
