/**
 * Seeds the local demo: applies the D1 migrations to local D1, registers the demo platform (Ed25519 key) and its
 * quick-cues twin (a 20-second quiet start, for trying cues in a short demo) with the demo page's origins, and
 * writes the Worker's dev variables. Idempotent: a second run reuses the platform,
 * key and REF_HASH_SECRET found in the vars file and changes nothing.
 *
 *   node scripts/seed-demo.ts [--origin URL ...] [--persist-to DIR] [--vars FILE]
 *
 *   --origin URL      an origin allowed to call the API for the demo platform (repeatable);
 *                     default http://localhost:8788 and http://127.0.0.1:8788
 *   --persist-to DIR  local D1 state directory, passed to wrangler (default: wrangler's .wrangler/state)
 *   --vars FILE       where to write the variables (default .dev.vars, which `wrangler dev` reads)
 *
 * Variables written (other lines already in FILE are kept):
 *   DEV_MODE=1            enables POST /dev/tokens
 *   REF_HASH_SECRET       random; the key from which per-platform ref-hashing keys are derived
 *   DEMO_PLATFORM_ID, DEMO_KID, DEMO_PRIVATE_JWK   the demo platform's signing key (dev only)
 *   DEMO_QUICK_PLATFORM_ID, DEMO_QUICK_KID, DEMO_QUICK_PRIVATE_JWK   the same for the quick-cues platform
 *
 * Also seeds the demo therapist's past sessions (scripts/demo-history.ts) for the caseload page.
 *
 * Prints one JSON line: { platformId, kid, origins, vars }.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { generateKey, publicJwkOf, randomId, randomSecret } from '../sdk/keys.ts';
import { demoHistorySql } from './demo-history.ts';
import { createPlatformSql, normalizeOrigin, settingsPatchSql } from './platform-sql.ts';
import { applyMigrations, executeSql, ROOT } from './wrangler-d1.ts';

export const DEFAULT_ORIGINS = ['http://localhost:8788', 'http://127.0.0.1:8788'];

/**
 * The quick-cues platform's cue settings: cues may come 20 s into the call instead of 5 minutes, and again after
 * 45 s, so a newcomer sees one in a short demo. Everything else keeps the defaults.
 */
export const QUICK_CUES = {
  quietStartSeconds: 20,
  minGapSeconds: 45,
  monologueSeconds: 45,
  autoHideSeconds: 10,
  balanceWindowSeconds: 120,
};

/** dotenv-style KEY=VALUE lines; values may be single- or double-quoted. */
export function parseVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0]))
      value = value.slice(1, -1);
    vars.set(m[1], value);
  }
  return vars;
}

export function formatVars(vars: Map<string, string>): string {
  return [...vars].map(([k, v]) => `${k}='${v}'`).join('\n') + '\n';
}

interface DemoKey {
  platformId: string;
  kid: string;
  privateJwk: JWK;
}

function reusableKey(vars: Map<string, string>, prefix: string): DemoKey | null {
  const platformId = vars.get(`${prefix}_PLATFORM_ID`);
  const kid = vars.get(`${prefix}_KID`);
  const raw = vars.get(`${prefix}_PRIVATE_JWK`);
  if (!platformId || !kid || !raw) return null;
  try {
    const privateJwk = JSON.parse(raw) as JWK;
    publicJwkOf(privateJwk);
    return privateJwk.d ? { platformId, kid, privateJwk } : null;
  } catch {
    return null;
  }
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      origin: { type: 'string', multiple: true },
      'persist-to': { type: 'string' },
      vars: { type: 'string', default: '.dev.vars' },
    },
  });
  const origins = (values.origin?.length ? values.origin : DEFAULT_ORIGINS).map(normalizeOrigin);
  const varsFile = resolve(ROOT, values.vars);
  const target = values['persist-to'] ? { persistTo: values['persist-to'] } : {};

  const vars = existsSync(varsFile) ? parseVars(readFileSync(varsFile, 'utf8')) : new Map<string, string>();
  const keyFor = async (prefix: string, idPrefix: string): Promise<DemoKey> => {
    const found = reusableKey(vars, prefix);
    if (found) return found;
    const key = await generateKey('EdDSA');
    return { platformId: randomId(idPrefix, 6), kid: key.kid, privateJwk: key.privateKey as JWK };
  };
  const demo = await keyFor('DEMO', 'plt_demo_');
  const quick = await keyFor('DEMO_QUICK', 'plt_quick_');

  applyMigrations(target);
  const now = Math.floor(Date.now() / 1000);
  const platformSql = (k: DemoKey, name: string) =>
    createPlatformSql({
      id: k.platformId,
      name,
      key: { kid: k.kid, alg: 'EdDSA', publicJwk: publicJwkOf(k.privateJwk) },
      origins,
      now,
      idempotent: true,
    });
  executeSql(
    target,
    [
      platformSql(demo, 'Attune demo platform'),
      platformSql(quick, 'Attune demo platform (quick cues)'),
      settingsPatchSql(quick.platformId, { cues: QUICK_CUES }),
    ].join('\n'),
  );

  vars.set('DEV_MODE', '1');
  if (!vars.get('REF_HASH_SECRET')) vars.set('REF_HASH_SECRET', randomSecret(32));
  // The demo therapist's past sessions, for the caseload page (INSERT OR IGNORE: a second run adds nothing).
  executeSql(target, await demoHistorySql(demo.platformId, vars.get('REF_HASH_SECRET')!, now));
  for (const [prefix, k] of [
    ['DEMO', demo],
    ['DEMO_QUICK', quick],
  ] as const) {
    vars.set(`${prefix}_PLATFORM_ID`, k.platformId);
    vars.set(`${prefix}_KID`, k.kid);
    vars.set(`${prefix}_PRIVATE_JWK`, JSON.stringify(k.privateJwk));
  }
  writeFileSync(varsFile, formatVars(vars), { mode: 0o600 });

  console.log(
    JSON.stringify({
      platformId: demo.platformId,
      kid: demo.kid,
      quickPlatformId: quick.platformId,
      origins,
      vars: varsFile,
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('seed-demo.ts')) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`seed-demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
