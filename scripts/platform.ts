/**
 * Register platforms with Attune.
 *
 *   npm run platform -- create --name "Acme Therapy" [--origin https://app.acme.example ...] [--alg EdDSA|HS256]
 *                               [--remote] [--persist-to DIR]
 *   npm run platform -- add-origin --platform plt_... --origin https://app.acme.example [--remote] [--persist-to DIR]
 *   npm run platform -- admin-key --platform plt_... [--remote] [--persist-to DIR]
 *   npm run platform -- revoke-admin-key --id adm_... [--remote] [--persist-to DIR]
 *   npm run platform -- retention --platform plt_... --days N [--remote] [--persist-to DIR]
 *   npm run platform -- settings --platform plt_... --json '{"ask":{"mode":"nth","n":3}}' [--remote] [--persist-to DIR]
 *
 * `create` generates the signing key (Ed25519 by default), stores only the public JWK (or, for HS256, the shared
 * secret) in D1, and prints the platform id, the kid and the private key ONCE: keep it in the platform's secret
 * store and pass it to sdk/mint-token.ts. Local D1 (wrangler dev's state, migrations applied first) by default;
 * `--remote` writes to the deployed database (apply migrations there yourself with
 * `wrangler d1 migrations apply DB --remote`).
 *
 * `admin-key` prints a new admin key (`attune_admin_...`) ONCE; D1 stores only its SHA-256. It authorizes the
 * platform's reports (GET /v1/reports/...) and erasure (POST /v1/clients/erase), nothing else.
 */
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { PlatformSettings } from '../schemas/platform-settings.ts';
import { generateKey, randomId, randomSecret } from '../sdk/keys.ts';
import {
  addOriginSql,
  adminKeySql,
  createPlatformSql,
  normalizeOrigin,
  retentionSql,
  revokeAdminKeySql,
  settingsPatchSql,
} from './platform-sql.ts';
import { applyMigrations, executeSql, type D1Target } from './wrangler-d1.ts';

const USAGE = `usage:
  npm run platform -- create --name NAME [--origin URL ...] [--alg EdDSA|HS256] [--remote] [--persist-to DIR]
  npm run platform -- add-origin --platform ID --origin URL [--origin URL ...] [--remote] [--persist-to DIR]
  npm run platform -- admin-key --platform ID [--remote] [--persist-to DIR]
  npm run platform -- revoke-admin-key --id ADMIN_KEY_ID [--remote] [--persist-to DIR]
  npm run platform -- retention --platform ID --days N [--remote] [--persist-to DIR]
  npm run platform -- settings --platform ID --json '{"ask":{"mode":"share","share":0.5}}' [--remote] [--persist-to DIR]`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      alg: { type: 'string', default: 'EdDSA' },
      platform: { type: 'string' },
      id: { type: 'string' },
      days: { type: 'string' },
      json: { type: 'string' },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const target: D1Target = {
    remote: values.remote,
    ...(values['persist-to'] ? { persistTo: values['persist-to'] } : {}),
  };
  const origins = (values.origin ?? []).map(normalizeOrigin);

  if (command === 'create') {
    if (!values.name) throw new Error('--name is required');
    if (values.alg !== 'EdDSA' && values.alg !== 'HS256') throw new Error('--alg must be EdDSA or HS256');
    const key = await generateKey(values.alg);
    const id = randomId('plt_', 8);
    const sql = createPlatformSql({
      id,
      name: values.name,
      key: { kid: key.kid, alg: key.alg, ...key.stored },
      origins,
      now: Math.floor(Date.now() / 1000),
    });
    if (!target.remote) applyMigrations(target);
    executeSql(target, sql);
    const privateKey = typeof key.privateKey === 'string' ? key.privateKey : JSON.stringify(key.privateKey);
    console.log(`Platform registered in ${target.remote ? 'remote' : 'local'} D1.

  platform id: ${id}
  kid:         ${key.kid}
  alg:         ${key.alg}
  origins:     ${origins.join(' ') || '(none yet: add with add-origin)'}

${key.alg === 'EdDSA' ? 'Private key (Ed25519 JWK)' : 'Shared secret (HS256)'}, shown ONCE; Attune keeps ${key.alg === 'EdDSA' ? 'only the public key' : 'a copy to verify'}:

${privateKey}

Mint tokens on your server:
  mintToken({ platformId: '${id}', kid: '${key.kid}', key: <the key above>, alg: '${key.alg}' }, { role, sub, sid, tid, cid })`);
    return 0;
  }

  if (command === 'add-origin') {
    if (!values.platform) throw new Error('--platform is required');
    if (origins.length === 0) throw new Error('--origin is required');
    executeSql(target, origins.map((o) => addOriginSql(values.platform!, o)).join('\n'));
    console.log(`Added ${origins.join(' ')} to ${values.platform}.`);
    return 0;
  }

  if (command === 'admin-key') {
    if (!values.platform) throw new Error('--platform is required');
    const key = `attune_admin_${randomSecret(32)}`;
    const id = randomId('adm_', 6);
    const keyHash = createHash('sha256').update(key, 'utf8').digest('base64url');
    if (!target.remote) applyMigrations(target);
    executeSql(target, adminKeySql({ id, platformId: values.platform, keyHash, now: Math.floor(Date.now() / 1000) }));
    console.log(`Admin key ${id} for ${values.platform}, shown ONCE (Attune keeps only its SHA-256):

${key}

Use it as "Authorization: Bearer <key>" on GET /v1/reports/therapists, GET /v1/reports/weeks,
POST /v1/reports/pseudonyms and POST /v1/clients/erase. Revoke with: npm run platform -- revoke-admin-key --id ${id}`);
    return 0;
  }

  if (command === 'revoke-admin-key') {
    if (!values.id) throw new Error('--id is required');
    executeSql(target, revokeAdminKeySql(values.id, Date.now() / 1000));
    console.log(`Revoked ${values.id}.`);
    return 0;
  }

  if (command === 'retention') {
    if (!values.platform || values.days === undefined) throw new Error('--platform and --days are required');
    executeSql(target, retentionSql(values.platform, Number(values.days)));
    console.log(`${values.platform}: sessions older than ${values.days} days are deleted by the daily Cron Trigger.`);
    return 0;
  }

  if (command === 'settings') {
    if (!values.platform || !values.json) throw new Error('--platform and --json are required');
    const patch = JSON.parse(values.json) as Record<string, unknown>;
    // Validate before writing: the Worker refuses to serve a platform whose settings do not parse.
    const checked = v.safeParse(PlatformSettings, patch);
    if (!checked.success)
      throw new Error(`invalid settings at: ${checked.issues.map((i) => v.getDotPath(i) ?? '(root)').join(', ')}`);
    executeSql(target, settingsPatchSql(values.platform, patch));
    console.log(`Updated the settings of ${values.platform}.`);
    return 0;
  }

  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`platform: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
