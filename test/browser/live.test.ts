// The live summary in Debian's Chromium: the client submits in one page and the therapist's page updates over its
// WebSocket with no reload; a therapist who connects after the rating gets it on connect; the client is told
// whether the rating reached the therapist; the trend shows as a named sparkline with a table behind a button.
import { expect, it } from 'vitest';
import type { Browser, Page, WebSocket as PwWebSocket } from 'playwright-core';
import { ZERO_PACING } from '../samples.ts';
import { type Stack, withStackAndBrowser } from './stack.ts';
import { deepActive, endCall, mintDemoTokens, paneUrl, postWithToken, widgetText } from './page-helpers.ts';

let stack: Stack;
let browser: Browser;
/** Polls wait on a condition; this is only the ceiling before a test gives up (the machine may be loaded). */
const UNTIL = { timeout: 30_000 };

withStackAndBrowser((s, b) => {
  stack = s;
  browser = b;
});

interface LiveWatch {
  sockets: PwWebSocket[];
  frames: string[];
}

/** Records the page's WebSockets and the text frames they receive. */
function watchSockets(page: Page): LiveWatch {
  const w: LiveWatch = { sockets: [], frames: [] };
  page.on('websocket', (ws) => {
    w.sockets.push(ws);
    ws.on('framereceived', (f) => typeof f.payload === 'string' && w.frames.push(f.payload));
  });
  return w;
}

const summaries = (w: LiveWatch) =>
  w.frames
    .filter((f) => f.startsWith('{'))
    .map((f) => (JSON.parse(f) as { summary: { status: string; total: number | null } }).summary);

/** Keyboard only: focus each slider and type its value, then press Enter on "Send rating". */
async function rate(page: Page, values: string[]) {
  await endCall(page);
  const sliders = page.getByRole('slider');
  await sliders.first().waitFor();
  for (const [i, v] of values.entries()) {
    await sliders.nth(i).focus();
    await page.keyboard.type(v);
  }
  await page.getByRole('button', { name: 'Send rating' }).focus();
  await page.keyboard.press('Enter');
}

