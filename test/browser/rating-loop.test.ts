// The whole rating loop in Debian's Chromium: a host page on another origin with a strict CSP loads the widget by its
// script tag; the client rates with the keyboard only; the therapist's pane shows the summary.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { launchChromium, startStack, type Stack } from './stack.ts';
import { deepActive, endCall, mintDemoTokens, paneUrl, widgetText } from './page-helpers.ts';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('client rates by keyboard on a cross-origin CSP page; the therapist sees the summary', async () => {
  expect(new URL(stack.host).origin).not.toBe(new URL(stack.api).origin);
  const { therapist, client } = await mintDemoTokens(stack.api, stack.host);
  const cspViolations: string[] = [];
  const watch = (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  };

  const tPage = await browser.newPage();
  tPage.on('console', watch);
  await tPage.goto(paneUrl(stack.host, 'therapist', therapist));
  const cPage = await browser.newPage();
  cPage.on('console', watch);
  await cPage.goto(paneUrl(stack.host, 'client', client));
  await cPage.waitForFunction(() => typeof (window as { Attune?: { endSession?: unknown } }).Attune?.endSession === 'function');

  await endCall(tPage);
  await endCall(cPage);
  await expect.poll(() => widgetText(tPage)).toContain("Waiting for the client's rating");

  // Keyboard only: Tab into the card, type a value into each slider, Tab to "Send rating", Enter.
  await cPage.getByRole('slider').first().waitFor();
  const typed = ['8', '9.5', '7', '9'];
  let sliders = 0;
  for (let presses = 0; presses < 30 && sliders < typed.length; presses++) {
    await cPage.keyboard.press('Tab');
    const a = await deepActive(cPage);
    if (a?.type === 'range') {
      await cPage.keyboard.type(typed[sliders]!);
      sliders++;
    }
  }
  expect(sliders).toBe(4);
  const texts = await cPage.getByRole('slider').evaluateAll((els) => els.map((e) => e.getAttribute('aria-valuetext')));
  expect(texts[1]).toMatch(/^9\.5 out of 10/);
  for (let presses = 0; presses < 10; presses++) {
    await cPage.keyboard.press('Tab');
    if ((await deepActive(cPage))?.text === 'Send rating') break;
  }
  expect((await deepActive(cPage))?.text).toBe('Send rating');
  await cPage.keyboard.press('Enter');
  await expect.poll(() => widgetText(cPage)).toContain('Thank you for your feedback.');

  // 8 + 9.5 + 7 + 9 = 33.5: below 36, and two items below 9.
  await expect.poll(() => widgetText(tPage), { timeout: 15_000 }).toContain('33.5');
  const summary = await widgetText(tPage);
  expect(summary).toMatch(/Total below 36 of 40/);
  expect(summary).toMatch(/Below 9 on: Feeling heard and respected, How we worked/);
  expect(cspViolations).toEqual([]);
});
