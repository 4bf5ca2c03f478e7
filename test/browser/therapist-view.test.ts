// The therapist's view in Debian's Chromium, as a therapist sees it: the summary in a 360 px wide pane with what
// changed, the flags and the trend visible without scrolling (bounding boxes), in Arabic right to left; the pacing
// strip keeping its height when a cue appears; forced-colours mode keeping the balance bar and telling Send from
// Skip; and the demo's "Start a session" working again after a session ended.
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type Stack, withStackAndBrowser } from './stack.ts';
import { endCall, mintDemoTokens, paneUrl, widgetText } from './page-helpers.ts';
import { ALL_THERAPIST_LOCALES } from '../widget/therapist/therapist-locale-table.ts';

let stack: Stack;
let browser: Browser;

withStackAndBrowser((s, b) => {
  stack = s;
  browser = b;
});

async function rate(token: string, values: number[]) {
  const res = await fetch(`${stack.api}/v1/session/rating`, {
    method: 'POST',
    headers: {
      Authorization: 'Bearer ' + token,
      'Content-Type': 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      kind: 'rating',
      instrument: 'attune-session-4',
      version: 1,
      items: ['bond', 'goals', 'approach', 'overall'].map((id, i) => ({ id, value: values[i] })),
    }),
  });
  if (res.status !== 201) throw new Error(`rating: ${res.status}`);
}

/** Boxes of widget parts, in viewport coordinates (the widget is one shadow root). */
function boxes(page: Page, selectors: string[]) {
  return page.evaluate((sels) => {
    const root = document.querySelector('attune-widget')!.shadowRoot!;
    return Object.fromEntries(
      sels.map((s) => {
        const r = root.querySelector(s)?.getBoundingClientRect();
        return [s, r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height } : null];
      }),
    );
  }, selectors);
}

/** The therapist's call page with the pretend video hidden, so the widget is the pane. */
async function therapistPane(page: Page, token: string, audio = 'none') {
  await page.goto(paneUrl(stack.host, 'therapist', token) + `&audio=${audio}`);
  await page.evaluate(() => {
    (document.querySelector('.video') as HTMLElement).style.display = 'none';
  });
}

