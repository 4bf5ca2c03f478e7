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
 *   npm run platform -- webhook-add --platform plt_... --url https://... --events rating.created,rating.flagged [--fhir]
 *   npm run platform -- webhook-list --platform plt_...
 *   npm run platform -- webhook-rotate --id we_...
 *   npm run platform -- webhook-delete --id we_...
 *   ATTUNE_ADMIN_KEY=... npm run platform -- webhook-dead [--api URL]
 *   ATTUNE_ADMIN_KEY=... npm run platform -- webhook-replay --event evt_... --endpoint we_... [--api URL]
 *   ATTUNE_PRIVATE_KEY=... npm run platform -- token --platform plt_... --kid k_... --role caseload --therapist REF [--ttl S]
 *   ATTUNE_PRIVATE_KEY=... npm run platform -- token --platform plt_... --kid k_... --role client|therapist
 *                               --session REF --therapist REF --client REF [--ttl S]
 *
 * `token` mints a token on this machine with the platform's private key (read from ATTUNE_PRIVATE_KEY, never from an
 * argument, so it stays out of shell history), exactly as `attune/server` does on the platform's backend: for trying
 * the API by hand, e.g. a therapist's read-only caseload token (`--role caseload`: no session, no client).
 *
 * `create` generates the signing key (Ed25519 by default), stores only the public JWK (or, for HS256, the shared
 * secret) in D1, and prints the platform id, the kid and the private key ONCE: keep it in the platform's secret
 * store and pass it to `AccessToken` from `attune/server` (sdk/README.md). Local D1 (wrangler dev's state, migrations applied first) by default;
 * `--remote` writes to the deployed database (apply migrations there yourself with
 * `wrangler d1 migrations apply DB --remote`).
 *
 * `admin-key` prints a new admin key (`attune_admin_...`) ONCE; D1 stores only its SHA-256. It authorizes the
 * platform's admin routes (reports, erasure, FHIR export, webhooks), never a session route.
 *
 * `webhook-add` registers an https endpoint for events and prints its signing secret (`whsec_...`) ONCE; D1 keeps it
 * sealed under a key derived from the Worker secret REF_HASH_SECRET, which the CLI therefore needs: from the
 * environment, or (local D1) from the vars file `npm start` writes (.dev.vars). Locally an http://localhost URL is
 * allowed too (the demo). The admin API (POST /v1/webhooks/endpoints) does the same with an admin key.
 *
 * `webhook-dead` lists the platform's dead deliveries (retries ran out) and `webhook-replay` queues one again. Both call
 * the admin API with the admin key from ATTUNE_ADMIN_KEY (the platform is the key's): `--api` names the Worker
 * (default ATTUNE_API, else npm start's http://127.0.0.1:8787). See platform-deliveries.ts.
 */
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { PlatformSettings } from '../schemas/platform-settings.ts';
import { AccessToken, CaseloadToken } from '../sdk/access-token.ts';
import { generateKey, randomId, randomSecret } from '../sdk/keys.ts';
import {
  addOriginSql,
  adminKeySql,
  createPlatformSql,
  normalizeOrigin,
  retentionSql,
  revokeAdminKeySql,
  settingsPatchSql,
  checkId,
  deleteWebhookSql,
  rotateWebhookSql,
  sqlString,
  webhookEndpointSql,
} from './platform-sql.ts';
import { adminApi, deadDeliveries, deliveryRef, formatDead, replayDelivery } from './platform-deliveries.ts';
import { jsonMergePatch } from './json-merge-patch.ts';
import { parseVars } from './seed-demo.ts';
import { applyMigrations, executeSql, query, type D1Target } from './wrangler-d1.ts';
import { WEBHOOK_EVENT_TYPES } from '../schemas/webhook.ts';
import { checkEndpointUrl } from '../worker/webhooks/endpoint-url.ts';
import { PARK_SECONDS } from '../worker/webhooks/dead-letters.ts';
import { flagsOutOfScale } from '../worker/admin/platform-settings.ts';
import { newEndpointId, newWebhookSecret, sealSecret } from '../worker/webhooks/secret-box.ts';

const USAGE = `usage:
  npm run platform -- create --name NAME [--origin URL ...] [--alg EdDSA|HS256] [--remote] [--persist-to DIR]
  npm run platform -- add-origin --platform ID --origin URL [--origin URL ...] [--remote] [--persist-to DIR]
  npm run platform -- admin-key --platform ID [--remote] [--persist-to DIR]
  npm run platform -- revoke-admin-key --id ADMIN_KEY_ID [--remote] [--persist-to DIR]
  npm run platform -- retention --platform ID --days N [--remote] [--persist-to DIR]
  npm run platform -- settings --platform ID --json '{"ask":{"mode":"share","share":0.5}}' [--remote] [--persist-to DIR]
  npm run platform -- webhook-add --platform ID --url URL --events TYPE[,TYPE…] [--fhir] [--vars FILE] [--remote] [--persist-to DIR]
  npm run platform -- webhook-list --platform ID [--remote] [--persist-to DIR]
  npm run platform -- webhook-rotate --id ENDPOINT_ID [--vars FILE] [--remote] [--persist-to DIR]
  npm run platform -- webhook-delete --id ENDPOINT_ID [--remote] [--persist-to DIR]
  ATTUNE_ADMIN_KEY=KEY npm run platform -- webhook-dead [--api URL]
  ATTUNE_ADMIN_KEY=KEY npm run platform -- webhook-replay --event EVENT_ID --endpoint ENDPOINT_ID [--api URL]
  ATTUNE_PRIVATE_KEY=KEY npm run platform -- token --platform ID --kid KID --role caseload --therapist REF [--ttl S] [--locale L]
  ATTUNE_PRIVATE_KEY=KEY npm run platform -- token --platform ID --kid KID --role client|therapist --session REF --therapist REF --client REF [--ttl S]
  (event types: ${WEBHOOK_EVENT_TYPES.join(', ')})`;

function assertEndpoint(target: D1Target, id: string): void {
  if (!/^we_[0-9a-f]{16}$/.test(id)) throw new Error('--id must be an endpoint id (we_…)');
  if (query(target, `SELECT id FROM webhook_endpoints WHERE id = ${sqlString(id)}`).length === 0)
    throw new Error('no webhook endpoint with that id');
}

/** The Worker secret that seals webhook secrets: REF_HASH_SECRET from the environment, or (local) the vars file. */
function workerSecret(target: D1Target, varsFile: string): string {
  const fromEnv = process.env.REF_HASH_SECRET;
  if (fromEnv) return fromEnv;
  if (!target.remote && existsSync(varsFile)) {
    const secret = parseVars(readFileSync(varsFile, 'utf8')).get('REF_HASH_SECRET');
    if (secret) return secret;
  }
  throw new Error(
    `REF_HASH_SECRET is needed to seal the signing secret: set it in the environment${target.remote ? '' : ` or run npm start once (it writes ${varsFile})`}`,
  );
}

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
      url: { type: 'string' },
      events: { type: 'string' },
      fhir: { type: 'boolean', default: false },
      vars: { type: 'string', default: '.dev.vars' },
      kid: { type: 'string' },
      role: { type: 'string' },
      session: { type: 'string' },
      therapist: { type: 'string' },
      client: { type: 'string' },
      ttl: { type: 'string' },
      locale: { type: 'string' },
      api: { type: 'string' },
      event: { type: 'string' },
      endpoint: { type: 'string' },
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

Mint tokens on your server (sdk/README.md), with the key in ATTUNE_PRIVATE_KEY:
  import { AccessToken } from 'attune/server';
  const token = await new AccessToken('${id}', '${key.kid}', process.env.ATTUNE_PRIVATE_KEY, {
    identity, role: 'client' | 'therapist', session, therapist, client,
  }).toJwt();

An admin key (reports, erasure, webhooks, FHIR): npm run platform -- admin-key --platform ${id}${target.remote ? ' --remote' : ''}`);
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

Use it as "Authorization: Bearer <key>" on the admin routes (GET /openapi.json, security adminKey): reports
(/v1/reports/…), erasure (POST /v1/clients/erase), the FHIR export (/v1/fhir/…) and webhooks (/v1/webhooks/…;
ATTUNE_ADMIN_KEY for webhook-dead and webhook-replay). Revoke with: npm run platform -- revoke-admin-key --id ${id}`);
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
    if (query(target, retentionSql(values.platform, Number(values.days))).length === 0)
      throw new Error(`no platform ${values.platform} in this database`);
    console.log(`${values.platform}: sessions older than ${values.days} days are deleted by the daily Cron Trigger.`);
    return 0;
  }

  if (command === 'settings') {
    if (!values.platform || !values.json) throw new Error('--platform and --json are required');
    const patch = JSON.parse(values.json) as Record<string, unknown>;
    // Validate before writing, the patch and what it leaves (the Worker refuses to serve a platform whose settings
    // do not parse), and refuse flag rules that would flag every rating on one of the platform's instruments.
    const where = (issues: v.BaseIssue<unknown>[]) => issues.map((i) => v.getDotPath(i) ?? '(root)').join(', ');
    const checked = v.safeParse(PlatformSettings, patch);
    if (!checked.success) throw new Error(`invalid settings at: ${where(checked.issues)}`);
    const stored = query<{ settings: string }>(
      target,
      `SELECT settings FROM platforms WHERE id = ${sqlString(checkId('platform id', values.platform))}`,
    );
    if (stored.length === 0) throw new Error(`no platform ${values.platform} in this database`);
    const current: unknown = JSON.parse(stored[0]!.settings);
    const before = v.safeParse(PlatformSettings, current);
    const after = v.safeParse(PlatformSettings, jsonMergePatch(current, patch));
    if (!after.success) throw new Error(`the settings this patch leaves are invalid at: ${where(after.issues)}`);
    // Only what the patch brings: a platform already in that state can still change its other settings.
    const had = new Set(before.success ? flagsOutOfScale(before.output) : []);
    const everyRating = flagsOutOfScale(after.output).filter((line) => !had.has(line));
    if (everyRating.length)
      throw new Error(
        `these flag rules would flag every rating (platform-wide \`flags\` are points on every instrument; set them in each instrument's own \`flags\` when the scales differ):\n  ${everyRating.join('\n  ')}`,
      );
    executeSql(target, settingsPatchSql(values.platform, patch));
    console.log(`Updated the settings of ${values.platform}.`);
    return 0;
  }

  if (command === 'webhook-add') {
    if (!values.platform || !values.url || !values.events)
      throw new Error('--platform, --url and --events are required');
    const url = checkEndpointUrl(values.url, { allowLocalHttp: !target.remote });
    if (!url) throw new Error('--url must be https:// with a host name, and no credentials or fragment');
    const events = [...new Set(values.events.split(',').map((e) => e.trim()))];
    const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
    if (unknown.length || events.length === 0)
      throw new Error(`--events takes a comma-separated list of: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
    const sealing = workerSecret(target, values.vars);
    const id = newEndpointId();
    const secret = newWebhookSecret();
    if (!target.remote) applyMigrations(target);
    executeSql(
      target,
      webhookEndpointSql({
        id,
        platformId: values.platform,
        url,
        events,
        fhir: values.fhir,
        sealedSecret: await sealSecret(sealing, id, secret),
        now: Math.floor(Date.now() / 1000),
      }),
    );
    console.log(`Webhook endpoint ${id} for ${values.platform}: ${url}
  events: ${events.join(', ')}${values.fhir ? '\n  fhir:   yes' : ''}

Signing secret, shown ONCE (Attune keeps it sealed):

${secret}

Verify each delivery with verifyWebhook(body, request.headers['attune-signature'], secret) from attune/server.`);
    return 0;
  }

  if (command === 'webhook-list') {
    if (!values.platform) throw new Error('--platform is required');
    const rows = query<{ id: string; url: string; events: string; fhir: number }>(
      target,
      `SELECT id, url, events, fhir FROM webhook_endpoints WHERE platform_id = ${sqlString(checkId('platform id', values.platform))} ORDER BY created_at`,
    );
    for (const r of rows)
      console.log(`${r.id}  ${r.url}  ${(JSON.parse(r.events) as string[]).join(',')}${r.fhir ? '  fhir' : ''}`);
    if (rows.length === 0) console.log('(no webhook endpoints)');
    return 0;
  }

  if (command === 'webhook-rotate') {
    if (!values.id) throw new Error('--id is required');
    assertEndpoint(target, values.id);
    const sealing = workerSecret(target, values.vars);
    const secret = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    executeSql(target, rotateWebhookSql(values.id, await sealSecret(sealing, values.id, secret), now + 24 * 3600, now));
    console.log(`New signing secret for ${values.id}, shown ONCE; the previous one keeps signing beside it for 24 h:

${secret}`);
    return 0;
  }

  if (command === 'webhook-delete') {
    if (!values.id) throw new Error('--id is required');
    assertEndpoint(target, values.id);
    executeSql(target, deleteWebhookSql(values.id));
    console.log(`Deleted ${values.id}.`);
    return 0;
  }

  if (command === 'webhook-dead') {
    console.log(formatDead(await deadDeliveries(adminApi(values.api, process.env))));
    return 0;
  }

  if (command === 'webhook-replay') {
    const ref = deliveryRef(values.event, values.endpoint);
    const replayed = await replayDelivery(adminApi(values.api, process.env), ref);
    console.log(
      `Replay of ${replayed.eventId} to ${replayed.endpointId} requested: ${replayed.status}. It is queued again within ${PARK_SECONDS / 60} minutes and then retried like a new delivery.`,
    );
    return 0;
  }

  if (command === 'token') {
    const key = process.env.ATTUNE_PRIVATE_KEY;
    if (!values.platform || !values.kid || !key)
      throw new Error('--platform, --kid and the ATTUNE_PRIVATE_KEY environment variable are required');
    if (!values.therapist) throw new Error('--therapist is required');
    const signing = { platformId: values.platform, kid: values.kid, key };
    const extra = {
      ...(values.ttl ? { ttl: Number(values.ttl) } : {}),
      ...(values.locale ? { locale: values.locale } : {}),
    };
    let token: string;
    if (values.role === 'caseload') {
      token = await new CaseloadToken(signing.platformId, signing.kid, key, {
        therapist: values.therapist,
        ...extra,
      }).toJwt();
    } else if (values.role === 'client' || values.role === 'therapist') {
      if (!values.session || !values.client) throw new Error('--session and --client are required for a session token');
      token = await new AccessToken(signing.platformId, signing.kid, key, {
        identity: values.role === 'client' ? values.client : values.therapist,
        role: values.role,
        session: values.session,
        therapist: values.therapist,
        client: values.client,
        ...extra,
      }).toJwt();
    } else throw new Error('--role must be caseload, client or therapist');
    console.log(token);
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
