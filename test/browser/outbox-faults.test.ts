// The outbox's fault suite in Chromium against the whole local stack (wrangler dev, local D1): one trial per fault,
// each ending by reading D1 back (see outbox-trials.ts). Then a rating under a platform's own instrument survives a
// failing /v1/context call. bench/outbox.bench.ts runs the same trials at random, 200+ times.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEFAULT_INSTRUMENT, type Instrument } from '../../schemas/instrument.ts';
import { parseVars } from '../../scripts/seed-demo.ts';
import { settingsPatchSql } from '../../scripts/platform-sql.ts';
import { executeSql } from '../../scripts/wrangler-d1.ts';
import { mintToken } from '../../sdk/mint-token.ts';
import { endCall, paneUrl, widgetText } from './page-helpers.ts';
import { type Stack, withStackAndBrowser } from './stack.ts';
import { runTrial, sessionsStoredTwice, waitStatus, type Fault } from './outbox-trials.ts';

let stack: Stack;
let browser: Browser;

withStackAndBrowser((s, b) => {
  stack = s;
  browser = b;
});

// First in the file: it writes the platform's settings into the local D1 from outside (wrangler d1 execute), which
// workerd's D1 sees only if it has not opened the database yet (it caches what it read).
describe('a platform instrument and a failing /v1/context call', () => {
  const PLATFORM: Instrument = {
    ...DEFAULT_INSTRUMENT,
    id: 'acme-check-in',
    version: 2,
    items: DEFAULT_INSTRUMENT.items.slice(0, 2).map((item, n) => ({
      ...item,
      id: `acme${n}`,
      text: { en: { ...item.text.en!, label: `Acme question ${n + 1}` } },
    })),
  };

  it('shows no card under a guessed instrument, then rates under the platform one once the context answers; D1 holds it', async () => {
    const vars = parseVars(readFileSync(stack.vars, 'utf8'));
    const platformId = vars.get('DEMO_PLATFORM_ID')!;
    executeSql({ persistTo: stack.state }, settingsPatchSql(platformId, { instruments: [PLATFORM] }));
    const signing = {
      platformId,
      kid: vars.get('DEMO_KID')!,
      key: vars.get('DEMO_PRIVATE_JWK')!,
      alg: 'EdDSA' as const,
    };
    const sid = `acme-${crypto.randomUUID()}`;
    const common = { sid, tid: 'demo-therapist', cid: 'demo-client', ins: PLATFORM.id, loc: 'en' };
    const client = await mintToken(signing, { ...common, role: 'client', sub: 'demo-client' });
    const therapist = await mintToken(signing, { ...common, role: 'therapist', sub: 'demo-therapist' });

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const answers: string[] = [];
    page.on(
      'response',
      (r) =>
        r.url().endsWith('/v1/context') &&
        r.request().method() === 'GET' &&
        void r.text().then((t) => answers.push(`${r.status()} ${t.slice(0, 120)}`)),
    );
    page.on('console', (m) => answers.push(`console: ${m.text().slice(0, 160)}`));
    page.on(
      'request',
      (r) => r.url().includes('/v1/') && answers.push(`${r.method()} ${r.url().replace(stack.api, '')}`),
    );
    let contextUp = false;
    let refused = 0;
    await page.route('**/v1/context', (route) => {
      if (contextUp) return route.continue();
      refused++;
      return route.abort('internetdisconnected');
    });
    await page.goto(paneUrl(stack.host, 'client', client));
    await page.waitForFunction(
      () => typeof (window as { Attune?: { endSession?: unknown } }).Attune?.endSession === 'function',
    );
    await endCall(page);
    await expect.poll(() => widgetText(page)).toContain('The questions will appear once you are online.');
    expect(await page.getByRole('slider').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send rating' }).count()).toBe(0);
    expect(refused).toBeGreaterThan(0);

    // The API is reachable again, and the browser says so (`online`): the card retries at once, not at its backoff.
    contextUp = true;
    await ctx.setOffline(true);
    await ctx.setOffline(false);
    const sliders = page.getByRole('slider');
    await sliders
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        throw new Error(
          `no card; the widget says: ${await widgetText(page)}; context calls refused: ${refused}; answers: ${answers.join(' | ')}`,
          { cause: e },
        );
      });
    expect(await sliders.count()).toBe(2);
    expect(await widgetText(page)).toContain('Acme question 1');
    for (const [i, v] of ['6', '8'].entries()) {
      await sliders.nth(i).focus();
      await page.keyboard.type(v);
    }
    await page.getByRole('button', { name: 'Send rating' }).click();
    expect(await waitStatus(page, /^(Saved\.|Sent to)/)).toMatch(/^(Saved\.|Sent to)/);
    await ctx.close();

    const res = await fetch(`${stack.api}/v1/session/summary`, { headers: { authorization: `Bearer ${therapist}` } });
    const summary = (await res.json()) as {
      status: string;
      instrument: { id: string; version: number };
      items: Array<{ id: string; value: number }>;
    };
    expect(summary.status).toBe('rated');
    expect(summary.instrument).toEqual({ id: PLATFORM.id, version: 2 });
    expect(summary.items).toEqual([
      { id: 'acme0', value: 6 },
      { id: 'acme1', value: 8 },
    ]);
  });
});

describe('outbox faults: stored once, or the user is told it was not', () => {
  // 'offline-then-closed' may also end stored once: Chromium's offline emulation does not hold back a keepalive POST
  // the closing page sent. Either way the user heard the truth when the page closed (the interim line).
  const cases: Array<[Fault, string | undefined, 'once' | 'told-not-stored' | 'told-not-stored or once', RegExp?]> = [
    ['offline-then-online', undefined, 'once', /^Saved on this device/],
    ['503-three-times', '3', 'once'],
    ['never-answers', 'timeout', 'once', /^Sending…$/],
    ['never-answers', 'online-again', 'once'],
    ['response-lost', undefined, 'once'],
    ['closed-reopened', 'closed-at-once', 'once'],
    ['closed-reopened', 'offline-closed', 'once', /^Saved on this device/],
    ['two-tabs', 'a-first', 'once'],
    ['storage-full', 'offline-then-online', 'once', /^Not sent yet, and not saved on this device/],
    ['storage-disabled', 'offline-then-online', 'once', /^Not sent yet, and not saved on this device/],
    [
      'storage-disabled',
      'offline-then-closed',
      'told-not-stored or once',
      /^Not sent yet, and not saved on this device/,
    ],
    ['d1-write-fails', '2', 'once'],
    ['d1-fails-after-commit', '1', 'once'],
  ];
  for (const [fault, variant, outcome, interim] of cases) {
    it(`${fault}${variant ? ` (${variant})` : ''}: ${outcome}`, async () => {
      const trial = await runTrial(browser, stack, fault, () => 0, variant);
      if (outcome === 'told-not-stored or once')
        expect(['told-not-stored', 'once'], trial.detail).toContain(trial.outcome);
      else expect(trial.outcome, trial.detail).toBe(outcome);
      if (interim) expect(trial.interim[0]).toMatch(interim);
      if (fault === 'two-tabs')
        expect(trial.detail).toMatch(/"Your earlier answer for this session was kept; this one was not saved\."/);
    });
  }

  it('no session holds two ratings in D1', () => {
    expect(sessionsStoredTwice(stack)).toBe(0);
  });
});
