// The client's card for a screen-reader and keyboard user, in Chromium's accessibility tree (CDP
// Accessibility.getFullAXTree): an unset line is "Not set", values are neutral ("8 of 10") with the ends in the
// description; the card is announced politely; focus goes to its heading only when the client ended the call;
// arrows step 1 and Shift+arrows 0.1; the intro names the device's controls; the privacy note comes first; the
// alert naming unset lines speaks on each Send and when its words change, never again on each arrow press.
import { expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { openCall, routeApi, type CardHost, withCardStage } from './card-host.ts';
import { deepActive } from './page-helpers.ts';

let stage: CardHost;
let browser: Browser;
withCardStage((s, b) => {
  stage = s;
  browser = b;
});

interface AXValue {
  value?: unknown;
}
interface AXNode {
  role?: AXValue;
  name?: AXValue;
  value?: AXValue;
  description?: AXValue;
  ignored?: boolean;
  properties?: Array<{ name: string; value: AXValue }>;
}
/** The sliders as Chromium exposes them to assistive technology. */
async function axSliders(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored && n.role?.value === 'slider')
    .map((n) => ({
      name: String(n.name?.value ?? ''),
      value: String(n.value?.value ?? ''),
      description: String(n.description?.value ?? ''),
      valuetext: String(n.properties?.find((p) => p.name === 'valuetext')?.value.value ?? ''),
    }));
}
const liveText = (page: Page) =>
  page.evaluate(
    () => document.querySelector('attune-widget')!.shadowRoot!.querySelector('[aria-live=polite]')?.textContent ?? null,
  );

it('exposes "Not set", then neutral values with the ends in the description; arrows step 1, Shift+arrows 0.1', async () => {
  const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await context.newPage();
  await routeApi(page);
  await openCall(page, stage.host);
  expect(await liveText(page)).toBe(''); // the live region is there, empty, before the card
  await page.click('#end'); // the client's own action
  await page.getByRole('slider').first().waitFor();
  expect(await liveText(page)).toBe('The session has ended. A short rating card has opened.');
  const active = await deepActive(page);
  expect([active?.tag, active?.text]).toEqual(['h2', "How was today's session?"]);

  // Chromium's tree reports a native slider's number as its value text whatever aria-valuetext says (an ARIA
  // slider's aria-valuetext does not show there either), so an unset line carries "Not set" in its name as well.
  const before = await axSliders(context, page);
  expect(before.map((s) => s.name)).toEqual([
    'Trust between us Not set',
    'What we focused on Not set',
    'The way we worked Not set',
    'The session as a whole Not set',
  ]);
  expect(await page.getByRole('slider').evaluateAll((els) => els.map((e) => e.getAttribute('aria-valuetext')))).toEqual(
    ['Not set', 'Not set', 'Not set', 'Not set'],
  );
  expect(before[0]!.description).toBe('0: I held back in this session. 10: I could speak freely in this session.');

  await page.keyboard.press('Tab'); // from the heading to the first line
  expect((await deepActive(page))?.type).toBe('range');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight'); // unset -> 5 (the middle), 6, 7, 8
  const first = (await axSliders(context, page))[0]!;
  expect([first.name, first.value]).toEqual(['Trust between us', '8']);
  expect((await deepActive(page))?.valuetext).toBe('8 of 10');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  expect(Number((await axSliders(context, page))[0]!.value)).toBeCloseTo(8.2, 5); // a float in the tree
  expect((await deepActive(page))?.valuetext).toBe('8.2 of 10');
  await page.keyboard.press('PageDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  expect((await deepActive(page))?.valuetext).toBe('0 of 10');
  await page.keyboard.type('7.5');
  expect((await deepActive(page))?.valuetext).toBe('7.5 of 10');
  // On a device with a mouse (and so likely a keyboard) the intro names the keys.
  expect(await page.getByText('use the arrow keys', { exact: false }).count()).toBe(1);
  await context.close();
});

it('when the page ends the call by itself, the card is announced but focus stays where it was', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await routeApi(page);
  // Nothing may evaluate in the page before the call ends: playwright's evaluations count as user gestures.
  const ended = page.waitForEvent('console', (m) => m.text() === 'attune-ended');
  await page.goto(`${stage.host}/call?auto=1`);
  await ended;
  await page.getByRole('slider').first().waitFor();
  expect(await page.evaluate(() => (window as unknown as { activeAtEnd: boolean }).activeAtEnd)).toBe(false);
  expect(await liveText(page)).toBe('The session has ended. A short rating card has opened.');
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await context.close();
});

it("before the items, says who sees the answers, in the platform's words when it gives them", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await routeApi(page);
  const firstParagraph = () =>
    page.evaluate(() => document.querySelector('attune-widget')!.shadowRoot!.querySelector('form h2 + p')!.textContent);
  await openCall(page, stage.host);
  await page.evaluate(() => (window as unknown as { Attune: { endSession(): void } }).Attune.endSession());
  await page.getByRole('slider').first().waitFor();
  expect(await firstParagraph()).toMatch(/^Only your therapist sees your answers\. .*anonymous group figures/);
  const note = 'Your answers go to your counsellor only. The clinic sees anonymous totals.';
  await openCall(page, stage.host, { note });
  await page.evaluate(() => (window as unknown as { Attune: { endSession(): void } }).Attune.endSession());
  await page.getByRole('slider').first().waitFor();
  expect(await firstParagraph()).toBe(note);
  await context.close();
});

it('on a touch-only phone, the intro does not mention keys', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await routeApi(page);
  await openCall(page, stage.host);
  expect(await page.evaluate(() => matchMedia('(any-pointer: fine)').matches)).toBe(false); // the emulated phone
  await page.evaluate(() => (window as unknown as { Attune: { endSession(): void } }).Attune.endSession());
  await page.getByRole('slider').first().waitFor();
  expect(await page.getByText('Rate each from 0 to 10: tap the line, or slide along it.').count()).toBe(1);
  expect(await page.getByText(/arrow|key/i).count()).toBe(0);
  await context.close();
});

it('after a send with lines unset, the alert is rewritten only when its words change, not on every arrow press', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await routeApi(page);
  await openCall(page, stage.host);
  await page.click('#end');
  await page.getByRole('button', { name: 'Send rating' }).click();
  // Every change under an assertive live region is read out again, interrupting the value the client just set.
  await page.evaluate(() => {
    const alert = document.querySelector('attune-widget')!.shadowRoot!.querySelector('[role=alert]')!;
    const w = window as unknown as { said: string[] };
    w.said = [];
    new MutationObserver(() => w.said.push(alert.textContent ?? '')).observe(alert, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  const said = () => page.evaluate(() => (window as unknown as { said: string[] }).said);
  expect((await deepActive(page))?.type).toBe('range'); // the first unset line
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.getByRole('button', { name: 'Send rating' }).click(); // a second Send says it again
  expect((await said()).filter(Boolean)).toEqual([
    'Please rate: What we focused on, The way we worked, The session as a whole',
    'Please rate: The way we worked, The session as a whole',
    'Please rate: The way we worked, The session as a whole',
  ]);
  await context.close();
});
