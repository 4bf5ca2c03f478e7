import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/wrangler-d1.ts';

/**
 * The end of a bench: its raw result in bench/.out/<name>.json, one OK or FAIL line against its goal, the bench's
 * own time, and a non-zero exit code when the goal is missed (a bench is not a test, but it says when it fails).
 */
export function reportVerdict(
  name: string,
  result: unknown,
  verdict: { ok: boolean; okText: string; failText: string; startedAt: number },
): void {
  mkdirSync(join(ROOT, 'bench/.out'), { recursive: true });
  writeFileSync(join(ROOT, `bench/.out/${name}.json`), JSON.stringify(result, null, 2));
  console.log(verdict.ok ? `OK: ${verdict.okText}` : `FAIL: ${verdict.failText}`);
  console.log(`total bench time ${((performance.now() - verdict.startedAt) / 1000).toFixed(1)} s`);
  if (!verdict.ok) process.exitCode = 1;
}
