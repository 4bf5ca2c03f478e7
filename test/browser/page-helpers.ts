import type { CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The focused element, looking through open shadow roots (the widget lives in one). */
export function deepActive(page: Page) {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return null;
    return {
      tag: a.tagName.toLowerCase(),
      type: (a as HTMLInputElement).type ?? '',
      id: a.id,
      text: (a.textContent ?? '').trim(),
      valuetext: a.getAttribute('aria-valuetext'),
      value: (a as HTMLInputElement).value,
    };
  });
}

/** Text of the widget's shadow root on the page. */
export function widgetText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const hosts = [...document.querySelectorAll('*')].filter((e) => e.shadowRoot);
    const text = (root: ShadowRoot) =>
      [...root.children]
        .filter((e) => e.tagName !== 'STYLE')
        .map((e) => e.textContent ?? '')
        .join('\n');
    return hosts.map((h) => text(h.shadowRoot!)).join('\n');
  });
}

export async function mintDemoTokens(api: string, origin: string, body: Record<string, unknown> = {}) {
  const res = await fetch(`${api}/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`dev tokens: ${res.status} ${await res.text()}`);
  return (await res.json()) as { sid: string; therapist: string; client: string };
}

/** POSTs JSON (a string is sent as is) with a session token and a fresh Idempotency-Key, as the widget's outbox does. */
export function postWithToken(api: string, path: string, token: string, body: unknown): Promise<Response> {
  return fetch(api + path, {
    method: 'POST',
    headers: {
      Authorization: 'Bearer ' + token,
      'Content-Type': 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function paneUrl(host: string, role: 'client' | 'therapist', token: string): string {
  return `${host}/pane.html#role=${role}&token=${encodeURIComponent(token)}`;
}

/** What the demo's "End call" button does in each pane. */
export function endCall(page: Page): Promise<void> {
  return page.evaluate(() => window.postMessage({ type: 'end-call' }, location.origin));
}

type Point = { x: number; y: number };
/** Real touch input (CDP Input.dispatchTouchEvent): one finger along `path`, then lifted. */
export async function touch(cdp: CDPSession, path: Point[]): Promise<void> {
  const [first, ...rest] = path;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first!] });
  for (const p of rest) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}
/** From `from`, `steps` moves of (dx, dy) each. */
export const line = (from: Point, dx: number, dy: number, steps: number): Point[] =>
  Array.from({ length: steps + 1 }, (_, i) => ({ x: from.x + dx * i, y: from.y + dy * i }));

/** Settles after a gesture: two animation frames, so scrolling and events have been applied. */
export const frames = (page: Page) =>
  page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/**
 * Waits until nothing scrolls: two reads of `read` (the page's scroll position by default) four frames apart
 * agree. A touch while a swipe's fling still scrolls only stops the fling (no click, as on a real phone).
 */
export async function untilStill(page: Page, read: () => Promise<unknown> = () => page.evaluate(() => scrollY)) {
  await expect
    .poll(async () => {
      const before = JSON.stringify(await read());
      await frames(page);
      await frames(page);
      return before === JSON.stringify(await read());
    })
    .toBe(true);
}
