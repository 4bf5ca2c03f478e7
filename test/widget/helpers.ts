import { base64url } from 'jose';
import { vi } from 'vitest';
import type { MountContext } from '../../widget/shared/contract.ts';

const b64url = (s: string) => base64url.encode(s);

/** An unsigned token with the claims the widget reads (the Worker verifies; the widget only decodes). */
export function fakeToken(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'EdDSA', kid: 'k1' }))}.${b64url(JSON.stringify(claims))}.c2ln`;
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A shadow root and the MountContext a role chunk receives from the loader. */
export function mountContext(
  over: Partial<MountContext> = {},
): MountContext & { host: HTMLElement; events: Array<[string, unknown]> } {
  const host = document.createElement('attune-widget');
  document.body.appendChild(host);
  const events: Array<[string, unknown]> = [];
  return {
    role: 'client',
    sid: 'sess-1',
    locale: 'en',
    token: 'tok',
    api: 'https://api.test',
    nonce: 'n0nce',
    root: host.attachShadow({ mode: 'open' }),
    emit: (e, d) => void events.push([e, d]),
    error: (e) => void events.push(['error', e]),
    host,
    events,
    ...over,
  };
}

/** Lets pending promise callbacks (fetch mocks, then-chains) run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

export function key(el: Element, k: string): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
  el.dispatchEvent(e);
  return e;
}

export const stubFetch = (impl: (url: string, init?: RequestInit) => Promise<Response>) => {
  const f = vi.fn(impl);
  vi.stubGlobal('fetch', f);
  return f;
};
