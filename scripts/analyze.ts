// Offline analyser: the pacing engine over two WAV files (therapist, client), frames computed like the browser's analyser.
//   npm run --silent analyze -- --therapist T.wav --client C.wav [--json] [--frame-ms 20]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeTracks } from './lib-analyze.ts';
import { readWav } from './lib-wav.ts';

const USAGE = 'usage: npm run --silent analyze -- --therapist T.wav --client C.wav [--json] [--frame-ms 20]';

function fail(msg: string): never {
  process.stderr.write(`analyze: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

let values: { therapist?: string; client?: string; json?: boolean; 'frame-ms'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      therapist: { type: 'string' },
      client: { type: 'string' },
      json: { type: 'boolean', default: false },
      'frame-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.therapist) fail('missing --therapist');
if (!values.client) fail('missing --client');
const frameMs = values['frame-ms'] === undefined ? 20 : Number(values['frame-ms']);
if (!Number.isFinite(frameMs) || frameMs < 5 || frameMs > 100) fail('--frame-ms must be between 5 and 100');

function load(path: string, role: string) {
  if (!existsSync(path)) fail(`${role} file not found: ${path}`);
  try {
    return readWav(path);
  } catch (e) {
    fail(`${role} file is not a readable WAV (${(e as Error).message}): ${path}`);
  }
}
const t = load(values.therapist, 'therapist');
const c = load(values.client, 'client');
if (t.sampleRate !== c.sampleRate) fail(`sample rates differ (${t.sampleRate} vs ${c.sampleRate} Hz)`);

const m = analyzeTracks(t.samples, c.samples, t.sampleRate, { frameMs });
if (values.json) {
  process.stdout.write(`${JSON.stringify(m)}\n`);
} else {
  const rows: [string, string][] = [
    ['duration', `${m.durationSeconds.toFixed(1)} s`],
    ['therapist talk', `${m.therapistTalkSeconds.toFixed(1)} s`],
    ['client talk', `${m.clientTalkSeconds.toFixed(1)} s`],
    ['therapist share', `${(m.therapistShare * 100).toFixed(1)} %`],
    ['overlaps', `${m.overlapCount} (${m.overlapSeconds.toFixed(1)} s)`],
    ['longest therapist turn', `${m.longestTherapistTurnSeconds.toFixed(1)} s`],
    ['turns (therapist / client)', `${m.therapistTurns} / ${m.clientTurns}`],
    [
      'silences',
      `${m.silenceCount} (${m.silenceSeconds.toFixed(1)} s, longest ${m.longestSilenceSeconds.toFixed(1)} s)`,
    ],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
}
