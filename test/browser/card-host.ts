// A light stage for the client card in Chromium, without the Worker: the built widget served from one origin, a host
// call page with a strict CSP on another, and the API's two client routes (context, rating) answered by
// `page.route`. The widget loads by its real script tag. Build first: `npm run build`.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../schemas/instrument.ts';
import { freePort, launchChromium } from './stack.ts';

const DIST = join(import.meta.dirname, '../../dist/widget');
export const API = 'https://api.attune.test';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** An unsigned client token: the widget only decodes it; the routes below do not check it. */
export const clientToken = (loc?: string) =>
  `${b64url(JSON.stringify({ alg: 'EdDSA', kid: 'k1' }))}.${b64url(JSON.stringify({ role: 'client', sid: 'sess-card', ...(loc ? { loc } : {}) }))}.c2ln`;

export interface CardHost {
  widget: string;
  host: string;
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/**
 * Starts the two origins. The host page: `/call?loc=..&floating=1&note=..&auto=1`, a call header, the card's slot,
 * an "End call" button that calls `Attune.endSession()` and some page below. With `auto`, the page itself ends the
 * call as soon as the widget is ready (no user action), noting `window.activeAtEnd`, then logs "attune-ended".
 */
export async function startCardHost(): Promise<CardHost> {
  const [wPort, hPort] = [await freePort(), await freePort()];
  const widget = `http://127.0.0.1:${wPort}`;
  const host = `http://localhost:${hPort}`;
  const files = createServer(async (req, res) => {
    const file = normalize(join(DIST, new URL(req.url ?? '/', widget).pathname.replace(/^\/widget/, '')));
    if (!file.startsWith(DIST) || !file.endsWith('.js')) return void res.writeHead(404).end();
    try {
      res
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*' })
        .end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  const pages = createServer((req, res) => {
    const q = new URL(req.url ?? '/', host).searchParams;
    const nonce = randomBytes(12).toString('base64');
    const loc = q.get('loc') ?? undefined;
    const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const note = q.get('note');
    const tag = `<script nonce="${nonce}" async src="${widget}/widget/widget.js" data-api="${API}" data-nonce="${nonce}" data-token="${clientToken(loc)}"${q.get('floating') ? '' : ' data-target="#slot"'}${note ? ` data-privacy-note="${attr(note)}"` : ''}></script>`;
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'none'; script-src ${widget} 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src ${API}`,
      })
      .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Call</title><style nonce="${nonce}">body{margin:0;font:16px system-ui}header{height:120px;background:#223;color:#fff;padding:8px}#slot{padding:8px}footer{height:400px;background:#eee}</style></head>
<body><header><h1>Your call</h1><button id="end">End call</button></header><div id="slot"></div><footer>Page footer</footer>
<script nonce="${nonce}">document.getElementById('end').addEventListener('click', () => Attune.endSession());
window.Attune = window.Attune || { q: [] };
${q.get('auto') ? "Attune.q.push(['on', ['ready', () => { window.activeAtEnd = navigator.userActivation.isActive; Attune.endSession(); console.log('attune-ended'); }]]);" : ''}</script>${tag}</body></html>`);
  });
  await Promise.all([listen(files, wPort), listen(pages, hPort)]);
  return {
    widget,
    host,
    stop: async () => {
      await Promise.all([files, pages].map((s) => new Promise((r) => s.close(r))));
    },
  };
}

/** Answers the client's API calls: the context (the default instrument) and the rating POST; returns the posts. */
export async function routeApi(target: Page | BrowserContext): Promise<unknown[]> {
  const posted: unknown[] = [];
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': '*',
    'access-control-allow-methods': 'GET, POST',
  };
  await target.route(`${API}/**`, async (route) => {
    const req = route.request();
    if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    if (req.url().endsWith('/v1/context'))
      return route.fulfill({
        status: 200,
        headers: cors,
        json: { role: 'client', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {}, ask: true },
      });
    if (req.method() === 'POST') {
      posted.push(req.postDataJSON());
      return route.fulfill({ status: 201, headers: cors, json: { status: 'rated', receivedAt: 1, delivered: true } });
    }
    return route.fulfill({ status: 404, headers: cors, json: { error: { code: 'not_found', message: 'not found' } } });
  });
  return posted;
}

/** Opens the call page and waits for the client chunk to mount. */
export async function openCall(page: Page, host: string, query: Record<string, string> = {}): Promise<void> {
  await page.goto(`${host}/call?${new URLSearchParams(query)}`);
  await page.waitForFunction(() => document.querySelector('attune-widget')?.shadowRoot?.querySelector('.root') != null);
}

/** Starts the card stage and Chromium before the file's tests and stops both after; `set` hands them over. */
export function withCardStage(set: (stage: CardHost, browser: Browser) => void): void {
  let stage: CardHost | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stage = await startCardHost();
    browser = await launchChromium();
    set(stage, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await stage?.stop();
  });
}
