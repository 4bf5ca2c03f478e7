import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT, type Instrument } from '../../../schemas/instrument.ts';
import { mount } from '../../../widget/client/index.ts';
import { createOutbox } from '../../../widget/shared/outbox.ts';
import { json, mountContext, settle, stubFetch } from '../helpers.ts';

function api(opts: { locale?: string; instrument?: Instrument; post?: (url: string) => Promise<Response> } = {}) {
  return stubFetch(async (url, init) => {
    if (url.endsWith('/v1/context'))
      return json(200, {
        role: 'client',
        instrument: opts.instrument ?? DEFAULT_INSTRUMENT,
        locale: opts.locale ?? 'en',
        schedule: null,
        cues: {},
      });
    if (init?.method === 'POST') return opts.post ? opts.post(url) : json(201, { status: 'rated', receivedAt: 1 });
    return json(404, { error: { code: 'not_found', message: '' } });
  });
}
const posts = (f: ReturnType<typeof api>) => f.mock.calls.filter(([, init]) => init?.method === 'POST');

let teardown: (() => void) | undefined;
beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
});
afterEach(() => {
  teardown?.();
  teardown = undefined;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('client widget', () => {
  it("sets lang on the widget root to the token's locale, and follows the context when its instrument lacks it", async () => {
    const items = DEFAULT_INSTRUMENT.items.map((it) => ({ ...it, text: { en: it.text.en! } }));
    api({ locale: 'es', instrument: { ...DEFAULT_INSTRUMENT, items } });
    const c = mountContext({ locale: 'es' });
    teardown = mount(c).teardown;
    expect(c.root.querySelector<HTMLElement>('.root')!.lang).toBe('es');
    await vi.waitFor(() => expect(c.root.querySelector<HTMLElement>('.root')!.lang).toBe('en'));
  });

  it('accepts connect() and attachAudio() and measures nothing (the Room is not touched)', async () => {
    api();
    const c = mountContext();
    const ctl = mount(c);
    teardown = ctl.teardown;
    const room = { on: vi.fn(), localParticipant: {}, remoteParticipants: new Map() };
    expect(typeof ctl.connect).toBe('function');
    expect(typeof ctl.attachAudio).toBe('function');
    ctl.connect!(room);
    ctl.attachAudio!({ local: {}, remote: [] });
    await settle();
    expect(room.on).not.toHaveBeenCalled();
    expect(c.events.filter(([e]) => e === 'error')).toEqual([]);
  });

  it("item ids never collide with the card heading's id, whatever the instrument calls its items", async () => {
    const items = [{ ...DEFAULT_INSTRUMENT.items[0]!, id: 'title' }, ...DEFAULT_INSTRUMENT.items.slice(1)];
    api({ instrument: { ...DEFAULT_INSTRUMENT, items } });
    const c = mountContext();
    const ctl = mount(c);
    teardown = ctl.teardown;
    await settle();
    ctl.endSession!();
    expect(c.root.querySelectorAll('[id="attune-title"]')).toHaveLength(1);
    expect(c.root.querySelector('[id="attune-title"]')!.tagName).toBe('H2');
    const slider = c.root.querySelector('input[type=range]')!;
    expect(slider.id).toBe('attune-item-title');
    expect(c.root.querySelector(`label[for="${slider.id}"]`)).not.toBeNull();
  });

  it("sends a rating another session left behind, with that session's token, and marks that session done", async () => {
    const left = createOutbox({
      storageKey: 'attune:outbox:old:client',
      api: 'https://api.test',
      token: 'tok-old',
      storage: localStorage,
      fetch: async () => Promise.reject(new TypeError('offline')),
    });
    const item = left.enqueue('rating', '/v1/sessions/old/rating', { kind: 'declined' });
    await settle();
    left.stop();

    const f = api({ post: async () => json(201, { status: 'declined', receivedAt: 1 }) });
    const c = mountContext(); // session sess-1, token 'tok'
    teardown = mount(c).teardown;
    await settle();
    expect(posts(f)).toHaveLength(1);
    const [url, init] = posts(f)[0]!;
    expect(url).toBe('https://api.test/v1/sessions/old/rating');
    expect(init!.headers).toMatchObject({ Authorization: 'Bearer tok-old', 'Idempotency-Key': item.key });
    expect(localStorage.getItem('attune:outbox:old:client')).toBeNull();
    expect(localStorage.getItem('attune:done:old:client')).toBe('declined');
    // This page's own session is untouched: no thanks card, no rating:sent for it.
    expect(localStorage.getItem('attune:done:sess-1:client')).toBeNull();
    expect(c.root.querySelector('h2')).toBeNull();
    expect(c.events.some(([e]) => e === 'rating:sent')).toBe(false);
  });
});
