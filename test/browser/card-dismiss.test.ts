// The floating thank-you card (no data-target: fixed bottom-right) on a 360 px phone covers the host page's own
// controls there (often the call's buttons). The client closes it: a tap on its Close button, or Escape from the
// keyboard; the Close button is in the accessibility tree by name. Closing loses and re-sends nothing: a rating
// saved on this device is still sent when the network is back. Focus, if it was in the card, goes back to the host
// page control that ended the call. An inline card (data-target) has no Close button.
// Set CARD_SHOTS=<dir> to keep screenshots.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { API, openCall, routeApi, type CardHost, withCardStage } from './card-host.ts';
import { deepActive, widgetText } from './page-helpers.ts';

let stage: CardHost;
let browser: Browser;
withCardStage((s, b) => {
  stage = s;
  browser = b;
});

const shot = async (page: Page, name: string) => {
  if (process.env.CARD_SHOTS) await page.screenshot({ path: join(process.env.CARD_SHOTS, name) });
};

async function phone() {
  const context = await browser.newContext({
    hasTouch: true,
    isMobile: true,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  return { context, page, posted: await routeApi(page) };
}

/**
 * The host's own call control, fixed bottom-right where the floating card sits (set through the CSSOM: the call
 * page's CSP allows no inline style attribute). Its clicks are counted in `window.hangups`.
 */
const addHostControl = (page: Page) =>
  page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'hangup';
    b.textContent = 'Hang up';
    b.style.cssText = 'position:fixed;right:16px;bottom:16px;width:120px;height:48px';
    (window as unknown as { hangups: number }).hangups = 0;
    b.addEventListener('click', () => (window as unknown as { hangups: number }).hangups++);
    document.body.appendChild(b);
  });

/** Whether a finger on the host control's centre would hit it (and not the widget above it). */
const hostControlHit = (page: Page) =>
  page.evaluate(() => {
    const r = document.getElementById('hangup')!.getBoundingClientRect();
    return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.id === 'hangup';
  });

/** Every slider set by the keyboard (End: 10), then Send, by taps. */
async function rateAndSend(page: Page) {
  const sliders = page.getByRole('slider');
  await sliders.first().waitFor();
  for (let n = 0; n < (await sliders.count()); n++) await sliders.nth(n).press('End');
  await page.getByRole('button', { name: 'Send rating' }).tap();
}

/** The widget's buttons as Chromium exposes them to assistive technology (CDP Accessibility.getFullAXTree). */
async function axButtons(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: Array<{ ignored?: boolean; role?: { value?: unknown }; name?: { value?: unknown } }>;
  };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored && n.role?.value === 'button')
    .map((n) => String(n.name?.value ?? ''))
    .sort();
}

const closeSize = (page: Page) =>
  page.getByRole('button', { name: 'Close' }).evaluate((b) => {
    const r = b.getBoundingClientRect();
    return { width: r.width, height: r.height };
  });

it('a tap on Close takes the floating thank-you card off the host control it covered; nothing is sent again', async () => {
  const { context, page, posted } = await phone();
  await openCall(page, stage.host, { floating: '1' });
  await addHostControl(page);
  await page.click('#end');
  await rateAndSend(page);
  await page.getByText('Sent to your therapist.').waitFor();
  expect(posted).toHaveLength(1);
  expect(await hostControlHit(page)).toBe(false); // the card covers the call's control
  await shot(page, 'thanks-floating-360.png');

  expect(await axButtons(context, page)).toEqual(['Close', 'End call', 'Hang up']);
  const size = await closeSize(page);
  expect(size.width).toBeGreaterThanOrEqual(24);
  expect(size.height).toBeGreaterThanOrEqual(24);

  await page.getByRole('button', { name: 'Close' }).tap();
  expect(await widgetText(page)).not.toContain('Thank you');
  expect(await axButtons(context, page)).toEqual(['End call', 'Hang up']);
  expect(await hostControlHit(page)).toBe(true);
  // Focus went back to the control that ended the call, not lost with the removed card.
  expect((await deepActive(page))?.id).toBe('end');
  await page.locator('#hangup').tap(); // playwright checks that the tap lands on it
  expect(await page.evaluate(() => (window as unknown as { hangups: number }).hangups)).toBe(1);
  await shot(page, 'thanks-closed-360.png');

  // Ending again (a host's second call) does not bring the card back, nor send anything.
  await page.click('#end');
  expect(await widgetText(page)).not.toContain('Thank you');
  expect(posted).toHaveLength(1);
  await context.close();
});

it('Escape closes it from the keyboard, focus returns to "End call"; a rating saved offline is still sent', async () => {
  const { context, page, posted } = await phone();
  await openCall(page, stage.host, { floating: '1' });
  await addHostControl(page);
  await page.focus('#end');
  await page.keyboard.press('Enter'); // the client ends the call from the keyboard
  await page.getByRole('slider').first().waitFor();
  let down = true; // the rating POST fails as if offline until then
  await page.route(`${API}/**`, (route) =>
    down && route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback(),
  );
  await rateAndSend(page);
  const saved = 'Saved on this device; it will be sent when you are online.';
  await page.getByText(saved).waitFor();
  await shot(page, 'thanks-floating-queued-360.png');
  expect((await deepActive(page))?.tag).toBe('h2'); // the thank-you card's heading

  await page.keyboard.press('Tab');
  expect((await deepActive(page))?.text).toBe('×'); // Close comes right after the heading
  await page.keyboard.press('Escape');
  expect(await widgetText(page)).not.toContain(saved);
  expect((await deepActive(page))?.id).toBe('end');
  expect(await hostControlHit(page)).toBe(true);

  // Back online (the browser says so): the outbox sends the rating it kept, once.
  down = false;
  await context.setOffline(true);
  await context.setOffline(false);
  await expect.poll(() => posted.length).toBe(1);
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('attune:outbox:')));
  expect(posted[0]).toMatchObject({ kind: 'rating' });
  await context.close();
});

it('an inline card (data-target) has no Close button, and Escape leaves it', async () => {
  const { context, page } = await phone();
  await openCall(page, stage.host);
  await page.click('#end');
  await rateAndSend(page);
  await page.getByText('Sent to your therapist.').waitFor();
  expect(await axButtons(context, page)).toEqual(['End call']);
  await page.keyboard.press('Escape');
  expect(await widgetText(page)).toContain('Sent to your therapist.');
  await context.close();
});
