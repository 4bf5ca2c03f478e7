import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const fx = join(root, 'test/fixtures/dialogues/dialogue-01');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts/analyze.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('analyze CLI', () => {
  it('prints exactly one JSON object with the metrics', () => {
    const r = run('--therapist', join(fx, 'noise-therapist.wav'), '--client', join(fx, 'noise-client.wav'), '--json');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const m = JSON.parse(lines[0]!);
    for (const k of [
      'therapistTalkSeconds',
      'clientTalkSeconds',
      'therapistShare',
      'overlapSeconds',
      'longestTherapistTurnSeconds',
      'durationSeconds',
    ]) {
      expect(typeof m[k]).toBe('number');
    }
    expect(m.therapistShare).toBeGreaterThan(0);
    expect(m.therapistShare).toBeLessThan(1);
    expect(m.durationSeconds).toBeCloseTo(10, 0);
    expect(m.therapistShare).toBeCloseTo(m.therapistTalkSeconds / (m.therapistTalkSeconds + m.clientTalkSeconds), 3);
  });

  it('prints a table without --json', () => {
    const r = run('--therapist', join(fx, 'clean-therapist.wav'), '--client', join(fx, 'clean-client.wav'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/therapist share\s+\d+\.\d %/);
  });

  it('exits 2 with a clear message on a missing file or bad arguments', () => {
    const missing = run('--therapist', join(fx, 'nope.wav'), '--client', join(fx, 'clean-client.wav'), '--json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('therapist file not found');
    expect(missing.stdout).toBe('');
    expect(run('--client', join(fx, 'clean-client.wav')).status).toBe(2);
    expect(run('--bogus').status).toBe(2);
    const notWav = run('--therapist', join(fx, 'truth.json'), '--client', join(fx, 'clean-client.wav'));
    expect(notWav.status).toBe(2);
    expect(notWav.stderr).toContain('not a readable WAV');
  });
});
