// Write throughput. autocannon against `wrangler dev` (workerd, local D1; the stack of
// test/browser/stack.ts): the client's rating POST (every request a distinct session, tokens minted beforehand)
// and the therapist's summary GET, at 50 and 200 connections, each as a ratio to GET /openapi.json (no D1) run
// just before it on the same stack. Then the bytes one rated session takes in D1 (bench/lib/d1-size.ts).
//   node bench/load.bench.ts [--ratings 1500] [--seconds 10] [--sessions 100000]
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mintDemoTokens } from '../test/browser/page-helpers.ts';
import { startStack } from '../test/browser/stack.ts';
import { measureD1Size } from './lib/d1-size.ts';
import { GOOD_RATING } from '../test/samples.ts';

const { values } = parseArgs({
  options: {
    ratings: { type: 'string', default: '1500' },
    seconds: { type: 'string', default: '10' },
    sessions: { type: 'string', default: '100000' },
  },
});
const RATINGS = Number(values.ratings);
const SECONDS = Number(values.seconds);
const SESSIONS = Number(values.sessions);
const CONNECTIONS = [50, 200];

type Tokens = Awaited<ReturnType<typeof mintDemoTokens>>;

interface Run {
  route: string;
  connections: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  loadavg: number;
}

const RATING = JSON.stringify(GOOD_RATING);

async function load(
  url: string,
  route: string,
  connections: number,
  options: Omit<Parameters<typeof autocannon>[0], 'url' | 'connections'>,
): Promise<Run> {
  const r = await autocannon({ timeout: 30, ...options, url, connections });
  const run: Run = {
    route,
    connections,
    // Completed requests over the run's wall time (the histogram's per-second average misses a partial last second).
    reqPerSec: Math.round(((r['2xx'] + r.non2xx) / r.duration) * 10) / 10,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r['2xx'] + r.non2xx,
    non2xx: r.non2xx,
    errors: r.errors,
    loadavg: Math.round(loadavg()[0]! * 10) / 10,
  };
  console.log(
    `${route} @${connections}: ${run.reqPerSec} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.requests} requests, ${run.non2xx} non-2xx, ${run.errors} errors (loadavg ${run.loadavg})`,
  );
  return run;
}

async function mintMany(api: string, host: string, n: number): Promise<Tokens[]> {
  const out: Tokens[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (out.length < n) out.push(await mintDemoTokens(api, host));
    }),
  );
  return out.slice(0, n);
}

const stack = await startStack();
const runs: Run[] = [];
const ratios: Record<string, number> = {};
try {
  const sessions = await mintMany(stack.api, stack.host, RATINGS * CONNECTIONS.length);
  console.log(
    `${sessions.length} sessions minted; loadavg ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  // Warm-up: the Worker compiled, D1 open, the key cached.
  await autocannon({ url: `${stack.api}/openapi.json`, connections: 10, amount: 200 });

  for (const [k, connections] of CONNECTIONS.entries()) {
    const batch = sessions.slice(k * RATINGS, (k + 1) * RATINGS);
    const trivial = await load(`${stack.api}/openapi.json`, 'GET /openapi.json', connections, { duration: SECONDS });
    let next = 0;
    const rating = await load(stack.api, 'POST rating', connections, {
      amount: batch.length,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const t = batch[next++ % batch.length]!;
            return {
              ...req,
              path: '/v1/session/rating',
              headers: {
                Authorization: `Bearer ${t.client}`,
                'Content-Type': 'application/json',
                'Idempotency-Key': crypto.randomUUID(),
              },
              body: RATING,
            };
          },
        },
      ],
    });
    let read = 0;
    const summary = await load(stack.api, 'GET summary', connections, {
      duration: SECONDS,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const t = batch[read++ % batch.length]!;
            return { ...req, path: '/v1/session/summary', headers: { Authorization: `Bearer ${t.therapist}` } };
          },
        },
      ],
    });
    runs.push(trivial, rating, summary);
    ratios[`rating/openapi @${connections}`] = Math.round((rating.reqPerSec / trivial.reqPerSec) * 100) / 100;
    ratios[`summary/openapi @${connections}`] = Math.round((summary.reqPerSec / trivial.reqPerSec) * 100) / 100;
  }
  for (const [k, x] of Object.entries(ratios)) console.log(`${k}: ${x}×`);
} finally {
  await stack.stop();
}

const size = measureD1Size({
  sessions: SESSIONS,
  therapists: Math.max(1, Math.round(SESSIONS / 400)),
  clients: Math.max(1, Math.round(SESSIONS / 20)),
  days: 365,
});
console.log(
  `D1 size: ${size.sessions} rated sessions (rating, pacing, 2 idempotency records, rollups) = ${size.fileBytes} B, ${Math.round(size.bytesPerSession)} B per session`,
);
for (const [t, b] of Object.entries(size.tables))
  if (b > 65536) console.log(`  ${t}: ${Math.round(b / size.sessions)} B/session`);
// Idempotency records are deleted after 30 days (worker/admin/retention.ts): they are a window, not per-session growth.
const idempotencyBytes = Object.entries(size.tables)
  .filter(([t]) => t.startsWith('idempotency'))
  .reduce((n, [, b]) => n + b, 0);
const kept = Math.round((size.fileBytes - idempotencyBytes) / size.sessions);
console.log(
  `  kept for the retention period: ${kept} B/session; idempotency records (30-day window): ${Math.round(idempotencyBytes / size.sessions)} B/session`,
);

mkdirSync(join(import.meta.dirname, '.out'), { recursive: true });
writeFileSync(
  join(import.meta.dirname, '.out/load.json'),
  JSON.stringify({ runs, ratios, size, keptBytesPerSession: kept, idempotencyBytes }, null, 2),
);
if (runs.some((r) => r.non2xx > 0 || r.errors > 0)) {
  console.log('some requests failed (non-2xx or errors): see the counts above');
  process.exitCode = 1;
}
