// Seeding statements for tests and benches: platforms, keys, origins and admin keys. The Worker never registers
// them; the CLI does, as SQL text (scripts/platform-sql.ts). Plain D1 statements with `?n` binds, no Worker imports.
import type { SigningAlg } from '../../schemas/token-limits.ts';

export function insertPlatform(
  db: D1Database,
  p: { id: string; name: string; settings?: string; retentionDays?: number; now: number },
) {
  return db
    .prepare('INSERT INTO platforms (id, name, settings, retention_days, created_at) VALUES (?1, ?2, ?3, ?4, ?5)')
    .bind(p.id, p.name, p.settings ?? '{}', p.retentionDays ?? 365, p.now);
}

export function insertKey(
  db: D1Database,
  k: { kid: string; platformId: string; alg: SigningAlg; publicJwk?: string; secret?: string; now: number },
) {
  return db
    .prepare(
      'INSERT INTO platform_keys (kid, platform_id, alg, public_jwk, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
    )
    .bind(k.kid, k.platformId, k.alg, k.publicJwk ?? null, k.secret ?? null, k.now);
}

export function insertOrigin(db: D1Database, platformId: string, origin: string) {
  return db
    .prepare('INSERT OR IGNORE INTO platform_origins (platform_id, origin) VALUES (?1, ?2)')
    .bind(platformId, origin);
}

export function insertAdminKey(db: D1Database, k: { id: string; platformId: string; keyHash: string; now: number }) {
  return db
    .prepare('INSERT INTO admin_keys (id, platform_id, key_hash, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(k.id, k.platformId, k.keyHash, k.now);
}
