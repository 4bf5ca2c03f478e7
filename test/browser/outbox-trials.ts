// One outbox trial in Chromium against the local stack: a client rates under a fault, and the trial ends by
// reading what D1 holds for the session (through the therapist's summary) and comparing it with what each tab
// told its user. Used by test/browser/outbox-faults.test.ts (one trial per fault) and bench/outbox.bench.ts
// (randomized trials).
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { query } from '../../scripts/wrangler-d1.ts';
import { endCall, mintDemoTokens, paneUrl } from './page-helpers.ts';
import type { Stack } from './stack.ts';

export const FAULTS = [
  'offline-then-online',
  '503-three-times',
  'never-answers',
  'response-lost',
  'closed-reopened',
  'two-tabs',
  'storage-full',
  'storage-disabled',
  'd1-write-fails',
  'd1-fails-after-commit',
] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * once: D1 holds one rating, of a tab's values, and no tab was told its values were stored when they were not;
 * told-not-stored: D1 holds none and every tab said its answer was not (or not yet) stored; misreported: stored
 * once, but a tab was told it was refused or that another answer was kept; lost: anything else (a tab told
 * "saved" whose values D1 does not hold, or D1 empty while a tab still said it was saved or sending).
 */
export type Outcome = 'once' | 'told-not-stored' | 'misreported' | 'lost';
export interface Trial {
  fault: Fault;
  variant: string;
  outcome: Outcome;
  detail: string;
  /** Status lines seen while the fault lasted (e.g. what an offline tab said). */
  interim: string[];
}

/** What each final status line says about the tab's own values (en strings of widget/client/strings/index.ts). */
const STATUS: Array<[RegExp, 'stored' | 'kept' | 'refused' | 'not-yet' | 'waiting']> = [
  [/^Sent to your therapist\.|^Saved\. Your therapist/, 'stored'],
  [/^Your earlier answer for this session was kept/, 'kept'],
  [/^Sorry, this could not be saved|^Not saved: your feedback records/, 'refused'],
  [/^Not sent yet, and not saved on this device/, 'not-yet'],
  [/^Saved on this device|^Sending/, 'waiting'],
];
const meaning = (s: string) => STATUS.find(([re]) => re.test(s))?.[1] ?? 'waiting';

export async function statusText(page: Page): Promise<string> {
  return page.evaluate(() => {
    for (const el of document.querySelectorAll('*')) {
      const s = el.shadowRoot?.querySelector('[role=status]');
      if (s) return (s.textContent ?? '').trim();
    }
    return '';
  });
}

