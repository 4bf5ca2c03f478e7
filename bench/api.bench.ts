// API request latency on loopback against wrangler dev (workerd, local D1; stack from test/browser/stack.ts):
// the client's rating POST (D1 write batch + summary read + live publish, no socket open) and the therapist's
// summary GET (with trend), each sequentially and with 10 requests in flight. Bounded loops, loopback only.
//   node bench/api.bench.ts [--requests 100] [--concurrency 10]
import { GOOD_RATING } from '../test/samples.ts';
import { mintDemoTokens, postWithToken } from '../test/browser/page-helpers.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStack } from '../test/browser/stack.ts';
import { fmt, summary } from './lib/stats.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '100' }, concurrency: { type: 'string', default: '10' } },
});
const N = Number(values.requests);
const C = Number(values.concurrency);
const WARMUP = 10;

const RATING = JSON.stringify(GOOD_RATING);

type Tokens = Awaited<ReturnType<typeof mintDemoTokens>>;

/** Runs `n` calls of `f` with at most `c` in flight; returns each call's latency. */
async function timed(n: number, c: number, f: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await f(i);
        out.push(performance.now() - t);
      }
    }),
  );
  return out;
}

const stack = await startStack();
const results: Record<string, ReturnType<typeof summary>> = {};
try {
  const mint = () => mintDemoTokens(stack.api, stack.host);
  const sessions: Tokens[] = [];
  for (let i = 0; i < WARMUP + 2 * N; i++) sessions.push(await mint());

  const rate = async (t: Tokens) => {
    const res = await postWithToken(stack.api, '/v1/session/rating', t.client, RATING);
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`rating: ${res.status}`);
  };
  const read = async (t: Tokens) => {
    const res = await fetch(`${stack.api}/v1/session/summary`, { headers: { Authorization: `Bearer ${t.therapist}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`summary: ${res.status}`);
  };

  await timed(WARMUP, 1, (i) => rate(sessions[i]!));
  const seqRatings = sessions.slice(WARMUP, WARMUP + N);
  const parRatings = sessions.slice(WARMUP + N);
  const rows: [string, number[]][] = [
    ['rating POST, sequential', await timed(N, 1, (i) => rate(seqRatings[i]!))],
    [`rating POST, ${C} concurrent`, await timed(N, C, (i) => rate(parRatings[i]!))],
    ['summary GET, sequential', await timed(2 * N, 1, (i) => read(sessions[WARMUP + i]!))],
    [`summary GET, ${C} concurrent`, await timed(2 * N, C, (i) => read(sessions[WARMUP + i]!))],
  ];
  for (const [name, xs] of rows) {
    results[name] = summary(xs);
    console.log(`${name}: ${fmt(xs)}`);
  }
} finally {
  await stack.stop();
}
mkdirSync(join(import.meta.dirname, '.out'), { recursive: true });
writeFileSync(join(import.meta.dirname, '.out/api.json'), JSON.stringify(results, null, 2));
