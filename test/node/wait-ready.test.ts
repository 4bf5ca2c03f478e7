import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitReady } from '../../scripts/wait-ready.ts';

describe('wait-ready (npm start prints "ready" only after it)', () => {
  it('is ready once every URL answers, whatever the status', async () => {
    const server = createServer((req, res) => res.writeHead(req.url === '/x' ? 404 : 200).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await waitReady([`${base}/`, `${base}/x`], { timeoutMs: 60_000 })).toBe('ready');
    server.close();
  });

  it('gives up when the watched process has ended, rather than waiting for a server that will not come', async () => {
    const done = spawnSync(process.execPath, ['-e', '0']);
    const gone = done.pid!;
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    server.close(); // a port nobody listens on
    await new Promise((r) => server.once('close', r));
    expect(await waitReady([`http://127.0.0.1:${port}/`], { pid: gone, timeoutMs: 60_000 })).toBe('exited');
  });
});
