// The script tag as widget/README.md documents it, in Chromium: a host page on another origin with a strict CSP
// (nonces, no 'unsafe-inline', exactly the documented script-src, style-src and connect-src) loads widget.js by SRI;
// a tampered integrity is blocked; hashed files are served immutable; a host theme reaches the card. And the
// video-SDK demo pages: livekit-client's own browser build with Attune.connect(room), plain WebRTC with attachAudio.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureScreenshots, SHOTS } from '../../scripts/screenshots.ts';
import { mintDemoTokens, widgetText } from './page-helpers.ts';
import { launchChromium, startStack, type Stack } from './stack.ts';

const ROOT = join(import.meta.dirname, '../..');
const integrity = JSON.parse(readFileSync(join(ROOT, 'dist/widget/integrity.json'), 'utf8')) as {
  'widget.js': string;
  loader: string;
  chunks: { client: string; therapist: string };
};

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  // The host pages here are fulfilled by request interception, which Chromium counts as the public address space:
  // its Local Network Access check would then refuse the loopback API. Real hosts and the API are both public.
  browser = await launchChromium([
    '--disable-features=LocalNetworkAccessChecks',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${join(ROOT, 'test/fixtures/dialogues/dialogue-01/clean-therapist.wav')}`,
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The host CSP of widget/README.md ("Content Security Policy"), nothing more. */
function strictCsp(api: string, nonce: string): string {
  const ws = api.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${api}`,
    `style-src 'nonce-${nonce}'`,
    `connect-src ${api} ${ws}`,
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

interface HostPage {
  src: string;
  integrity: string;
  token: string;
  css?: string;
  theme?: string;
  /** The embedding markup itself, instead of the one script tag (given the page's nonce). */
  embed?: (nonce: string) => string;
}

/** README.md's embedding snippet ("Embedding"), with its placeholders filled in and nothing else changed. */
function readmeEmbed(h: { src: string; integrity: string; token: string }, nonce: string): string {
  const block = /## Embedding\n\n```html\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1];
  if (!block) throw new Error('README.md has no embedding snippet');
  const filled = block
    .replaceAll('"N"', `"${nonce}"`)
    .replace('https://attune.example/widget-<hash>.js', h.src)
    .replace('sha384-…', h.integrity)
    .replace('"JWT"', `"${h.token}"`);
  // What the snippet leaves to the page: its room (or its tracks).
  return `<script nonce="${nonce}">var room = {}, local = null, remote = null;</script>\n${filled}`;
}

/** Serves a host page at the demo host's origin (registered for CORS) through request interception. */
async function openHost(context: BrowserContext, h: HostPage): Promise<{ page: Page; violations: string[] }> {
  const nonce = 'n' + Math.random().toString(36).slice(2);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<style nonce="${nonce}">body{font-family:serif} ${h.css ?? ''}</style>
<script nonce="${nonce}">window.violations=[];document.addEventListener('securitypolicyviolation',e=>violations.push(e.violatedDirective+' '+e.blockedURI));</script>
<script>window.inlineWithoutNonceRan = true;</script>
${h.embed ? h.embed(nonce) : `<script src="${h.src}" integrity="${h.integrity}" crossorigin="anonymous" async data-token="${h.token}" data-nonce="${nonce}" data-target="#slot"${h.theme ? ` data-theme="${h.theme}"` : ''}></script>`}
</head><body><main><h1>Call</h1><div id="slot"></div></main></body></html>`;
  const url = `${stack.host}/embed-host-${Math.random().toString(36).slice(2)}.html`;
  await context.route(url, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': strictCsp(stack.api, nonce) },
      body: html,
    }),
  );
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to|integrity/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(url);
  return { page, violations };
}

const attuneReady = (page: Page) =>
  page.waitForFunction(
    () => typeof (window as { Attune?: { endSession?: unknown } }).Attune?.endSession === 'function',
  );

describe('script tag under a strict CSP, by SRI', () => {
  it('widget.js with its published sha384 loads, mounts and shows the rating card; nothing is refused', async () => {
    const { client } = await mintDemoTokens(stack.api, stack.host);
    const context = await browser.newContext();
    const { page, violations } = await openHost(context, {
      src: `${stack.api}/widget.js`,
      integrity: integrity['widget.js'],
      token: client,
    });
    await attuneReady(page);
    await page.evaluate(() => (window as unknown as { Attune: { endSession(): void } }).Attune.endSession());
    await page.getByRole('button', { name: 'Send rating' }).waitFor();
    // The CSP is in force: the inline script without the nonce did not run.
    expect(
      await page.evaluate(() => (window as { inlineWithoutNonceRan?: boolean }).inlineWithoutNonceRan),
    ).toBeUndefined();
    const blocked = (await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).filter(
      (v) => !v.startsWith('script-src-elem inline'),
    );
    expect(blocked).toEqual([]);
    expect(violations.filter((v) => !/inline script/i.test(v))).toEqual([]);
    // The role chunk came from the manifest compiled into the loader.
    const chunks = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
    );
    expect(chunks).toContain(`/${integrity.chunks.client}`);
    await context.close();
  });

  it('README.md’s embedding snippet runs as written; Attune.q.push still works once the widget has loaded', async () => {
    const { client } = await mintDemoTokens(stack.api, stack.host);
    const context = await browser.newContext();
    const h = { src: `${stack.api}/${integrity.loader}`, integrity: integrity['widget.js'], token: client };
    const pageErrors: string[] = [];
    context.on('weberror', (e) => pageErrors.push(e.error().message));
    const { page, violations } = await openHost(context, { ...h, embed: (nonce) => readmeEmbed(h, nonce) });
    await attuneReady(page);
    // The page's "End call" handler, long after load, written the way the snippet queues its calls.
    await page.evaluate(() => (window as unknown as { Attune: { q: unknown[][] } }).Attune.q.push(['endSession', []]));
    await page.getByRole('button', { name: 'Send rating' }).waitFor();
    expect(pageErrors).toEqual([]);
    expect(violations.filter((v) => !/inline script/i.test(v))).toEqual([]);
    await context.close();
  });

  it('the versioned loader with the same integrity works too; a tampered integrity is blocked and nothing mounts', async () => {
    const { client } = await mintDemoTokens(stack.api, stack.host);
    const ok = await browser.newContext();
    const good = await openHost(ok, {
      src: `${stack.api}/${integrity.loader}`,
      integrity: integrity['widget.js'],
      token: client,
    });
    await attuneReady(good.page);
    await ok.close();

    const bad = await browser.newContext();
    const digest = integrity['widget.js'];
    const tampered = digest.slice(0, 7) + (digest[7] === 'A' ? 'B' : 'A') + digest.slice(8);
    const { page, violations } = await openHost(bad, {
      src: `${stack.api}/widget.js`,
      integrity: tampered,
      token: client,
    });
    await expect.poll(() => violations.join('\n')).toMatch(/integrity/i);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => 'Attune' in window)).toBe(false);
    expect(await page.locator('attune-widget').count()).toBe(0);
    await bad.close();
  });

  it('hashed files are served immutable; the alias and integrity.json revalidate', async () => {
    const head = async (path: string) => (await fetch(`${stack.api}/${path}`)).headers;
    for (const f of [integrity.chunks.client, integrity.chunks.therapist, integrity.loader]) {
      const h = await head(f);
      expect(h.get('cache-control'), f).toBe('public, max-age=31536000, immutable');
      expect(h.get('access-control-allow-origin'), f).toBe('*');
    }
    expect((await head('widget.js')).get('cache-control')).toBe('public, max-age=300');
    expect((await head('integrity.json')).get('cache-control')).toBe('public, max-age=300');
  });
});

describe('theming', () => {
  const cardColors = (page: Page) =>
    page.getByRole('button', { name: 'Send rating' }).evaluate((b) => {
      const card = b.closest('.card') ?? b.getRootNode();
      return {
        button: getComputedStyle(b).backgroundColor,
        card: card instanceof Element ? getComputedStyle(card).backgroundColor : '',
      };
    });

  const openCard = async (context: BrowserContext, h: Omit<HostPage, 'token' | 'src' | 'integrity'>) => {
    const { client } = await mintDemoTokens(stack.api, stack.host);
    const { page } = await openHost(context, {
      src: `${stack.api}/widget.js`,
      integrity: integrity['widget.js'],
      token: client,
      ...h,
    });
    await attuneReady(page);
    await page.evaluate(() => (window as unknown as { Attune: { endSession(): void } }).Attune.endSession());
    await page.getByRole('button', { name: 'Send rating' }).waitFor();
    return page;
  };

  it("the host's CSS custom properties reach the card", async () => {
    const context = await browser.newContext();
    const page = await openCard(context, {
      css: 'attune-widget{--attune-accent:rgb(120, 20, 90);--attune-bg:rgb(250, 245, 230)}',
    });
    expect(await cardColors(page)).toEqual({ button: 'rgb(120, 20, 90)', card: 'rgb(250, 245, 230)' });
    await context.close();
  });

  it('follows the system dark setting, unless the host says data-theme; the attribute is followed live', async () => {
    const dark = await browser.newContext({ colorScheme: 'dark' });
    const page = await openCard(dark, {});
    expect((await cardColors(page)).card).toBe('rgb(27, 31, 36)'); // #1b1f24
    await page.evaluate(() => document.querySelector('attune-widget')!.setAttribute('data-theme', 'light'));
    expect((await cardColors(page)).card).toBe('rgb(255, 255, 255)');
    await dark.close();

    const light = await browser.newContext({ colorScheme: 'light' });
    const forced = await openCard(light, { theme: 'dark' });
    expect((await cardColors(forced)).card).toBe('rgb(27, 31, 36)');
    await light.close();
  });
});

describe('video-SDK demo pages', () => {
  type Win = {
    LivekitClient: { version: string; RoomEvent: { Disconnected: string } };
    demoRoom: { emit(e: string): void };
    errors: string[];
  };

  it("livekit.html: livekit-client's own browser build, Attune.connect(room) follows the real Room", async () => {
    const { therapist } = await mintDemoTokens(stack.api, stack.host);
    const page = await browser.newPage();
    await page.goto(`${stack.host}/livekit.html#token=${encodeURIComponent(therapist)}`);
    await attuneReady(page);
    await page.evaluate(() => {
      const w = window as unknown as Win & { Attune: { on(e: string, cb: (d: { code: string }) => void): void } };
      w.errors = [];
      w.Attune.on('error', (e) => w.errors.push(e.code));
    });
    const lk = JSON.parse(readFileSync(join(ROOT, 'node_modules/livekit-client/package.json'), 'utf8')) as {
      version: string;
    };
    expect(await page.evaluate(() => (window as unknown as Win).LivekitClient.version)).toBe(lk.version);
    // The Room's own Disconnected event ends the session: the widget subscribed to the real Room. First the widget's
    // chunk must have mounted and taken the queued connect(room): its strip (minutes left) says it follows the Room.
    await expect.poll(() => widgetText(page)).toContain('min left');
    await page.evaluate(() => {
      const w = window as unknown as Win;
      w.demoRoom.emit(w.LivekitClient.RoomEvent.Disconnected);
    });
    await expect.poll(() => widgetText(page)).toContain("Waiting for the client's rating");
    expect(await page.evaluate(() => (window as unknown as Win).errors)).toEqual([]);
    await page.close();
  });

  it('webrtc.html: attachAudio with the microphone track and a remote RTCRtpReceiver measures both sides', async () => {
    const { therapist } = await mintDemoTokens(stack.api, stack.host);
    const page = await browser.newPage();
    await page.goto(`${stack.host}/webrtc.html#token=${encodeURIComponent(therapist)}`);
    await attuneReady(page);
    await page.evaluate(() => {
      const w = window as unknown as { Attune: { on(e: string, cb: (d: unknown) => void): void }; last?: unknown };
      w.Attune.on('pacing', (s) => (w.last = s));
    });
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/microphone and the remote receiver/);
    await page.waitForFunction(
      () => {
        const s = (window as unknown as { last?: { therapistTalkMs: number; clientTalkMs: number } }).last;
        return !!s && s.therapistTalkMs > 0 && s.clientTalkMs > 0;
      },
      undefined,
      { timeout: 90_000, polling: 250 },
    );
    await page.getByRole('button', { name: 'End call' }).click();
    await expect.poll(() => widgetText(page)).toContain("Waiting for the client's rating");
    await page.close();
  });
});

describe('README screenshots', () => {
  it('the card, the strip with a cue and the summary with its trend are captured (npm run screenshots)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-shots-'));
    try {
      const files = await captureScreenshots(stack, browser, dir);
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual([...SHOTS]);
      for (const f of files) {
        const png = readFileSync(f);
        expect(png.subarray(1, 4).toString('latin1'), f).toBe('PNG');
        const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
        expect(width, f).toBeGreaterThan(300);
        expect(height, f).toBeGreaterThan(60);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
