// The therapist's caseload page in Chromium, as `npm start` serves it (the demo host on its own origin with a strict
// CSP, caseload.js by its script tag, the seeded history): at 360 px and on a desktop, by keyboard, with the names a
// screen reader reads, axe-clean in light and dark, right to left in Arabic; the names never leave the page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { deepActive, frames, line, touch, untilStill } from './page-helpers.ts';
import { type Stack, withStackAndBrowser } from './stack.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SHOTS = process.env.CASELOAD_SHOTS; // a directory: save screenshots there to look at them

let stack: Stack;
let browser: Browser;
withStackAndBrowser((s, b) => {
  stack = s;
  browser = b;
});

async function openCaseload(width: number, lang = 'en', phone = false) {
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    ...(phone ? { hasTouch: true, isMobile: true } : {}),
  });
  const page = await context.newPage();
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(stack.api)) sent.push(`${r.url()} ${r.postData() ?? ''}`);
  });
  await page.goto(`${stack.host}/caseload.html?lang=${lang}`);
  // Ready when the comparison sentence is there (the last thing the answer fills in).
  await page.locator('attune-widget .sentence').waitFor();
  return { page, context, sent };
}

async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const v = await page.evaluate(async (tags) => {
      const a = (
        window as unknown as {
          axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
        }
      ).axe;
      const r = await a.run(
        { include: [['attune-widget']] },
        { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
      );
      return r.violations.map((x) => `${x.id} at ${JSON.stringify(x.nodes.map((n) => n.target))}`);
    }, TAGS);
    found.push(...v.map((x) => `${colorScheme}: ${x}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** The smallest size (CSS px) at which a chart's scale labels are drawn: font size times the SVG's scaling. */
function smallestChartLabel(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.querySelector('attune-widget')!.shadowRoot!;
    const sizes = [...root.querySelectorAll('svg')].flatMap((svg) => {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    });
    return Math.min(...sizes);
  });
}

describe('the caseload page', () => {
  it('at 360 px: not-on-track clients by name, the sentence, chart and table by keyboard; names stay in the page', async () => {
    const { page, context, sent } = await openCaseload(360);
    try {
      const widget = page.locator('attune-widget');
      // The seeded history: Ben fell twice in a row, Dev's latest is far below his own mean.
      const off = widget.locator('ul.off > li');
      await expect.poll(() => off.count()).toBe(2);
      expect(await off.allInnerTexts()).toEqual([
        expect.stringContaining('Ben Carter'),
        expect.stringContaining('Dev Patel'),
      ]);
      expect(await off.nth(0).textContent()).toMatch(/Fell twice in a row: 33\.0, 30\.5, 27\.0\./);
      // A screen reader gets each chart as one named image, and the headings in order.
      await expect
        .poll(() => page.getByRole('img', { name: /^Weekly means over \d+ weeks: client ratings from/ }).count())
        .toBe(1);
      await expect.poll(() => page.getByRole('img', { name: /^\d+ totals, from [\d.]+ to 27\.0$/ }).count()).toBe(1);
      const headings = await widget.locator('h2, h3').allInnerTexts();
      expect(headings.map((h) => h.replace(/\s*\(\d+\)$/, ''))).toEqual([
        'Your caseload',
        'Not on track',
        'All clients',
        'Your pacing beside their ratings',
      ]);
      // The seeded history has enough sessions on both sides: a claim with its interval.
      const sentence = (await widget.locator('.sentence').textContent()) ?? '';
      expect(sentence).toMatch(
        /In your sessions where you talked more than 60% of the time, clients rated the session [\d.]+ points (lower|higher) on average \(\d+ vs \d+ sessions\)\./,
      );
      expect(sentence).toMatch(/95% interval/);

      // Keyboard: Tab reaches the clients table (a scrollable region) and then the table toggle; Enter opens it.
      let found = false;
      const visited: string[] = [];
      for (let i = 0; i < 12 && !found; i++) {
        await page.keyboard.press('Tab');
        const a = await deepActive(page);
        visited.push(`${a?.tag}:${a?.text.slice(0, 20)}`);
        found = a?.tag === 'button' && a.text === 'Show weeks as a table';
      }
      expect(found, visited.join(' | ')).toBe(true);
      expect(visited.some((v) => v.startsWith('section:'))).toBe(true); // the scrollable clients table took focus
      await page.keyboard.press('Enter');
      const button = widget.getByRole('button', { name: 'Hide the table' });
      await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
      const rows = widget.getByRole('table', { name: 'Your sessions by week, oldest first' }).locator('tbody tr');
      await expect.poll(() => rows.count()).toBeGreaterThan(5);

      // Nothing sticks out of a 360 px screen, and the charts' scale labels stay readable (10 px or more).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await smallestChartLabel(page)).toBeGreaterThanOrEqual(10);
      // A client's recent totals read as one line ("33.0 · 30.5 · 27.0"), never one number per line.
      const lines = await widget
        .locator('section.scroll')
        .first()
        .locator('tbody td:nth-child(4)')
        .evaluateAll((cells) =>
          cells.map((td) => {
            const r = document.createRange();
            r.selectNodeContents(td.firstChild!);
            return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size;
          }),
        );
      expect(Math.max(...lines)).toBe(1);
      expect(await axe(page)).toEqual([]);
      if (SHOTS) {
        await page.screenshot({ path: `${SHOTS}/caseload-360.png`, fullPage: true });
        for (const i of [0, 1, 2])
          await widget
            .locator('.block')
            .nth(i)
            .screenshot({ path: `${SHOTS}/caseload-360-${i}.png` });
      }

      // The refs went in a POST body; the names never left the page.
      const calls = sent.filter((s) => s.includes('/v1/caseload'));
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) {
        expect(c).toContain('demo-c-ben');
        for (const name of ['Ben', 'Carter', 'Dev Patel', 'Jordan', 'Hana']) expect(c).not.toContain(name);
      }
      expect(sent.filter((s) => /demo-c-|demo-client/.test(s.split(' ')[0]!))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('on a phone with touch: a swipe over the chart scrolls the page, a sideways swipe scrolls the clients table, a tap opens the weeks table', async () => {
    const { page, context } = await openCaseload(360, 'en', true);
    try {
      const cdp = await context.newCDPSession(page);
      const widget = page.locator('attune-widget');
      const scrollY = () => page.evaluate(() => window.scrollY);
      // Down over the rating chart (it sits near the page's end): the page scrolls back up; the chart takes no touch
      // gesture for itself.
      const chart = page.getByRole('img', { name: /^Weekly means over/ });
      await chart.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await frames(page);
      const before = await scrollY();
      const box = (await chart.boundingBox())!;
      expect(before).toBeGreaterThan(0);
      await touch(cdp, line({ x: box.x + box.width / 2, y: box.y + box.height / 2 }, 0, 20, 8));
      await expect.poll(scrollY).toBeLessThan(before);
      // Sideways over the clients table: the table's own region scrolls, not the page.
      const region = widget.locator('section.scroll').first();
      await region.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await frames(page);
      expect(await region.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
      const r = (await region.boundingBox())!;
      await touch(cdp, line({ x: r.x + r.width - 20, y: r.y + r.height / 2 }, -20, 0, 8));
      await expect.poll(() => region.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
      expect(await page.evaluate(() => window.scrollX)).toBe(0);
      // A tap on the toggle shows the weeks as a table, once nothing scrolls (the page or the table).
      await untilStill(page, () => Promise.all([scrollY(), region.evaluate((e) => e.scrollLeft)]));
      const toggle = page.getByRole('button', { name: 'Show weeks as a table' });
      await toggle.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await frames(page);
      const t = (await toggle.boundingBox())!;
      await touch(cdp, [{ x: t.x + t.width / 2, y: t.y + t.height / 2 }]);
      await expect.poll(() => widget.locator('section.scroll table').count()).toBe(2);
    } finally {
      await context.close();
    }
  });

  it('on a desktop and in Arabic (right to left): the same view, axe-clean', async () => {
    const { page, context } = await openCaseload(1280, 'ar');
    try {
      const card = page.locator('attune-widget .caseload');
      expect(await card.getAttribute('dir')).toBe('rtl');
      expect(await page.locator('attune-widget .root').getAttribute('lang')).toBe('ar');
      expect(await card.locator('h2').textContent()).toBe('عملاؤك');
      expect(await axe(page)).toEqual([]);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/caseload-ar-1280.png`, fullPage: true });
    } finally {
      await context.close();
    }
    const en = await openCaseload(1280);
    try {
      if (SHOTS) {
        await en.page.screenshot({ path: `${SHOTS}/caseload-1280.png`, fullPage: true });
        await en.page.emulateMedia({ colorScheme: 'dark' });
        await en.page
          .locator('attune-widget .block')
          .nth(2)
          .screenshot({ path: `${SHOTS}/caseload-1280-dark-pace.png` });
      }
      expect(await en.page.locator('attune-widget ul.off > li').count()).toBe(2);
      expect(await smallestChartLabel(en.page)).toBeGreaterThanOrEqual(10);
      // Beside the rest of a laptop's screen the weeks table fits the card: no sideways scrolling, every heading whole.
      await en.page.getByRole('button', { name: 'Show weeks as a table' }).click();
      const weeks = en.page.getByRole('region', { name: 'Your sessions by week, oldest first' });
      await weeks.waitFor();
      expect(await weeks.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
      // A week's date never breaks over two lines: every row is one line high.
      const heights = await weeks.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.clientHeight));
      expect(new Set(heights).size, heights.join(' ')).toBe(1);
    } finally {
      await en.context.close();
    }
  });
});
