// The client's card in Arabic (right to left) in Chromium: dir="rtl" on the widget's root, the slider running from
// the right (a tap near the right end gives a low value), the low anchor on the right, the text right-aligned, and
// numbers in the locale's format. Set CARD_SHOTS=<dir> to keep a screenshot.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEFAULT_INSTRUMENT } from '../../schemas/instrument.ts';

import { openCall, routeApi, type CardHost, withCardStage } from './card-host.ts';

let stage: CardHost;
let browser: Browser;
withCardStage((s, b) => {
  stage = s;
  browser = b;
});

it('an Arabic token gets a right-to-left card: mirrored slider and anchors, Arabic strings and items', async () => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  await routeApi(page);
  await openCall(page, stage.host, { loc: 'ar' });
  await page.evaluate(() =>
    (window as unknown as { Attune: { endSession(o: object): void } }).Attune.endSession({ focus: false }),
  );
  await page.getByRole('slider').first().waitFor();

  const layout = await page.evaluate(() => {
    const root = document.querySelector('attune-widget')!.shadowRoot!.querySelector<HTMLElement>('.root')!;
    const item = root.querySelector('.item')!;
    const [low, high] = [...item.querySelectorAll('.anchors span')].map((s) => s.getBoundingClientRect());
    const label = item.querySelector('label')!.getBoundingClientRect();
    const value = item.querySelector('.value')!.getBoundingClientRect();
    return {
      dir: root.getAttribute('dir'),
      lang: root.lang,
      direction: getComputedStyle(item.querySelector('input')!).direction,
      title: root.querySelector('h2')!.textContent,
      label: item.querySelector('label')!.textContent,
      lowIsRight: low!.left > high!.right,
      labelIsRight: label.left > value.right,
      card: root.querySelector('form')!.getBoundingClientRect().width,
    };
  });
  expect(layout).toMatchObject({
    dir: 'rtl',
    lang: 'ar',
    direction: 'rtl',
    title: 'كيف كانت جلسة اليوم؟',
    label: DEFAULT_INSTRUMENT.items[0]!.text.ar!.label,
    lowIsRight: true,
    labelIsRight: true,
  });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

  // A tap a fifth of the way from the right end is 2 (of 10) on a slider that runs from the right.
  const slider = page.getByRole('slider').first();
  const box = (await slider.boundingBox())!;
  await page.touchscreen.tap(box.x + box.width - 8 - (box.width - 16) * 0.2, box.y + box.height / 2);
  await expect.poll(() => slider.evaluate((e) => (e as HTMLInputElement).value)).toMatch(/^(1\.9|2|2\.1)$/);
  const expected = (2).toLocaleString('ar'); // the locale's own digits, whichever Chromium's ICU gives
  expect(await slider.getAttribute('aria-valuetext')).toMatch(new RegExp(`^[^ ]+ من ${(10).toLocaleString('ar')}$`));
  expect(await slider.evaluate((e) => e.closest('.item')!.querySelector('.value')!.textContent)).toContain(
    expected.slice(0, 1),
  );
  if (process.env.CARD_SHOTS)
    await page.screenshot({ path: join(process.env.CARD_SHOTS, 'card-ar-360x740.png'), fullPage: true });
  await context.close();
});