/** Polls the status line until `want` matches it (or `timeoutMs` passes, when it returns what it last read). */
export async function waitStatus(page: Page, want: RegExp, timeoutMs = 45_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let s = '';
  while (Date.now() < end) {
    s = await statusText(page).catch(() => '');
    if (want.test(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  return s;
}
const FINAL = /^(Sent to your therapist|Saved\. Your therapist|Your earlier answer|Sorry, this could not|Not saved: )/;
const QUEUED = /^(Saved on this device|Not sent yet)/;

async function openClient(ctx: BrowserContext, host: string, token: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(paneUrl(host, 'client', token));
  await page.waitForFunction(
    () => typeof (window as { Attune?: { endSession?: unknown } }).Attune?.endSession === 'function',
  );
  return page;
}

/** Ends the call, sets every item to the given whole numbers by keyboard, and returns the send button. */
async function fill(page: Page, values: number[]) {
  await endCall(page);
  const sliders = page.getByRole('slider');
  await sliders.first().waitFor();
  const n = await sliders.count();
  for (let i = 0; i < n; i++) {
    await sliders.nth(i).focus();
    await page.keyboard.type(String(values[i % values.length]));
  }
  return page.getByRole('button', { name: 'Send rating' });
}

const ratingRoute = '**/v1/session/rating';
/** A routed answer must carry CORS headers itself: the API is on another origin. */
const corsHeaders = (route: Route) => ({
  'access-control-allow-origin': route.request().headers().origin ?? '*',
  'content-type': 'application/json',
});

async function armD1(api: string, mode: 'before' | 'after', count: number) {
  const res = await fetch(`${api}/dev/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode, count }),
  });
  if (!res.ok) throw new Error(`dev faults: ${res.status} ${await res.text()}`);
}

interface Tab {
  values: number[];
  status: string;
}

/**
 * Runs one trial; `rand` picks the variant (unless `force` names it), the number of injected failures and the
 * values (Math.random in the bench; CI forces each variant).
 */
export async function runTrial(
  browser: Browser,
  stack: Stack,
  fault: Fault,
  rand: () => number = () => 0,
  force?: string,
): Promise<Trial> {
  const pick = <T extends string>(xs: readonly T[]): T =>
    (force as T | undefined) ?? xs[Math.floor(rand() * xs.length)]!;
  const interim: string[] = [];
  const values = () => Array.from({ length: 4 }, () => 1 + Math.floor(rand() * 9));
  const { client, therapist } = await mintDemoTokens(stack.api, stack.host);
  const ctx = await browser.newContext();
  const tabs: Tab[] = [];
  let variant = '-';
  try {
    if (fault === 'storage-full') {
      await ctx.addInitScript(() => {
        Storage.prototype.setItem = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      });
    }
    if (fault === 'storage-disabled') {
      await ctx.addInitScript(() => {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      });
    }
    const page = await openClient(ctx, stack.host, client);
    const mine = values();

    switch (fault) {
      case 'offline-then-online':
      case 'storage-full':
      case 'storage-disabled': {
        variant =
          fault === 'offline-then-online'
            ? 'offline'
            : pick(
                fault === 'storage-disabled'
                  ? ['online', 'offline-then-online', 'offline-then-closed']
                  : ['online', 'offline-then-online'],
              );
        const send = await fill(page, mine);
        if (variant === 'online') {
          await send.click();
          tabs.push({ values: mine, status: await waitStatus(page, FINAL) });
          break;
        }
        await ctx.setOffline(true);
        await send.click();
        const queued = await waitStatus(page, QUEUED);
        interim.push(queued);
        if (variant === 'offline-then-closed') {
          await page.close();
          await ctx.setOffline(false);
          tabs.push({ values: mine, status: queued });
          break;
        }
        await ctx.setOffline(false);
        tabs.push({ values: mine, status: await waitStatus(page, FINAL) });
        break;
      }
      case '503-three-times': {
        let left = force ? Number(force) : 1 + Math.floor(rand() * 3);
        variant = `${left}x503`;
        await page.route(ratingRoute, (route) =>
          left-- > 0
            ? route.fulfill({
                status: 503,
                headers: corsHeaders(route),
                body: '{"error":{"code":"unavailable","message":"injected"}}',
              })
            : route.continue(),
        );
        await (await fill(page, mine)).click();
        tabs.push({ values: mine, status: await waitStatus(page, FINAL) });
        break;
      }
      case 'never-answers': {
        variant = pick(['timeout', 'online-again']);
        let first = true;
        let seen: () => void = () => {};
        const hung = new Promise<void>((r) => (seen = r));
        await page.route(ratingRoute, (route) => {
          if (!first) return route.continue();
          first = false;
          seen(); // never answered
          return undefined;
        });
        await (await fill(page, mine)).click();
        await hung;
        interim.push(await statusText(page));
        if (variant === 'online-again') {
          await ctx.setOffline(true);
          await ctx.setOffline(false);
        }
        tabs.push({ values: mine, status: await waitStatus(page, FINAL) });
        break;
      }
      case 'response-lost': {
        let first = true;
        await page.route(ratingRoute, async (route) => {
          if (!first || route.request().method() !== 'POST') return route.continue();
          first = false;
          const res = await route.fetch(); // the write reaches D1...
          variant = `lost-${res.status()}`;
          return route.abort('connectionreset'); // ...and its answer never reaches the page
        });
        await (await fill(page, mine)).click();
        tabs.push({ values: mine, status: await waitStatus(page, FINAL) });
        break;
      }
      case 'closed-reopened': {
        variant = pick(['closed-at-once', 'offline-closed']);
        const send = await fill(page, mine);
        if (variant === 'offline-closed') await ctx.setOffline(true);
        await send.click();
        if (variant === 'offline-closed') interim.push(await waitStatus(page, QUEUED));
        await page.close();
        await ctx.setOffline(false);
        const later = await openClient(ctx, stack.host, client);
        await endCall(later);
        tabs.push({ values: mine, status: await waitStatus(later, FINAL) });
        break;
      }
      case 'two-tabs': {
        const other = await openClient(ctx, stack.host, client);
        const theirs = mine.map((v) => (v % 9) + 1); // another answer: every value differs
        const [a, b] = [await fill(page, mine), await fill(other, theirs)];
        variant = pick(['a-first', 'b-first']);
        await Promise.all(variant === 'a-first' ? [a.click(), b.click()] : [b.click(), a.click()]);
        tabs.push(
          { values: mine, status: await waitStatus(page, FINAL) },
          { values: theirs, status: await waitStatus(other, FINAL) },
        );
        break;
      }
      case 'd1-write-fails':
      case 'd1-fails-after-commit': {
        const count = force ? Number(force) : fault === 'd1-fails-after-commit' ? 1 : 1 + Math.floor(rand() * 3);
        variant = `${count}x`;
        await armD1(stack.api, fault === 'd1-write-fails' ? 'before' : 'after', count);
        try {
          await (await fill(page, mine)).click();
          tabs.push({ values: mine, status: await waitStatus(page, FINAL) });
        } finally {
          await armD1(stack.api, 'before', 0);
        }
        break;
      }
    }
  } finally {
    await ctx.close();
  }
  return { fault, variant, interim, ...(await judge(stack, therapist, tabs)) };
}

/** Reads the session's rating back from D1 (the therapist's summary) and checks every tab's last words against it. */
async function judge(stack: Stack, therapist: string, tabs: Tab[]): Promise<{ outcome: Outcome; detail: string }> {
  const res = await fetch(`${stack.api}/v1/session/summary`, { headers: { authorization: `Bearer ${therapist}` } });
  if (!res.ok) throw new Error(`summary: ${res.status} ${await res.text()}`);
  const summary = (await res.json()) as { status: string; items: Array<{ value: number }> };
  const stored = summary.status === 'rated' ? summary.items.map((i) => i.value).join() : null;
  const lines = tabs.map((t) => `${t.values.join()} "${t.status}"`).join('; ');
  const detail = `D1: ${stored ?? summary.status}; tabs: ${lines}`;
  const said = (t: Tab) => meaning(t.status);
  if (stored === null) {
    // Nothing stored: true only if every tab said its answer was refused or not sent yet (its page then closed).
    return {
      outcome: tabs.every((t) => said(t) === 'refused' || said(t) === 'not-yet') ? 'told-not-stored' : 'lost',
      detail,
    };
  }
  // A tab told "saved" must hold the stored values; otherwise its answer is lost.
  if (
    !tabs.some((t) => t.values.join() === stored) ||
    tabs.some((t) => said(t) === 'stored' && t.values.join() !== stored)
  )
    return { outcome: 'lost', detail };
  // "Not sent yet" followed by a delivery is still the truth at the time it was said; a refusal or "another answer
  // was kept" for the values that were stored is not.
  const wrong = tabs.some((t) => t.values.join() === stored && (said(t) === 'refused' || said(t) === 'kept'));
  return { outcome: wrong ? 'misreported' : 'once', detail };
}

/** Sessions with more than one rating row in the stack's local D1 (read with wrangler, once, after the trials). */
export function sessionsStoredTwice(stack: Stack): number {
  return query<{ n: number }>(
    { persistTo: stack.state },
    'SELECT COUNT(*) AS n FROM ratings GROUP BY platform_id, sid_hash HAVING n > 1',
  ).length;
}
