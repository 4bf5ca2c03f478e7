// The client's card flows in the host page: in landscape on a phone (740×360) and at 200 % zoom (a 1280 px window
// is 640 CSS px wide) it is not a scroll box of its own, and Send and Skip are reached by scrolling the page. Only
// a floating card (no data-target) is capped to the viewport, and scrolls inside.
// Set CARD_SHOTS=<dir> to keep screenshots of each case.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

import { openCall, routeApi, type CardHost, withCardStage } from './card-host.ts';
import { deepActive } from './page-helpers.ts';

let stage: CardHost;
let browser: Browser;
withCardStage((s, b) => {
  stage = s;
  browser = b;
});

/** The card's box and whether it scrolls inside. */
const cardBox = (page: Page) =>
  page.evaluate(() => {
    const card = document.querySelector('attune-widget')!.shadowRoot!.querySelector<HTMLElement>('form.card')!;
    const s = getComputedStyle(card);
    return {
      height: card.getBoundingClientRect().height,
      scrolls: card.scrollHeight > card.clientHeight + 1,
      maxHeight: s.maxHeight,
      overflow: s.overflowY,
    };
  });

/** Brings the button into view the way the page scrolls, then checks that it is what a finger there would hit. */
async function reachable(page: Page, name: string): Promise<boolean> {
  const button = page.getByRole('button', { name });
  await button.evaluate((b) => b.scrollIntoView({ block: 'nearest' }));
  return button.evaluate((b) => {
    const r = b.getBoundingClientRect();
    const inView = r.top >= -1 && r.bottom <= innerHeight + 1 && r.left >= -1 && r.right <= innerWidth + 1; // sub-pixel edges
    const hit = (b.getRootNode() as ShadowRoot).elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return inView && (hit === b || b.contains(hit));
  });
}

async function showCard(page: Page, query: Record<string, string> = {}): Promise<void> {
  await routeApi(page);
  await openCall(page, stage.host, query);
  // No focus move (playwright's evaluate counts as a user gesture): the page starts at its top.
  await page.evaluate(() =>
    (window as unknown as { Attune: { endSession(o: { focus: boolean }): void } }).Attune.endSession({ focus: false }),
  );
  await page.getByRole('button', { name: 'Send rating' }).waitFor();
}
const shot = async (page: Page, name: string) => {
  if (process.env.CARD_SHOTS) await page.screenshot({ path: join(process.env.CARD_SHOTS, name), fullPage: true });
};

