/**
 * Waits until every URL answers over HTTP (any status: the server is up), then exits 0. Exits 1 if the process
 * `--pid` ends first (its log says why) or after `--timeout` seconds. `npm start` prints its "ready" line after this.
 *
 *   node scripts/wait-ready.ts [--pid N] [--timeout 180] URL...
 */
import { parseArgs } from 'node:util';

export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitReady(
  urls: string[],
  opts: { pid?: number; timeoutMs: number; intervalMs?: number },
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (opts.pid !== undefined && !alive(opts.pid)) return 'exited';
    if ((await Promise.all(urls.map(answers))).every(Boolean)) return 'ready';
    if (Date.now() > deadline) return 'timeout';
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 300));
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { pid: { type: 'string' }, timeout: { type: 'string', default: '180' } },
  });
  const outcome = await waitReady(positionals, {
    ...(values.pid ? { pid: Number(values.pid) } : {}),
    timeoutMs: Number(values.timeout) * 1000,
  });
  if (outcome !== 'ready')
    console.error(
      outcome === 'exited' ? 'start: the API stopped before it answered' : 'start: the API did not answer in time',
    );
  process.exit(outcome === 'ready' ? 0 : 1);
}
