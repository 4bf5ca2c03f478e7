// axe-core in Chromium on every widget state, in light, dark and forced colours, in every locale the widget's
// string tables hold (read from the code, so a locale added there is covered here without a change): the client
// card, its validation error, skip with undo, thanks, a failed delivery; the therapist's strip with a cue, waiting,
// and the summary with its trend (chart and table). 0 WCAG 2.2 A/AA violations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_INSTRUMENT } from '../../schemas/instrument.ts';
import { parseVars } from '../../scripts/seed-demo.ts';
import { mintToken } from '../../sdk/mint-token.ts';
import { CLIENT_LOCALES, loadStrings, type ClientStrings } from '../../widget/client/strings/index.ts';
import { THERAPIST_LANGS, type TherapistStrings } from '../../widget/therapist/strings/index.ts';
import { ALL_THERAPIST_LOCALES } from '../widget/therapist/therapist-locale-table.ts';
import { endCall, paneUrl, widgetText } from './page-helpers.ts';
import { waitStatus } from './outbox-trials.ts';
import { launchChromium, startStack, type Stack } from './stack.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const LOCALES = [...new Set([...CLIENT_LOCALES, ...THERAPIST_LANGS])].sort();
const MODES = [
  { name: 'light', colorScheme: 'light', forcedColors: 'none' },
  { name: 'dark', colorScheme: 'dark', forcedColors: 'none' },
  { name: 'forced light', colorScheme: 'light', forcedColors: 'active' },
  { name: 'forced dark', colorScheme: 'dark', forcedColors: 'active' },
] as const;

let stack: Stack;
let browser: Browser;
let signing: { platformId: string; kid: string; key: string; alg: 'EdDSA' };

beforeAll(async () => {
  stack = await startStack();
  // A fake microphone, so the therapist's pacing runs and its time cue can show.
  browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
  const vars = parseVars(readFileSync(stack.vars, 'utf8'));
  signing = {
    platformId: vars.get('DEMO_PLATFORM_ID')!,
    kid: vars.get('DEMO_KID')!,
    key: vars.get('DEMO_PRIVATE_JWK')!,
    alg: 'EdDSA',
  };
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function tokens(locale: string, minutes = 15) {
  const sid = `a11y-${crypto.randomUUID()}`;
  const now = Math.floor(Date.now() / 1000);
  const common = {
    sid,
    tid: `a11y-t-${locale}`,
    cid: `a11y-c-${locale}`,
    loc: locale,
    sched: { start: now, end: now + minutes * 60 },
  };
  return {
    sid,
    client: await mintToken(signing, { ...common, role: 'client', sub: common.cid }),
    therapist: await mintToken(signing, { ...common, role: 'therapist', sub: common.tid }),
  };
}

/** An earlier rated session of the same client and therapist, so the summary has a trend. */
async function earlierSession(locale: string) {
  const { client } = await tokens(locale);
  const res = await fetch(`${stack.api}/v1/session/rating`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${client}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      kind: 'rating',
      instrument: DEFAULT_INSTRUMENT.id,
      version: DEFAULT_INSTRUMENT.version,
      items: DEFAULT_INSTRUMENT.items.map((i) => ({ id: i.id, value: 9 })),
    }),
  });
  if (res.status !== 201) throw new Error(`earlier rating: ${res.status} ${await res.text()}`);
}