const cases = [
  {
    name: 'landscape phone 740×360',
    options: { viewport: { width: 740, height: 360 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
  },
  { name: '200 % zoom (640×400 CSS px)', options: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 } },
  {
    name: 'portrait phone 360×740',
    options: { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
  },
];

for (const c of cases) {
  it(`${c.name}: the card flows in the page, and Send and Skip are reached by page scroll`, async () => {
    const context = await browser.newContext(c.options);
    const page = await context.newPage();
    await showCard(page);
    const box = await cardBox(page);
    expect(box.maxHeight).toBe('none');
    expect(box.scrolls).toBe(false);
    if (c.options.viewport.height < 500) expect(box.height).toBeGreaterThan(c.options.viewport.height); // the case that used to trap them
    await shot(page, `card-${c.options.viewport.width}x${c.options.viewport.height}.png`);
    expect(await page.evaluate(() => scrollY)).toBe(0);
    expect(await reachable(page, 'Send rating')).toBe(true);
    expect(await reachable(page, 'Skip rating')).toBe(true);
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(0); // reached by scrolling the page itself
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await context.close();
  });
}

it('a floating card (no data-target) is capped to the viewport and scrolls inside, Send still reachable', async () => {
  const context = await browser.newContext({ viewport: { width: 740, height: 360 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await showCard(page, { floating: '1' });
  const box = await cardBox(page);
  expect(box.height).toBeLessThanOrEqual(360 - 16 + 0.5);
  expect(box.overflow).toBe('auto');
  expect(box.scrolls).toBe(true);
  expect(await reachable(page, 'Send rating')).toBe(true);
  await context.close();
});

it("the host page's inherited text properties stop at the widget (all: initial on its root)", async () => {
  const page = await browser.newPage();
  await showCard(page);
  const seen = await page.evaluate(() => {
    // Set through the CSSOM: the page's CSP allows no inline style attribute, as a strict platform's would not.
    Object.assign(document.getElementById('slot')!.style, {
      letterSpacing: '7px',
      wordSpacing: '9px',
      textTransform: 'uppercase',
      textIndent: '30px',
      whiteSpace: 'pre',
      cursor: 'wait',
      fontStyle: 'italic',
    });
    const label = document.querySelector('attune-widget')!.shadowRoot!.querySelector('label')!;
    const s = getComputedStyle(label);
    return {
      letterSpacing: s.letterSpacing,
      wordSpacing: s.wordSpacing,
      textTransform: s.textTransform,
      textIndent: s.textIndent,
      whiteSpace: s.whiteSpace,
      cursor: s.cursor,
      fontStyle: s.fontStyle,
    };
  });
  const { cursor, ...text } = seen;
  expect(text).toEqual({
    letterSpacing: 'normal',
    wordSpacing: '0px',
    textTransform: 'none',
    textIndent: '0px',
    whiteSpace: 'normal',
    fontStyle: 'normal',
  });
  expect(cursor).not.toBe('wait'); // the label's own UA cursor, not the page's
  await page.close();
});

it('on a phone, after Send at the foot of a long card, the thank-you card is in view (the page does not stay below it)', async () => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  await showCard(page);
  // The call page goes on below the card (chat, notes): the card shrinking to its thanks must not leave the client there.
  await page.evaluate(() => {
    document.querySelector('footer')!.style.height = '2000px';
  });
  const sliders = page.getByRole('slider');
  for (let n = 0; n < (await sliders.count()); n++) {
    await sliders.nth(n).focus();
    await page.keyboard.type(String(n + 5));
  }
  const send = page.getByRole('button', { name: 'Send rating' });
  await send.evaluate((b) => b.scrollIntoView({ block: 'end' }));
  const box = (await send.boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.getByRole('heading', { name: 'Thank you for your feedback.' }).waitFor();
  await shot(page, 'card-thanks-360x640.png');
  const seen = await page.evaluate(() => {
    const root = document.querySelector('attune-widget')!.shadowRoot!;
    const inView = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    };
    return { heading: inView(root.querySelector('h2')!), status: inView(root.querySelector('[role=status]')!) };
  });
  expect(seen).toEqual({ heading: true, status: true });
  expect((await deepActive(page))?.tag).toBe('h2');
  await context.close();
});

/** WCAG contrast ratio of two sRGB colours given as [r, g, b] 0..255. */
const contrast = (a: number[], b: number[]) => {
  const lum = (c: number[]) =>
    c
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i]!, 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

it('an unset line (its thumb hidden) is drawn at 3:1 or more against the card, light and dark (WCAG 1.4.11)', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const canvas = await context.newPage(); // about:blank: decodes the screenshot (the call page's CSP allows no images)
  await showCard(page);
  const ratios: Record<string, number> = {};
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const box = (await page.getByRole('slider').first().boundingBox())!;
    // Down the middle of the line: the card around it, then the drawn track.
    const png = await page.screenshot({ clip: { x: box.x + box.width / 2, y: box.y, width: 1, height: box.height } });
    const column = await canvas.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, 1, img.height).data;
      return Array.from({ length: img.height }, (_, y) => [d[y * 4]!, d[y * 4 + 1]!, d[y * 4 + 2]!]);
    }, png.toString('base64'));
    ratios[colorScheme] = Math.max(...column.map((px) => contrast(px, column[0]!)));
  }
  expect(ratios.light, JSON.stringify(ratios)).toBeGreaterThanOrEqual(3);
  expect(ratios.dark, JSON.stringify(ratios)).toBeGreaterThanOrEqual(3);
  await context.close();
});

it("a line's focus ring and its unset (dashed) ring clear the words above and below it", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await showCard(page);
  await page.getByRole('button', { name: 'Send rating' }).click(); // every line unset: each gets its dashed ring
  await page.keyboard.press('Tab'); // from the first line (focused by the send) to the second
  const overlaps = await page.evaluate(() => {
    const root = document.querySelector('attune-widget')!.shadowRoot!;
    return [...root.querySelectorAll<HTMLElement>('.item')].map((item) => {
      const input = item.querySelector('input')!;
      const s = getComputedStyle(input);
      const out = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
      const r = input.getBoundingClientRect();
      const above = item.querySelector('.head')!.getBoundingClientRect().bottom - (r.top - out);
      const below = r.bottom + out - item.querySelector('.anchors')!.getBoundingClientRect().top;
      return { ring: s.outlineStyle, over: Math.max(0, Math.round(Math.max(above, below))) };
    });
  });
  expect(overlaps.map((o) => o.ring)).toEqual(['dashed', 'solid', 'dashed', 'dashed']);
  expect(overlaps.map((o) => o.over)).toEqual([0, 0, 0, 0]);
  await context.close();
});