describe('the summary in a 360 px pane', () => {
  it.each(['en', 'ar'])(
    '%s: leads with what changed; flags and trend are visible without scrolling',
    async (locale) => {
      // Three earlier sessions of one client (same day), then this one, a clear drop: both relative flags.
      const series = await mintDemoTokens(stack.api, stack.host, { locale, quick: true });
      for (const [i, values] of [
        [9, 9, 9, 9],
        [9.5, 9, 9, 9.5],
        [9.5, 9.5, 9.5, 9.5],
      ].entries()) {
        const s = await mintDemoTokens(stack.api, stack.host, { locale, quick: true, sid: `${series.sid}-${i}` });
        await rate(s.client, values);
      }
      const now = await mintDemoTokens(stack.api, stack.host, { locale, quick: true });
      const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
      await therapistPane(page, now.therapist);
      await endCall(page);
      await rate(now.client, [7, 7.5, 8, 7.5]); // 30.0
      await page.locator('.flags li').first().waitFor();

      const b = await boxes(page, ['.summary', '.change', '.flag-list', 'svg.spark', 'table.items']);
      for (const part of ['.change', '.flag-list', 'svg.spark'] as const) {
        expect(b[part], part).not.toBeNull();
        expect(b[part]!.bottom, part).toBeLessThanOrEqual(740);
        expect(b[part]!.right, part).toBeLessThanOrEqual(360);
      }
      expect(b['.change']!.top).toBeLessThan(b['.flag-list']!.top);
      expect(b['.flag-list']!.top).toBeLessThan(b['svg.spark']!.top);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      // The scores' scale, "(0–10)" in the column heading, is never broken over two lines. It is shown once the
      // instrument (a request of its own) has loaded, which may be after the rating.
      await page.locator('table.items thead th:nth-child(2)', { hasText: '(' }).waitFor();
      const scaleLines = await page.evaluate(() => {
        const th = document.querySelector('attune-widget')!.shadowRoot!.querySelector('table.items thead th + th')!;
        const text = [...th.childNodes].find((n) => n.textContent?.includes('('))!;
        const r = document.createRange();
        r.setStart(text, text.textContent!.indexOf('('));
        r.setEnd(text, text.textContent!.length);
        return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size;
      });
      expect(scaleLines).toBe(1);

      const text = await widgetText(page);
      if (locale === 'en') {
        expect(text).toContain('8.0 lower than last session (38.0).');
        expect(text).toContain('A drop of 8.0 since last session.');
        expect(text).toContain('Rule: a drop of 4.0 or more from the previous session');
        expect(text).toContain("7.0 below this client's recent mean (37.0 over 3 sessions).");
      } else {
        // Right to left: the card's direction, its heading against the right edge, the score column on the left.
        const dir = await page.evaluate(
          () =>
            getComputedStyle(document.querySelector('attune-widget')!.shadowRoot!.querySelector('.summary')!).direction,
        );
        expect(dir).toBe('rtl');
        const h = await boxes(page, ['.summary h2', 'table.items tbody th', 'table.items tbody td']);
        expect(b['.summary']!.right - h['.summary h2']!.right).toBeLessThan(24);
        expect(h['table.items tbody td']!.left).toBeLessThan(h['table.items tbody th']!.left);
        expect(text).toContain('يستحق الحديث عنه مع العميل');
      }
      // No alarm colour: every flag is in the card's own text colour.
      const colours = await page.evaluate(() => {
        const root = document.querySelector('attune-widget')!.shadowRoot!;
        const fg = getComputedStyle(root.querySelector('.summary')!).color;
        return [...root.querySelectorAll('.flags li, table.items tbody td, table.items tbody th')].map(
          (e) => getComputedStyle(e).color === fg,
        );
      });
      expect(colours.every(Boolean)).toBe(true);
      // Same-day sessions are told apart in the table by their time.
      const dates = await page.evaluate(() =>
        [...document.querySelector('attune-widget')!.shadowRoot!.querySelectorAll('#attune-trend-table tbody th')].map(
          (th) => th.textContent,
        ),
      );
      expect(new Set(dates).size).toBe(dates.length);
      await page.close();
    },
  );
});

