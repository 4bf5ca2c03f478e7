import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import { mount } from '../../../widget/client/index.ts';
import type { RoleController } from '../../../widget/shared/contract.ts';
import { json, mountContext, settle, stubFetch } from '../helpers.ts';

const RED = 'rgb(255, 0, 0)';
let ctl: RoleController;
let c: ReturnType<typeof mountContext>;

beforeEach(async () => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  // A host page with aggressive global rules. Inherited properties set on `*` reach the host element and would
  // flow into the shadow tree; the card resets them. (`* {...!important}` is not used here: happy-dom wrongly
  // matches document `*` rules inside shadow trees, which browsers never do.)
  const hostStyle = document.createElement('style');
  hostStyle.textContent = `* { color: ${RED}; font-size: 40px; letter-spacing: 7px; line-height: 3; font-family: Impact; }
    button { background-color: ${RED} !important; min-height: 0 !important; padding: 0; }
    label { display: none !important; } h2 { font-size: 50px; } input { height: 2px !important; }`;
  document.head.appendChild(hostStyle);
  stubFetch(async () =>
    json(200, { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {} }),
  );
  c = mountContext();
  ctl = mount(c);
  await settle();
  ctl.endSession!();
});
afterEach(() => {
  ctl.teardown();
  vi.unstubAllGlobals();
});

describe('style isolation', () => {
  it('host page rules (`*`, `button`, `label`) do not change the card', () => {
    const submit = c.root.querySelector<HTMLButtonElement>('button.primary')!;
    const label = c.root.querySelector('label')!;
    const title = c.root.querySelector('h2')!;
    expect(getComputedStyle(submit).backgroundColor).not.toBe(RED);
    expect(getComputedStyle(label).display).not.toBe('none');
    expect(getComputedStyle(label).color).not.toBe(RED);
    expect(getComputedStyle(title).fontSize).toBe('18px');
    expect(getComputedStyle(label).fontSize).toBe('16px');
    expect(getComputedStyle(submit).minHeight).toBe('44px');
    // Inherited text properties (the host's letter-spacing…) stop at `.root{all:initial}`: happy-dom does not
    // implement `all`, so that is checked in Chromium (test/browser/card-layout.test.ts).
    expect(getComputedStyle(label).fontFamily).not.toMatch(/Impact/);
    expect(getComputedStyle(c.root.querySelector('input')!).height).toBe('44px');
  });

  it("the card's rules do not change host page elements", () => {
    const hostButton = document.createElement('button');
    const hostH2 = document.createElement('h2');
    const hostInput = document.createElement('input');
    hostInput.type = 'range';
    for (const el of [hostButton, hostH2, hostInput]) document.body.appendChild(el);
    expect(getComputedStyle(hostButton).backgroundColor).toBe(RED);
    expect(getComputedStyle(hostButton).minHeight).not.toBe('44px');
    expect(getComputedStyle(hostH2).fontSize).toBe('50px');
    expect(getComputedStyle(hostInput).height).toBe('2px');
    expect(document.head.querySelectorAll('style')).toHaveLength(1);
    expect(document.documentElement.getAttribute('style')).toBeNull();
    expect(document.body.getAttribute('style')).toBeNull();
  });

  it('every style element carries the CSP nonce and lives in the shadow root', () => {
    const styles = c.root.querySelectorAll('style');
    expect(styles.length).toBeGreaterThan(0);
    for (const s of styles) expect(s.getAttribute('nonce')).toBe('n0nce');
  });
});
