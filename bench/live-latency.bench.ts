// Submit-to-message latency of the live channel, Node side: wrangler dev (workerd, local D1 and Durable Objects,
// seeded demo platform, from test/browser/stack.ts), one therapist WebSocket per session opened exactly as the
// widget does (`attune.v1` + `bearer.<token>` subprotocols), then the client's rating POST; the clock runs from
// just before the POST to the arrival of the `rated` summary on the socket. Sequential sessions on loopback.
// Goal: p95 <= 100 ms.
//   node bench/live-latency.bench.ts [--sessions 60] [--warmup 5]
import { GOOD_RATING } from '../test/samples.ts';
import { mintDemoTokens, postWithToken } from '../test/browser/page-helpers.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStack } from '../test/browser/stack.ts';
import { fmt, summary } from './lib/stats.ts';

const { values } = parseArgs({
  options: { sessions: { type: 'string', default: '60' }, warmup: { type: 'string', default: '5' } },
});
const N = Number(values.sessions);
const WARMUP = Number(values.warmup);
const GOAL_P95_MS = 100;

const RATING = GOOD_RATING;

const tokens = mintDemoTokens;

/** Opens the therapist socket and resolves once the initial summary arrived; `waitFor` waits for a later one. */
function openLive(api: string, token: string) {
  const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/v1/live`, ['attune.v1', `bearer.${token}`]);
  const listeners: ((status: string, at: number) => void)[] = [];
  ws.addEventListener('message', (e) => {
    const at = performance.now();
    const msg = JSON.parse(String(e.data)) as { type: string; summary: { status: string } };
    if (msg.type === 'summary') for (const l of listeners.splice(0)) l(msg.summary.status, at);
  });
  const waitFor = (status: string, timeoutMs = 5000) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${status} summary within ${timeoutMs} ms`)), timeoutMs);
      const listen = (s: string, at: number) => {
        if (s === status) {
          clearTimeout(timer);
          resolve(at);
        } else listeners.push(listen);
      };
      listeners.push(listen);
    });
  const ready = new Promise<void>((resolve, reject) => {
    ws.addEventListener('error', () => reject(new Error('socket error')), { once: true });
    waitFor('pending').then(() => resolve(), reject);
  });
  return { ws, ready, waitFor };
}

const stack = await startStack();
const delivery: number[] = [];
const post: number[] = [];
let undelivered = 0;
try {
  for (let i = 0; i < WARMUP + N; i++) {
    const t = await tokens(stack.api, stack.host);
    const live = openLive(stack.api, t.therapist);
    await live.ready;
    if (live.ws.protocol !== 'attune.v1') throw new Error(`subprotocol ${live.ws.protocol}`);
    const arrived = live.waitFor('rated');
    const start = performance.now();
    const res = await postWithToken(stack.api, '/v1/session/rating', t.client, RATING);
    const answered = performance.now();
    const receipt = (await res.json()) as { delivered?: boolean };
    if (res.status !== 201) throw new Error(`rating: ${res.status}`);
    const at = await arrived;
    live.ws.close(1000);
    if (i < WARMUP) continue;
    delivery.push(at - start);
    post.push(answered - start);
    if (!receipt.delivered) undelivered++;
  }
} finally {
  await stack.stop();
}

const result = {
  sessions: N,
  submitToMessage: summary(delivery),
  ratingPost: summary(post),
  undelivered,
  goalP95Ms: GOAL_P95_MS,
};
console.log(`submit -> summary message on the therapist socket: ${fmt(delivery)}`);
console.log(`rating POST round trip (D1 write + summary read + publish): ${fmt(post)}`);
console.log(`receipts with delivered=false: ${undelivered} of ${N}`);
mkdirSync(join(import.meta.dirname, '.out'), { recursive: true });
writeFileSync(join(import.meta.dirname, '.out/live-latency.json'), JSON.stringify(result, null, 2));
const ok = result.submitToMessage.p95 <= GOAL_P95_MS && undelivered === 0;
console.log(ok ? `OK: p95 <= ${GOAL_P95_MS} ms` : `FAIL: p95 above ${GOAL_P95_MS} ms or undelivered receipts`);
if (!ok) process.exitCode = 1;