/** Runs axe on the widget in every colour mode; returns the violations as readable lines. */
async function audit(page: Page, state: string, still?: () => Promise<boolean>): Promise<string[]> {
  const found: string[] = [];
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  for (const mode of MODES) {
    await page.emulateMedia({ colorScheme: mode.colorScheme, forcedColors: mode.forcedColors });
    // What the user reads once a fade-in (the cue's 0.4 s) has ended: mid-fade, text is judged at part opacity.
    await page.evaluate(() =>
      document
        .querySelector('attune-widget')
        ?.shadowRoot?.getAnimations()
        .forEach((a) => {
          a.finish();
        }),
    );
    const violations = await page.evaluate(async (tags) => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              ctx: unknown,
              opts: unknown,
            ): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
          };
        }
      ).axe;
      const r = await axe.run(
        { include: [['attune-widget']] },
        { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
      );
      return r.violations.map((v) => `${v.id} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    }, TAGS);
    found.push(...violations.map((v) => `${state}, ${mode.name}: ${v}`));
    if (still) expect(await still(), `${state} still shown after axe in ${mode.name}`).toBe(true);
  }
  await page.emulateMedia({ colorScheme: 'light', forcedColors: 'none' });
  return found;
}

const openPane = async (page: Page, role: 'client' | 'therapist', token: string) => {
  await page.goto(paneUrl(stack.host, role, token) + (role === 'therapist' ? '&audio=none' : ''));
  await page.waitForFunction(
    () => typeof (window as { Attune?: { endSession?: unknown } }).Attune?.endSession === 'function',
  );
};

describe.each(LOCALES)('widget states in %s', (locale) => {
  let c: ClientStrings;
  let t: TherapistStrings;
  beforeAll(async () => {
    c = await loadStrings(locale);
    t = (ALL_THERAPIST_LOCALES[locale] ?? ALL_THERAPIST_LOCALES.en!).summary;
  });

  it('0 WCAG 2.2 A/AA violations in light, dark and forced colours', async () => {
    const violations: string[] = [];
    await earlierSession(locale);
    const { client, therapist } = await tokens(locale);

    // The therapist's strip with a time cue: a 15-minute session on the fake clock, past the 5-minute quiet start.
    const tPage = await browser.newPage();
    await tPage.clock.install();
    await openPane(tPage, 'therapist', therapist);
    await tPage.evaluate(async () => {
      const w = window as unknown as {
        __ticks: number;
        Attune: { attachAudio(s: unknown): void; on(e: string, cb: () => void): void };
      };
      w.__ticks = 0;
      w.Attune.on('pacing', () => w.__ticks++);
      const local = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0]!;
      w.Attune.attachAudio({ local, remote: null });
    });
    await expect
      .poll(() => tPage.evaluate(() => (window as unknown as { __ticks: number }).__ticks))
      .toBeGreaterThan(0);
    const cueShown = () =>
      tPage.evaluate(
        () => !!document.querySelector('attune-widget')?.shadowRoot?.querySelector('.cue [role=status]')?.textContent,
      );
    await tPage.clock.runFor(4 * 60_000 + 50_000);
    for (let ran = 0; ran < 60_000 && !(await cueShown()); ran += 1000) await tPage.clock.runFor(1000);
    expect(await cueShown(), 'a cue on the strip').toBe(true);
    // The cue hides by itself after 12 s; `cueShown` checks that axe saw it in every mode.
    violations.push(...(await audit(tPage, 'therapist strip with a cue', cueShown)));

    await endCall(tPage);
    await expect.poll(() => widgetText(tPage)).toContain(t.waiting);
    violations.push(...(await audit(tPage, 'therapist waiting')));

    // The client: card, its error, skip with undo, thanks.
    const cPage = await browser.newPage();
    await openPane(cPage, 'client', client);
    await endCall(cPage);
    const sliders = cPage.getByRole('slider');
    await sliders.first().waitFor();
    violations.push(...(await audit(cPage, 'client card')));
    await cPage.getByRole('button', { name: c.submit }).click();
    await expect.poll(() => widgetText(cPage)).toContain(c.missing.trim());
    violations.push(...(await audit(cPage, 'client card with its error')));
    await cPage.getByRole('button', { name: c.skip }).click();
    await cPage.getByRole('button', { name: c.undo }).waitFor();
    violations.push(...(await audit(cPage, 'skip with undo')));
    await cPage.getByRole('button', { name: c.undo }).click();
    const n = await sliders.count();
    for (let i = 0; i < n; i++) {
      await sliders.nth(i).focus();
      await cPage.keyboard.type(String(4 + i));
    }
    await cPage.getByRole('button', { name: c.submit }).click();
    await waitStatus(
      cPage,
      new RegExp(`^(${[c.stored, c.delivered].map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`),
    );
    violations.push(...(await audit(cPage, 'thanks')));

    // The therapist's summary with the trend, then with its table open.
    await expect.poll(() => widgetText(tPage), { timeout: 15_000 }).toContain(t.total);
    violations.push(...(await audit(tPage, 'summary with trend')));
    await tPage.locator('button[aria-controls="attune-trend-table"]').click();
    violations.push(...(await audit(tPage, 'summary with trend table')));

    // A delivery the API refuses: the error status.
    const refused = await tokens(locale);
    const ePage = await browser.newPage();
    await ePage.route('**/v1/session/rating', (r) =>
      r.fulfill({
        status: 400,
        headers: {
          'access-control-allow-origin': r.request().headers().origin ?? '*',
          'content-type': 'application/json',
        },
        body: '{"error":{"code":"invalid_body","message":"x"}}',
      }),
    );
    await openPane(ePage, 'client', refused.client);
    await endCall(ePage);
    await ePage.getByRole('button', { name: c.skip }).click();
    // The skip is sent at once when the page is hidden (no need to wait out the undo window).
    await ePage.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(await waitStatus(ePage, new RegExp('^' + c.failed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toBe(c.failed);
    violations.push(...(await audit(ePage, 'delivery failed')));

    await Promise.all([tPage.close(), cPage.close(), ePage.close()]);
    expect(violations).toEqual([]);
  });
});