describe('the pacing strip', () => {
  it('keeps its height when a cue appears, at 360 px and on a desktop, and does not say the time twice', async () => {
    for (const width of [360, 1024]) {
      const page = await browser.newPage({ viewport: { width, height: 740 } });
      await page.clock.install();
      // The quick-cues platform (20 s quiet start); 5 minutes scheduled: "minutes left" comes right after it.
      const { therapist } = await mintDemoTokens(stack.api, stack.host, { minutes: 5, quick: true });
      await therapistPane(page, therapist);
      await page.waitForFunction(
        () => typeof (window as { Attune?: { attachAudio?: unknown } }).Attune?.attachAudio === 'function',
      );
      await page.evaluate(() => {
        const ac = new AudioContext();
        const quiet = () => {
          const dest = ac.createMediaStreamDestination();
          ac.createConstantSource().connect(dest);
          return dest.stream.getAudioTracks()[0]!;
        };
        (window as unknown as { Attune: { attachAudio(s: unknown): void } }).Attune.attachAudio({
          local: quiet(),
          remote: quiet(),
        });
      });
      const strip = page.locator('.strip');
      await strip.waitFor();
      const before = await boxes(page, ['.strip', '.cue']);
      expect(await strip.textContent()).toContain('Only you see this');
      const cueShown = () =>
        page.evaluate(() => !!document.querySelector('attune-widget')!.shadowRoot!.querySelector('.cue:not(.empty)'));
      for (let ran = 0; ran < 60 && !(await cueShown()); ran++) await page.clock.runFor(1000);
      expect(await cueShown()).toBe(true);
      const during = await boxes(page, ['.strip', '.cue']);
      expect(during['.strip']!.height, `width ${width}`).toBe(before['.strip']!.height);
      expect(during['.cue']!.top).toBe(before['.cue']!.top);
      // "N minutes left." in the cue; the strip's own "N min left" is hidden meanwhile (its place kept).
      const visibleTime = await page.evaluate(
        () => getComputedStyle(document.querySelector('attune-widget')!.shadowRoot!.querySelector('.time')!).visibility,
      );
      expect(await page.locator('.cue [role=status]').textContent()).toMatch(/^\d minutes left\.$/);
      expect(visibleTime).toBe('hidden');
      await page.close();
    }
  });

  // Every cue of every locale, drawn into the strip the widget rendered (as PacingStrip draws a cue: the text in the
  // live region, the slot's `empty` class off, the dismiss button beside it), measured and put back in one task.
  const layouts = [
    { name: '360 px pane', width: 360, height: 740, floating: false },
    { name: 'floating strip at 1280x800', width: 1280, height: 800, floating: true },
  ];
  it.each(layouts)(
    'no cue in any locale changes the height of the $name, moves what is below, or is clipped',
    async (l) => {
      const seen: string[] = [];
      for (const [locale, words] of Object.entries(ALL_THERAPIST_LOCALES)) {
        // A page each: the pane's URL differs only in its hash, which would not load the widget again.
        const page = await browser.newPage({ viewport: { width: l.width, height: l.height } });
        const { therapist } = await mintDemoTokens(stack.api, stack.host, { locale, quick: true });
        await therapistPane(page, therapist);
        await page.waitForFunction(
          () => typeof (window as { Attune?: { attachAudio?: unknown } }).Attune?.attachAudio === 'function',
        );
        await page.evaluate((floating) => {
          const ac = new AudioContext();
          const dest = ac.createMediaStreamDestination();
          (window as unknown as { Attune: { attachAudio(s: unknown): void } }).Attune.attachAudio({
            local: dest.stream.getAudioTracks()[0],
          });
          // What follows the widget on the platform's page: a cue must not move it.
          const below = document.createElement('div');
          below.id = 'below';
          below.textContent = 'call controls';
          document.getElementById('attune-slot')!.insertAdjacentElement('afterend', below);
          if (floating) document.querySelector('attune-widget')!.setAttribute('data-floating', '');
        }, l.floating);
        // Drawn in the locale's own words (its chunk loads after the first, English, draw).
        await page.waitForFunction(
          (only) =>
            document.querySelector('attune-widget')?.shadowRoot?.querySelector('.private')?.textContent === only,
          words.pacing.onlyYou,
        );
        const n10 = (10).toLocaleString(locale);
        const texts = Object.values(words.pacing.cues).map((t) => t.replace('{minutes}', n10));
        const results = await page.evaluate((texts) => {
          const root = document.querySelector('attune-widget')!.shadowRoot!;
          const strip = root.querySelector('.strip')!;
          const slot = root.querySelector('.cue')!;
          const live = slot.querySelector('[role=status]')!;
          const below = document.getElementById('below')!;
          const measure = () => ({
            height: strip.getBoundingClientRect().height,
            stripTop: strip.getBoundingClientRect().top,
            belowTop: below.getBoundingClientRect().top,
            clipped: live.scrollHeight > live.clientHeight || slot.scrollHeight > slot.clientHeight,
            stripClipped: strip.scrollHeight > strip.clientHeight,
            slot: slot.getBoundingClientRect().height,
            text: live.getBoundingClientRect().height,
            lines: Math.round(live.getBoundingClientRect().height / parseFloat(getComputedStyle(live).lineHeight)),
          });
          const without = measure();
          return texts.map((text) => {
            slot.classList.remove('empty');
            live.textContent = text;
            const button = document.createElement('button');
            button.type = 'button';
            button.className = 'dismiss';
            button.textContent = '×';
            slot.appendChild(button);
            const withCue = measure();
            button.remove();
            live.textContent = '';
            slot.classList.add('empty');
            return { text, without, withCue };
          });
        }, texts);
        for (const r of results) {
          const what = `${locale}: ${r.text}`;
          expect(r.withCue.height, what).toBe(r.without.height);
          expect(r.withCue.stripTop, what).toBe(r.without.stripTop);
          expect(r.withCue.belowTop, what).toBe(r.without.belowTop);
          expect(r.withCue.clipped, what).toBe(false);
          expect(r.withCue.stripClipped, what).toBe(false);
          seen.push(`${locale} ${r.withCue.lines}`);
        }
        // No more room kept than the longest cue of the locale needs here (or the dismiss button's 44 px).
        expect(results[0]!.without.slot, locale).toBe(Math.max(44, ...results.map((r) => r.withCue.text)));
        await page.close();
      }
      expect(seen).toHaveLength(6 * 6);
    },
  );

  it('in forced-colours mode the balance bar stays visible, and Send looks different from Skip', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 740 } });
    await page.emulateMedia({ forcedColors: 'active' });
    const { therapist, client } = await mintDemoTokens(stack.api, stack.host);
    await therapistPane(page, therapist);
    await page.waitForFunction(
      () => typeof (window as { Attune?: { attachAudio?: unknown } }).Attune?.attachAudio === 'function',
    );
    await page.evaluate(() => {
      const ac = new AudioContext();
      const dest = ac.createMediaStreamDestination();
      (window as unknown as { Attune: { attachAudio(s: unknown): void } }).Attune.attachAudio({
        local: dest.stream.getAudioTracks()[0],
      });
    });
    await page.locator('.strip').waitFor();
    const bar = await page.evaluate(() => {
      const root = document.querySelector('attune-widget')!.shadowRoot!;
      const el = root.querySelector('.bar')!;
      const s = getComputedStyle(el);
      const fill = getComputedStyle(el.querySelector('span')!);
      return {
        border: s.borderTopWidth,
        borderColour: s.borderTopColor,
        bg: s.backgroundColor,
        fill: fill.backgroundColor,
      };
    });
    expect(bar.border).toBe('1px');
    expect(bar.borderColour).not.toBe(bar.bg);
    expect(bar.fill).not.toBe(bar.bg);
    // The empty cue slot draws no line: a cue's mark with nothing beside it would look like a cue that failed to show.
    const slot = await page.evaluate(() => {
      const root = document.querySelector('attune-widget')!.shadowRoot!;
      const s = getComputedStyle(root.querySelector('.cue.empty')!);
      return {
        width: s.borderInlineStartWidth,
        colour: s.borderInlineStartColor,
        bg: getComputedStyle(root.querySelector('.strip')!).backgroundColor,
      };
    });
    expect(slot.width === '0px' || slot.colour === slot.bg, JSON.stringify(slot)).toBe(true);

    const cPage = await browser.newPage({ viewport: { width: 400, height: 740 } });
    await cPage.emulateMedia({ forcedColors: 'active' });
    await cPage.goto(paneUrl(stack.host, 'client', client));
    await endCall(cPage);
    const send = cPage.getByRole('button', { name: 'Send rating' });
    await send.waitFor();
    const look = (name: string) =>
      cPage.getByRole('button', { name }).evaluate((el) => {
        const s = getComputedStyle(el);
        return { bg: s.backgroundColor, fg: s.color };
      });
    const [sendLook, skipLook] = [await look('Send rating'), await look('Skip rating')];
    expect(sendLook.bg).not.toBe(skipLook.bg);
    expect(sendLook.fg).not.toBe(skipLook.fg);
    await page.close();
    await cPage.close();
  });
});

describe('the demo', () => {
  it('"Start a session" works again after a session ends', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(stack.host + '/');
    expect(await page.locator('.steps li').count()).toBe(3);
    const therapistFrame = page.frameLocator('#therapist');
    const start = async () => {
      await page.getByRole('button', { name: 'Start a session' }).click();
      // "In session" once both call pages have loaded (End is enabled only then).
      await page.locator('#status').getByText('In session').waitFor();
      await therapistFrame.locator('attune-widget').waitFor({ state: 'attached' });
      return page.locator('#therapist').getAttribute('src');
    };
    const first = await start();
    await page.getByRole('button', { name: 'End call' }).click();
    await therapistFrame.getByText("Waiting for the client's rating…").waitFor();
    const second = await start();
    expect(second).not.toBe(first);
    // A fresh call page for the new session: the first session's summary is gone.
    expect(await therapistFrame.getByText("Waiting for the client's rating…").count()).toBe(0);
    expect(await page.getByRole('button', { name: 'End call' }).isEnabled()).toBe(true);
    await page.close();
  });
});
