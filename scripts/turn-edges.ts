// Which longest-turn errors hinge on the turn rules' own thresholds. For each dialogue of the given realistic sets
// (folders from make-realistic-set.ts): the engine's longest therapist turn against the truth's, with the truth also
// recomputed with the takeover at 0.9 / 1.0 / 1.1 s and the turn pause at 2.8 / 3.0 / 3.2 s. A dialogue is at the
// rule's edge when the truth's own longest turn moves by more than 1 s between those: one reply near 1 s or one pause
// near 3 s decides it, and an edge measured some tens of ms off puts it on the other side.
// Usage: node scripts/turn-edges.ts DIR [DIR...]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { analyzeTracks, truthMetrics } from './lib-analyze.ts';
import type { RealisticTruth } from './lib-realistic.ts';
import { readWav } from './lib-wav.ts';

const TAKEOVERS_MS = [900, 1000, 1100];
const TURN_PAUSES_MS = [2800, 3000, 3200];

const dirs = process.argv.slice(2);
if (!dirs.length) {
  console.error('usage: node scripts/turn-edges.ts DIR [DIR...]');
  process.exit(2);
}
let total = 0;
let atEdge = 0;
let failing = 0;
let failingOffEdge = 0;
for (const dir of dirs) {
  for (const name of readdirSync(dir).sort()) {
    const truthPath = join(dir, name, 'truth.json');
    if (!existsSync(truthPath)) continue;
    total++;
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as RealisticTruth;
    const t = readWav(join(dir, name, 'therapist.wav'));
    const c = readWav(join(dir, name, 'client.wav'));
    const measured = analyzeTracks(t.samples, c.samples, t.sampleRate).longestTherapistTurnSeconds;
    const asSet = truthMetrics(truth).longestTherapistTurnSeconds;
    const nearby = TAKEOVERS_MS.flatMap((takeoverMs) =>
      TURN_PAUSES_MS.map(
        (turnPauseMs) => truthMetrics(truth, 10, { takeoverMs, turnPauseMs }).longestTherapistTurnSeconds,
      ),
    );
    const edge = Math.max(...nearby) - Math.min(...nearby) > 1;
    if (edge) atEdge++;
    const error = Math.abs(measured - asSet);
    if (error <= 1) continue;
    failing++;
    if (!edge) failingOffEdge++;
    const nearest = Math.min(...nearby.map((x) => Math.abs(measured - x)));
    console.log(
      `${basename(dir)}/${name}: measured ${measured.toFixed(2)} s, truth ${asSet.toFixed(2)} s (${Math.min(...nearby).toFixed(2)}–${Math.max(...nearby).toFixed(2)} s under nearby thresholds; nearest ${nearest.toFixed(2)} s)${edge ? ', at the edge' : ''}`,
    );
  }
}
console.log(
  `${total} dialogues: ${atEdge} at the rules' edge; ${failing} with a longest-turn error over 1 s, ${failing - failingOffEdge} of them at the edge`,
);
