/**
 * SQL text that registers platforms, keys and origins, for `wrangler d1 execute --file` (scripts/platform.ts
 * and scripts/seed-demo.ts). wrangler's file mode takes no binds, so every value goes through `sqlString`
 * and the inputs are validated first. The Worker's own inserts live in worker/db/queries.ts.
 */
import type { JWK } from 'jose';
import type { SigningAlg } from '../schemas/token.ts';

export interface StoredKey {
  kid: string;
  alg: SigningAlg;
  /** EdDSA: the public JWK only. */
  publicJwk?: JWK;
  /** HS256: the shared secret (at least 32 bytes). */
  secret?: string;
}

export interface PlatformRegistration {
  id: string;
  name: string;
  key: StoredKey;
  origins: string[];
  now: number;
  /** INSERT OR IGNORE everywhere, so running it again changes nothing (seed-demo). */
  idempotent?: boolean;
}

/** A single-quoted SQL literal. Refuses NUL and anything that is not a string. */
export function sqlString(value: string): string {
  if (typeof value !== 'string' || value.includes('\u0000')) throw new Error('not a SQL-safe string');
  return `'${value.replaceAll("'", "''")}'`;
}

/** An origin exactly as browsers send it (`https://host[:port]`), or an error. */
export function normalizeOrigin(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new Error(`not a URL: ${input}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`origin must be http(s): ${input}`);
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new Error(`an origin has no path, query, fragment or credentials: ${input}`);
  }
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname))
    throw new Error(`not a plain host name: ${input}`);
  if (input.replace(/\/$/, '') !== url.origin) throw new Error(`write the origin as ${url.origin}`);
  return url.origin;
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkId(kind: string, id: string): string {
  if (!ID.test(id)) throw new Error(`${kind} must be 1-64 characters of A-Z a-z 0-9 _ . -`);
  return id;
}

function checkKey(key: StoredKey): void {
  checkId('kid', key.kid);
  if (key.alg === 'EdDSA') {
    const j = key.publicJwk;
    if (j?.kty !== 'OKP' || j.crv !== 'Ed25519' || typeof j.x !== 'string' || 'd' in j || key.secret !== undefined) {
      throw new Error('an EdDSA key is registered with its public Ed25519 JWK only');
    }
  } else if (key.alg === 'HS256') {
    if (
      typeof key.secret !== 'string' ||
      new TextEncoder().encode(key.secret).byteLength < 32 ||
      key.publicJwk !== undefined
    ) {
      throw new Error('an HS256 key needs a secret of at least 32 bytes');
    }
  } else {
    throw new Error('alg must be EdDSA or HS256');
  }
}

export function createPlatformSql(r: PlatformRegistration): string {
  checkId('platform id', r.id);
  if (!r.name.trim() || r.name.length > 200) throw new Error('name must be 1-200 characters');
  checkKey(r.key);
  if (!Number.isInteger(r.now) || r.now < 0) throw new Error('now must be epoch seconds');
  const insert = r.idempotent ? 'INSERT OR IGNORE INTO' : 'INSERT INTO';
  const jwk = r.key.publicJwk
    ? sqlString(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: r.key.publicJwk.x }))
    : 'NULL';
  const secret = r.key.secret !== undefined ? sqlString(r.key.secret) : 'NULL';
  return [
    `${insert} platforms (id, name, settings, retention_days, created_at) VALUES (${sqlString(r.id)}, ${sqlString(r.name.trim())}, '{}', 365, ${r.now});`,
    `${insert} platform_keys (kid, platform_id, alg, public_jwk, secret, created_at) VALUES (${sqlString(r.key.kid)}, ${sqlString(r.id)}, ${sqlString(r.key.alg)}, ${jwk}, ${secret}, ${r.now});`,
    ...r.origins.map((o) => addOriginSql(r.id, o)),
  ].join('\n');
}

export function addOriginSql(platformId: string, origin: string): string {
  return `INSERT OR IGNORE INTO platform_origins (platform_id, origin) VALUES (${sqlString(checkId('platform id', platformId))}, ${sqlString(normalizeOrigin(origin))});`;
}

/** An admin key row: only the key's SHA-256 (base64url, as the Worker computes it) is stored. */
export function adminKeySql(k: { id: string; platformId: string; keyHash: string; now: number }): string {
  checkId('admin key id', k.id);
  if (!/^[A-Za-z0-9_-]{43}$/.test(k.keyHash)) throw new Error('keyHash must be a base64url SHA-256');
  if (!Number.isInteger(k.now) || k.now < 0) throw new Error('now must be epoch seconds');
  return `INSERT INTO admin_keys (id, platform_id, key_hash, created_at) VALUES (${sqlString(k.id)}, ${sqlString(checkId('platform id', k.platformId))}, ${sqlString(k.keyHash)}, ${k.now});`;
}

export function revokeAdminKeySql(id: string, now: number): string {
  return `UPDATE admin_keys SET revoked_at = ${Math.floor(now)} WHERE id = ${sqlString(checkId('admin key id', id))} AND revoked_at IS NULL;`;
}

/** Sets the platform's retention period (days after which the daily Cron Trigger deletes a session). */
/** Sets the platform's retention; RETURNING its id, so that an unknown platform shows as no row. */
export function retentionSql(platformId: string, days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > 36_600) throw new Error('days must be an integer from 1 to 36600');
  return `UPDATE platforms SET retention_days = ${days} WHERE id = ${sqlString(checkId('platform id', platformId))} RETURNING id`;
}

/**
 * Merges settings into the platform's settings JSON (json_patch: a key set to null is removed), e.g.
 * { "ask": { "mode": "nth", "n": 3 } } or { "trend": { "days": 60 } }.
 */
export function settingsPatchSql(platformId: string, patch: Record<string, unknown>): string {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw new Error('settings must be a JSON object');
  return `UPDATE platforms SET settings = json_patch(settings, ${sqlString(JSON.stringify(patch))}) WHERE id = ${sqlString(checkId('platform id', platformId))};`;
}

/** A webhook endpoint row: the signing secret only sealed (worker/webhooks/secret-box.ts). */
export function webhookEndpointSql(e: {
  id: string;
  platformId: string;
  url: string;
  events: readonly string[];
  fhir: boolean;
  sealedSecret: string;
  now: number;
}): string {
  if (!/^we_[0-9a-f]{16}$/.test(e.id)) throw new Error('not an endpoint id');
  if (!/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(e.sealedSecret)) throw new Error('the secret must be sealed');
  if (e.events.length === 0) throw new Error('at least one event type');
  if (!Number.isInteger(e.now) || e.now < 0) throw new Error('now must be epoch seconds');
  return `INSERT INTO webhook_endpoints (id, platform_id, url, events, fhir, secret, created_at) VALUES (${sqlString(e.id)}, ${sqlString(checkId('platform id', e.platformId))}, ${sqlString(e.url)}, ${sqlString(JSON.stringify(e.events))}, ${e.fhir ? 1 : 0}, ${sqlString(e.sealedSecret)}, ${e.now});`;
}

/** A new sealed secret; the current one keeps signing beside it until `previousUntil`. */
export function rotateWebhookSql(id: string, sealedSecret: string, previousUntil: number, now: number): string {
  if (!/^we_[0-9a-f]{16}$/.test(id)) throw new Error('not an endpoint id');
  if (!/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(sealedSecret)) throw new Error('the secret must be sealed');
  return `UPDATE webhook_endpoints SET previous_secret = secret, previous_until = ${Math.floor(previousUntil)}, secret = ${sqlString(sealedSecret)}, rotated_at = ${Math.floor(now)} WHERE id = ${sqlString(id)};`;
}

export function deleteWebhookSql(id: string): string {
  if (!/^we_[0-9a-f]{16}$/.test(id)) throw new Error('not an endpoint id');
  return `DELETE FROM webhook_endpoints WHERE id = ${sqlString(id)};`;
}
