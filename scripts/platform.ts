/**
 * Register platforms with Attune.
 *
 *   npm run platform -- create --name "Acme Therapy" [--origin https://app.acme.example ...] [--alg EdDSA|HS256]
 *                               [--remote] [--persist-to DIR]
 *   npm run platform -- add-origin --platform plt_... --origin https://app.acme.example [--remote] [--persist-to DIR]
 *
 * `create` generates the signing key (Ed25519 by default), stores only the public JWK (or, for HS256, the shared
 * secret) in D1, and prints the platform id, the kid and the private key ONCE: keep it in the platform's secret
 * store and pass it to sdk/mint-token.ts. Local D1 (wrangler dev's state, migrations applied first) by default;
 * `--remote` writes to the deployed database (apply migrations there yourself with
 * `wrangler d1 migrations apply DB --remote`).
 */
import { parseArgs } from 'node:util';
import { generateKey, randomId } from '../sdk/keys.ts';
import { addOriginSql, createPlatformSql, normalizeOrigin } from './platform-sql.ts';
import { applyMigrations, executeSql, type D1Target } from './wrangler-d1.ts';

const USAGE = `usage:
  npm run platform -- create --name NAME [--origin URL ...] [--alg EdDSA|HS256] [--remote] [--persist-to DIR]
  npm run platform -- add-origin --platform ID --origin URL [--origin URL ...] [--remote] [--persist-to DIR]`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      alg: { type: 'string', default: 'EdDSA' },
      platform: { type: 'string' },
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
  const target: D1Target = { remote: values.remote, ...(values['persist-to'] ? { persistTo: values['persist-to'] } : {}) };
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
