import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, remove, type AttuneWidget } from '../../../widget/index.ts';
import { fakeToken, json } from '../helpers.ts';

type W = Window & { Attune?: AttuneWidget };

afterEach(() => {
  remove();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('attune/widget mount()', () => {
  it('reports a bad token to the listeners given to mount, before anything starts', () => {
    const error = vi.fn();
    const w = mount({ token: 'not-a-token', api: 'https://api.test', on: { error } });
    expect(error).toHaveBeenCalledWith({ code: 'bad_token', message: expect.any(String) });
    expect((window as W).Attune).toBe(w);
    expect(document.querySelector('attune-widget')).toBeNull();
  });

  it('mounts the role chunk from the package into the given element; one widget per page; remove() leaves nothing', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => json(200, { ask: false }));
    const slot = document.createElement('section');
    document.body.appendChild(slot);
    const ready = new Promise((resolve) =>
      mount({
        token: fakeToken({ role: 'client', sid: 's-1', aud: 'attune' }),
        api: 'https://api.test/',
        target: slot,
        on: { ready: resolve },
      }),
    );
    expect(await ready).toEqual({ role: 'client' });
    expect(slot.querySelector('attune-widget')?.shadowRoot).toBeTruthy();
    expect(vi.mocked(fetch).mock.calls.some(([url]) => String(url) === 'https://api.test/v1/context')).toBe(true);
    const again = vi.fn();
    mount({ token: 'other', api: 'https://api.test', on: { 'rating:not-asked': again } });
    expect(document.querySelectorAll('attune-widget')).toHaveLength(1);
    remove();
    expect(document.querySelector('attune-widget')).toBeNull();
    expect((window as W).Attune).toBeUndefined();
  });
});
