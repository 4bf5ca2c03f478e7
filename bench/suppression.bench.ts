// What small-cell suppression costs a report: the share of therapist-weeks whose session measures a report publishes,
// and of week totals, on simulated platforms (seeded: the same figures every run), judged as an outsider would read
// the report (every therapist's cell unknown) and as the report is suppressed (worker/admin/reports/report.ts:
// `ownCells`, a therapist who reads it knows their own week). Each therapist's rated sessions in a week are Poisson
// around the platform's mean; 60 to 100 % of them are distinct clients. Last, the time of one suppress() with
// ownCells on a week where every cell is small (the worst case: every cell is hidden and judged as a holder's own).
//
//   node bench/suppression.bench.ts [--weeks 2000]
import { parseArgs } from 'node:util';
import { rng } from '../scripts/lib-rng.ts';
import { MIN_CELL, suppress } from '../worker/admin/reports/suppress.ts';

const { values: args } = parseArgs({ options: { weeks: { type: 'string', default: '2000' } } });
const WEEKS = Number(args.weeks);

const PLATFORMS = [
  { name: 'small practice', therapists: 5, mean: 8 },
  { name: 'small practice', therapists: 5, mean: 14 },
  { name: 'clinic', therapists: 20, mean: 15 },
  { name: 'reports bench', therapists: 100, mean: 19 },
] as const;

const random = rng(20261130);

function poisson(mean: number): number {
  const floor = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > floor);
  return k - 1;
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;

console.log('| platform | cells published: outsider only / own cells known | week totals published |');
console.log('|---|---|---|');
for (const { name, therapists, mean } of PLATFORMS) {
  const published = { outsider: { cells: 0, totals: 0 }, own: { cells: 0, totals: 0 } };
  let cells = 0;
  let weeks = 0;
  for (let w = 0; w < WEEKS; w++) {
    const counts: number[] = [];
    const clients: number[] = [];
    for (let t = 0; t < therapists; t++) {
      const n = poisson(mean);
      if (n === 0) continue;
      counts.push(n);
      clients.push(Math.max(1, Math.round(n * (0.6 + 0.4 * random()))));
    }
    if (counts.length === 0) continue;
    const distinct = { cells: clients, total: clients.reduce((a, b) => a + b, 0) };
    for (const [rule, r] of [
      ['outsider', suppress(counts, MIN_CELL, distinct)],
      ['own', suppress(counts, MIN_CELL, distinct, { ownCells: true })],
    ] as const) {
      published[rule].cells += r.cells.filter((hidden) => !hidden).length;
      published[rule].totals += r.total ? 0 : 1;
    }
    cells += counts.length;
    weeks++;
  }
  const { outsider, own } = published;
  console.log(
    `| ${name}: ${therapists} therapists, ${mean} rated sessions a week each | ${pct(outsider.cells, cells)} / ${pct(own.cells, cells)} | ${pct(outsider.totals, weeks)} / ${pct(own.totals, weeks)} |`,
  );
}

// A large platform of part-time therapists: every one of its cells is hidden (and each holder's own is judged).
for (const therapists of [1000, 2000]) {
  const counts = Array.from({ length: therapists }, (_, i) => 3 + (i % 5));
  const distinct = { cells: counts, total: counts.reduce((a, b) => a + b, 0) };
  const times: number[] = [];
  for (let run = 0; run < 21; run++) {
    const start = performance.now();
    suppress(counts, MIN_CELL, distinct, { ownCells: true });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`suppress() with ownCells, one week of ${therapists} small cells: median ${times[10]!.toFixed(2)} ms`);
}
