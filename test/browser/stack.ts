// A whole local Attune for browser tests: the Worker in `wrangler dev` (workerd, local D1, a temp persist dir),
// the demo platform host on another origin with a strict CSP, and Debian's Chromium driven by playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startDemoHost } from '../../demo/server.ts';
import { MIGRATED_D1_ENV } from './migrated-d1.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

export function launchChromium(extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs], ...options });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv: Server = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number, worker: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`wrangler dev exited (${worker.exitCode}):\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wrangler dev did not answer ${url} within ${timeoutMs} ms:\n${log()}`);
}

export interface Stack {
  api: string;
  host: string;
  /** wrangler's --persist-to (local D1) and the dev vars file (the demo platform's id and signing key). */
  state: string;
  vars: string;
  stop(): Promise<void>;
}

/** Starts the Worker and the demo host. The demo platform is seeded with the host's origin registered for CORS. */
export async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'attune-stack-'));
  const [apiPort, hostPort] = [await freePort(), await freePort()];
  const api = `http://127.0.0.1:${apiPort}`;
  const host = `http://127.0.0.1:${hostPort}`;
  const env = {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    WRANGLER_SEND_METRICS: 'false',
    NO_COLOR: '1',
    CI: 'true',
  };
  const vars = join(dir, 'dev.vars');
  const migrated = process.env[MIGRATED_D1_ENV];
  if (migrated) cpSync(migrated, join(dir, 'state'), { recursive: true });

  const seed = spawnSync(
    join(BIN, 'node'),
    ['scripts/seed-demo.ts', '--persist-to', join(dir, 'state'), '--vars', vars, '--origin', host],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  if (seed.status !== 0) throw new Error(`seed-demo failed:\n${seed.stdout}\n${seed.stderr}`);

  let output = '';
  const worker = spawn(
    join(BIN, 'wrangler'),
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(apiPort),
      '--inspector-port',
      String(await freePort()),
      '--persist-to',
      join(dir, 'state'),
      '--env-file',
      vars,
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  worker.stdout?.on('data', (d) => (output += d));
  worker.stderr?.on('data', (d) => (output += d));

  const stopWorker = () => {
    if (worker.exitCode === null && worker.pid) {
      try {
        process.kill(-worker.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  let demo: Server | undefined;
  try {
    await waitFor(`${api}/v1/health`, 60_000, worker, () => output);
    demo = await startDemoHost({ port: hostPort, api });
  } catch (err) {
    stopWorker();
    throw err;
  }

  return {
    api,
    host,
    state: join(dir, 'state'),
    vars,
    async stop() {
      await new Promise<void>((r) => (demo ? demo.close(() => r()) : r()));
      const exited =
        worker.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => worker.once('exit', () => r()));
      stopWorker();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a whole local stack and Chromium before the file's tests and stops both after; `set` hands them over. */
export function withStackAndBrowser(set: (stack: Stack, browser: Browser) => void): void {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    set(stack, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
}