async function postJson(path: string, token: string, body: unknown) {
  const res = await postWithToken(stack.api, path, token, body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { delivered?: boolean };
}

const ratingOf = (values: number[]) => ({
  kind: 'rating',
  instrument: 'attune-session-4',
  version: 1,
  items: ['bond', 'goals', 'approach', 'overall'].map((id, i) => ({ id, value: values[i]! })),
});

it('the therapist page updates live with no reload, and the client is told it reached the therapist', async () => {
  const { therapist, client } = await mintDemoTokens(stack.api, stack.host);
  const tPage = await browser.newPage();
  const live = watchSockets(tPage);
  let loads = 0;
  tPage.on('load', () => loads++);
  // Any poll of the summary would show up here: the rating must arrive over the socket instead.
  const polls: string[] = [];
  tPage.on('request', (r) => r.url().endsWith('/summary') && polls.push(r.url()));
  await tPage.goto(paneUrl(stack.host, 'therapist', therapist));
  await tPage.evaluate(() => ((window as { marker?: number }).marker = 42));
  await endCall(tPage);
  // The client's page has not asked yet: that is still waiting (not "not asked", which is feedback fatigue's).
  await expect.poll(() => widgetText(tPage), UNTIL).toContain("Waiting for the client's rating");
  // The live channel is open and has sent the current (pending) summary; the token is not in its URL.
  await expect.poll(() => summaries(live)[0]?.status, UNTIL).toBe('pending');
  expect(summaries(live)[0]).toMatchObject({ asked: false, skipped: false });
  expect(live.sockets).toHaveLength(1);
  expect(new URL(live.sockets[0]!.url()).pathname).toBe('/v1/live');
  expect(live.sockets[0]!.url()).not.toContain(therapist.split('.')[1]!);

  const cPage = await browser.newPage();
  await cPage.goto(paneUrl(stack.host, 'client', client));
  await rate(cPage, ['9', '8.5', '9.5', '9']); // 36.0
  await expect.poll(() => widgetText(cPage), UNTIL).toContain('Sent to your therapist.');

  // The summary came over the socket (the frame below), not from a poll (no summary request at all), with no reload.
  await expect.poll(() => widgetText(tPage), UNTIL).toContain('36.0');
  expect(summaries(live).at(-1)).toMatchObject({ status: 'rated', total: 36 });
  expect(polls).toEqual([]);
  expect(await tPage.evaluate(() => (window as { marker?: number }).marker)).toBe(42);
  expect(loads).toBe(1);
  await tPage.close();
  await cPage.close();
});

it('a therapist who connects after the rating gets it on connect; the client was told it was saved', async () => {
  const { therapist, client } = await mintDemoTokens(stack.api, stack.host);
  const cPage = await browser.newPage();
  await cPage.goto(paneUrl(stack.host, 'client', client));
  await rate(cPage, ['7', '8', '9', '6']); // 30.0
  await expect
    .poll(() => widgetText(cPage), UNTIL)
    .toContain('Saved. Your therapist will see it when they open the summary.');

  const tPage = await browser.newPage();
  const live = watchSockets(tPage);
  await tPage.goto(paneUrl(stack.host, 'therapist', therapist));
  await endCall(tPage);
  await expect.poll(() => widgetText(tPage), UNTIL).toContain('30.0');
  expect(summaries(live)[0]).toMatchObject({ status: 'rated', total: 30 });
  // The default instrument has no 36 / 9 cut-offs (the demo client's earlier sessions may bring a drop flag).
  expect(await widgetText(tPage)).toContain('Worth checking in about');
  expect(await widgetText(tPage)).not.toMatch(/under 36|under 9/);
  await tPage.close();
  await cPage.close();
});

it('with earlier sessions of the same client, the summary shows a named sparkline and a table behind a button', async () => {
  // /dev/tokens always mints the same demo client and therapist, so these sessions join one series.
  const earlier = [
    { values: [7, 8, 8, 8], total: '31.0' },
    { values: [8, 8.5, 8.5, 8.5], total: '33.5' },
    { values: [9, 9, 9.5, 9.5], total: '37.0' },
  ];
  // No waiting between them: sessions recorded within the same second keep their order by the client's sequence
  // number (migrations/0005_client_seq.sql), which the series and the history read.
  for (const [i, e] of earlier.entries()) {
    const { client, therapist } = await mintDemoTokens(stack.api, stack.host);
    await postJson(`/v1/session/rating`, client, ratingOf(e.values));
    if (i === 1) {
      // 30 minutes of talk, 40% of it the therapist's.
      const pacing = { ...ZERO_PACING, durationSeconds: 3000, therapistTalkSeconds: 720, clientTalkSeconds: 1080 };
      await postJson(`/v1/session/pacing`, therapist, pacing);
    }
  }
  const { therapist, client } = await mintDemoTokens(stack.api, stack.host);
  const tPage = await browser.newPage();
  await tPage.goto(paneUrl(stack.host, 'therapist', therapist));
  await endCall(tPage);
  const cPage = await browser.newPage();
  await cPage.goto(paneUrl(stack.host, 'client', client));
  await rate(cPage, ['9', '8', '9', '8.5']); // 34.5, a drop from 37.0

  const chart = tPage.getByRole('img', { name: /^Totals over \d+ sessions, from [\d.]+ to 34\.5/ });
  await chart.waitFor();
  expect(await chart.locator('circle').count()).toBeGreaterThanOrEqual(4);
  expect(await chart.locator('circle.now').count()).toBe(1);
  // It leads with what changed; a drop of 2.5 is under the default rule's 4 points, so nothing is flagged.
  expect(await widgetText(tPage)).toContain('2.5 lower than last session (37.0).');
  expect(await widgetText(tPage)).toContain('Nothing flagged this time.');

  // The button's name changes when it opens ("Hide the table"): follow it by what it controls.
  expect(await tPage.getByRole('button', { name: 'Show sessions as a table' }).getAttribute('aria-expanded')).toBe(
    'false',
  );
  const toggle = tPage.locator('button[aria-controls="attune-trend-table"]');
  expect(await tPage.getByRole('table', { name: "This client's sessions, oldest first" }).isVisible()).toBe(false);
  await toggle.focus();
  await tPage.keyboard.press('Enter');
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  expect(await toggle.textContent()).toBe('Hide the table');
  const table = tPage.getByRole('table', { name: "This client's sessions, oldest first" });
  expect(await table.isVisible()).toBe(true);
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const last4 = rows.slice(-4);
  expect(last4.map((r) => r[1])).toEqual(['31.0', '33.5', '37.0', '34.5']);
  expect(last4.slice(0, 3).map((r) => r[2])).toEqual(['Not recorded', '40%', 'Not recorded']);
  expect(last4[3]![0]).toMatch(/\(this session\)$/);
  await tPage.close();
  await cPage.close();
});

it('"Skip rating" is reached by keyboard and can be taken back; the decline then reaches the therapist live', async () => {
  const { therapist, client } = await mintDemoTokens(stack.api, stack.host);
  const tPage = await browser.newPage();
  await tPage.goto(paneUrl(stack.host, 'therapist', therapist));
  await endCall(tPage);
  const cPage = await browser.newPage();
  await cPage.goto(paneUrl(stack.host, 'client', client));
  await endCall(cPage);
  await cPage.getByRole('slider').first().waitFor();
  let reached = false;
  for (let presses = 0; presses < 20 && !reached; presses++) {
    await cPage.keyboard.press('Tab');
    reached = (await deepActive(cPage))?.text === 'Skip rating';
  }
  expect(reached).toBe(true);
  await cPage.keyboard.press('Enter');
  await expect.poll(() => widgetText(cPage), UNTIL).toContain('No rating will be shared for this session.');
  // Changed their mind: Tab to "Rate after all", Enter: the card is back, focus on its first slider.
  await cPage.keyboard.press('Tab');
  expect((await deepActive(cPage))?.text).toBe('Rate after all');
  await cPage.keyboard.press('Enter');
  expect((await deepActive(cPage))?.type).toBe('range');
  // Skip again and let it go: after the undo window the decline is sent and the therapist's card says so.
  await cPage.getByRole('button', { name: 'Skip rating' }).click();
  await expect.poll(() => widgetText(cPage), UNTIL).toContain('Your choice is saved.');
  await expect.poll(() => widgetText(tPage), UNTIL).toContain('The client chose not to rate this session.');
  await tPage.close();
  await cPage.close();
});
