// The endpoint fuzz (test/worker/http/fuzz.test.ts) at bench size: 10,000 runs per endpoint inside workerd instead of
// CI's 500, same properties (no 5xx, JSON errors that echo nothing, every stored row on-schema). Prints and saves
// each endpoint's answers by status and what the platform had stored at the end.
//   node bench/fuzz.bench.ts [--runs 10000]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' } } });
const runs = Number(values.runs);
if (!(runs > 500)) throw new Error('--runs must be above CI’s 500');

const root = join(import.meta.dirname, '..');
const started = performance.now();
const load = loadavg()[0]!;
const r = spawnSync(
  join(root, 'node_modules/.bin/vitest'),
  ['run', '--project', 'worker', 'test/worker/http/fuzz.test.ts'],
  {
    cwd: root,
    env: { ...process.env, FUZZ_RUNS: String(runs), NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  },
);
const seconds = (performance.now() - started) / 1000;
const out = `${r.stdout}\n${r.stderr}`;

// One line per endpoint, written by the test when the run count is above CI's.
const LINE = /fuzz (\w+): (\d+) runs, statuses (\{[^}]*\}), stored (\{[^}]*\})/g;
const endpoints: Record<string, { runs: number; statuses: Record<string, number>; stored: Record<string, number> }> =
  {};
for (const m of out.matchAll(LINE))
  endpoints[m[1]!] = { runs: Number(m[2]), statuses: JSON.parse(m[3]!), stored: JSON.parse(m[4]!) };

const requests = Object.values(endpoints).reduce((n, e) => n + e.runs, 0);
const fivexx = Object.values(endpoints).reduce(
  (n, e) =>
    n +
    Object.entries(e.statuses)
      .filter(([s]) => Number(s) >= 500)
      .reduce((a, [, c]) => a + c, 0),
  0,
);
for (const [name, e] of Object.entries(endpoints))
  console.log(`${name}: ${e.runs} runs, ${JSON.stringify(e.statuses)}`);
const passed = r.status === 0;
console.log(
  `${Object.keys(endpoints).length} endpoints, ${requests} requests, ${fivexx} × 5xx, properties ${passed ? 'held' : 'FAILED'}; ${seconds.toFixed(0)} s (loadavg ${load.toFixed(1)} at start)`,
);
if (!passed)
  console.log(
    out
      .split('\n')
      .filter((l) => /FAIL|Error|Counterexample|seed/.test(l))
      .slice(0, 40)
      .join('\n'),
  );

mkdirSync(join(import.meta.dirname, '.out'), { recursive: true });
writeFileSync(
  join(import.meta.dirname, '.out/fuzz.json'),
  JSON.stringify({ runsPerEndpoint: runs, requests, fivexx, passed, seconds, loadavg: load, endpoints }, null, 2),
);
process.exit(passed && Object.keys(endpoints).length > 0 ? 0 : 1);
