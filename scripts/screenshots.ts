// Screenshots for the README, taken in Debian's Chromium on the local stack (the Worker in wrangler dev and the
// demo host, as the browser tests run them): the client's rating card, the therapist's pacing strip with a cue,
// the therapist's summary with the client's trend, and the therapist's caseload page (the seeded demo history). `npm run screenshots` writes docs/screenshots/*.png;
// test/browser/embed-sdk.test.ts runs the same capture into a temp directory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { endCall, mintDemoTokens, paneUrl, postWithToken } from '../test/browser/page-helpers.ts';
import { launchChromium, startStack, type Stack } from '../test/browser/stack.ts';

export const SHOTS = ['rating-card.png', 'pacing-strip-cue.png', 'summary-trend.png', 'caseload.png'] as const;

const VIEWPORT = { width: 480, height: 760 };

async function post(api: string, path: string, token: string, body: unknown): Promise<void> {
  const res = await postWithToken(api, path, token, body);
  if (res.status !== 201) throw new Error(`${path}: HTTP ${res.status}`);
}

const rating = (values: number[]) => ({
  kind: 'rating',
  instrument: 'attune-session-4',
  version: 1,
  items: ['bond', 'goals', 'approach', 'overall'].map((id, i) => ({ id, value: values[i]! })),
});

const pacing = (therapistTalkSeconds: number, clientTalkSeconds: number, cuesShown: number) => ({
  durationSeconds: 3000,
  therapistTalkSeconds,
  clientTalkSeconds,
  overlapSeconds: 20,
  overlapCount: 9,
  silenceSeconds: 400,
  silenceCount: 50,
  longestSilenceSeconds: 12,
  longestTherapistTurnSeconds: 80,
  therapistTurns: 130,
  clientTurns: 128,
  cuesShown,
});

const widget = (page: Page) => page.locator('attune-widget');

async function ratingCard(stack: Stack, page: Page, out: string): Promise<void> {
  const { client } = await mintDemoTokens(stack.api, stack.host);
  await page.goto(paneUrl(stack.host, 'client', client));
  await endCall(page);
  const sliders = page.getByRole('slider');
  await sliders.first().waitFor();
  for (const [i, v] of ['8', '9.5'].entries()) {
    await sliders.nth(i).focus();
    await page.keyboard.type(v);
  }
  await page.locator('body').click({ position: { x: 2, y: 2 } }); // no focus ring in the picture
  await widget(page).screenshot({ path: out });
}

/**
 * A 15-minute session on the fake clock: after the 5-minute quiet start the "10 minutes left" cue shows. The clock
 * runs a second at a time with a little real time between, so the frames sample the demo's looping voices at many
 * points and the strip's talk balance looks like the call's.
 */
async function stripWithCue(stack: Stack, page: Page, out: string): Promise<void> {
  const { therapist } = await mintDemoTokens(stack.api, stack.host, { minutes: 15 });
  await page.clock.install();
  await page.goto(paneUrl(stack.host, 'therapist', therapist));
  const cue = page.locator('attune-widget .cue [role=status]');
  await page.waitForFunction(
    () => typeof (window as { Attune?: { attachAudio?: unknown } }).Attune?.attachAudio === 'function',
  );
  for (let s = 0; s < 6 * 60 && !(await cue.textContent())?.trim(); s++) {
    await page.clock.runFor(1000);
    await new Promise((r) => setTimeout(r, 37));
  }
  if (!(await cue.textContent())?.trim()) throw new Error('no cue on screen after the quiet start');
  await widget(page).screenshot({ path: out });
}

/** Three earlier rated sessions of the same client (the dev route always mints the same pair), then this one. */
async function summaryWithTrend(stack: Stack, therapistPage: Page, clientPage: Page, out: string): Promise<void> {
  // Sessions are ordered by creation time in whole seconds: a second apart keeps their order certain.
  const aSecondLater = () => new Promise((r) => setTimeout(r, 1100));
  for (const [values, share] of [
    [[7, 8, 7.5, 8], 0.62],
    [[8, 8.5, 8, 8.5], 0.55],
    [[9, 9, 9.5, 9.5], 0.48],
  ] as const) {
    await aSecondLater();
    const { client, therapist } = await mintDemoTokens(stack.api, stack.host);
    await post(stack.api, '/v1/session/rating', client, rating([...values]));
    await post(
      stack.api,
      '/v1/session/pacing',
      therapist,
      pacing(Math.round(1800 * share), Math.round(1800 * (1 - share)), 1),
    );
  }
  await aSecondLater();
  const { therapist, client } = await mintDemoTokens(stack.api, stack.host);
  await post(stack.api, '/v1/session/pacing', therapist, pacing(990, 810, 2));
  await therapistPage.goto(paneUrl(stack.host, 'therapist', therapist) + '&audio=none');
  await endCall(therapistPage);
  await clientPage.goto(paneUrl(stack.host, 'client', client));
  await endCall(clientPage);
  const sliders = clientPage.getByRole('slider');
  await sliders.first().waitFor();
  for (const [i, v] of ['9', '8', '9', '8.5'].entries()) {
    await sliders.nth(i).focus();
    await clientPage.keyboard.type(v);
  }
  await clientPage.getByRole('button', { name: 'Send rating' }).click();
  await therapistPage.getByRole('img', { name: /^Totals over \d+ sessions/ }).waitFor({ timeout: 15_000 });
  await widget(therapistPage).screenshot({ path: out });
}

/** The demo's caseload page on a desktop-width screen, once its comparison sentence is there. */
async function caseload(stack: Stack, page: Page, out: string): Promise<void> {
  await page.setViewportSize({ width: 960, height: 1800 });
  await page.goto(`${stack.host}/caseload.html`);
  await page.locator('attune-widget .sentence').waitFor({ timeout: 15_000 });
  await widget(page).screenshot({ path: out });
}

/** Takes every screenshot into `outDir`; returns their paths. */
export async function captureScreenshots(stack: Stack, browser: Browser, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const [card, strip, summary, caseloadShot] = SHOTS.map((f) => join(outDir, f)) as [string, string, string, string];
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', reducedMotion: 'reduce' });
  try {
    await ratingCard(stack, await context.newPage(), card);
    await stripWithCue(stack, await context.newPage(), strip);
    const tall = await context.newPage();
    await tall.setViewportSize({ width: VIEWPORT.width, height: 1600 }); // the whole summary, trend included
    await summaryWithTrend(stack, tall, await context.newPage(), summary);
    await caseload(stack, await context.newPage(), caseloadShot);
  } finally {
    await context.close();
  }
  return [card, strip, summary, caseloadShot];
}

if (import.meta.main) {
  const out = join(import.meta.dirname, '../docs/screenshots');
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    for (const f of await captureScreenshots(stack, browser, out)) console.log('wrote', f);
  } finally {
    await browser.close();
    await stack.stop();
  }
}
