import { describe, expect, it } from 'vitest';
import { addOriginSql, createPlatformSql, normalizeOrigin, sqlString } from '../../scripts/platform-sql.ts';

const edKey = { kid: 'k_1', alg: 'EdDSA' as const, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'abc' } };

describe('platform SQL', () => {
  it('quotes strings and refuses NUL', () => {
    expect(sqlString("O'Brien")).toBe("'O''Brien'");
    expect(sqlString("'); DROP TABLE platforms; --")).toBe("'''); DROP TABLE platforms; --'");
    expect(() => sqlString('a\u0000b')).toThrow();
  });

  it('normalizes origins and refuses anything that is not exactly an origin', () => {
    expect(normalizeOrigin('https://app.example')).toBe('https://app.example');
    expect(normalizeOrigin('https://app.example/')).toBe('https://app.example');
    expect(normalizeOrigin('http://127.0.0.1:8788')).toBe('http://127.0.0.1:8788');
    for (const bad of [
      'app.example',
      'ftp://app.example',
      'https://app.example/path',
      'https://u:p@app.example',
      'https://APP.example',
      'https://app.example:443',
      "https://a.example'--",
    ]) {
      expect(() => normalizeOrigin(bad), bad).toThrow();
    }
  });

  it('builds the platform, key and origin rows; stores only the public JWK', () => {
    expect(() =>
      createPlatformSql({
        id: 'plt_1',
        name: 'x',
        key: { ...edKey, publicJwk: { ...edKey.publicJwk, d: 'SECRET' } },
        origins: [],
        now: 1,
      }),
    ).toThrow(/public/);
    const ok = createPlatformSql({ id: 'plt_1', name: "O'Neil", key: edKey, origins: ['https://a.example'], now: 5 });
    expect(ok.split('\n')).toEqual([
      "INSERT INTO platforms (id, name, settings, retention_days, created_at) VALUES ('plt_1', 'O''Neil', '{}', 365, 5);",
      `INSERT INTO platform_keys (kid, platform_id, alg, public_jwk, secret, created_at) VALUES ('k_1', 'plt_1', 'EdDSA', '{"kty":"OKP","crv":"Ed25519","x":"abc"}', NULL, 5);`,
      "INSERT OR IGNORE INTO platform_origins (platform_id, origin) VALUES ('plt_1', 'https://a.example');",
    ]);
    const again = createPlatformSql({ id: 'plt_1', name: 'x', key: edKey, origins: [], now: 5, idempotent: true });
    expect(again).toMatch(/^INSERT OR IGNORE INTO platforms/);
  });

  it('HS256 keys need a 32-byte secret and no JWK', () => {
    const secret = 's'.repeat(32);
    expect(
      createPlatformSql({ id: 'p', name: 'x', key: { kid: 'k', alg: 'HS256', secret }, origins: [], now: 1 }),
    ).toContain(`NULL, '${secret}', 1);`);
    expect(() =>
      createPlatformSql({ id: 'p', name: 'x', key: { kid: 'k', alg: 'HS256', secret: 'short' }, origins: [], now: 1 }),
    ).toThrow();
    expect(() =>
      createPlatformSql({ id: 'p', name: 'x', key: { kid: 'k', alg: 'none' as never, secret }, origins: [], now: 1 }),
    ).toThrow();
  });

  it('refuses ids that are not plain', () => {
    expect(() => addOriginSql("p'; --", 'https://a.example')).toThrow();
    expect(() =>
      createPlatformSql({ id: 'p', name: 'x', key: { ...edKey, kid: 'k 1' }, origins: [], now: 1 }),
    ).toThrow();
    expect(() => createPlatformSql({ id: 'p', name: '  ', key: edKey, origins: [], now: 1 })).toThrow();
  });
});

describe('admin, retention and settings SQL', () => {
  it('stores only the admin key hash, with checked ids', async () => {
    const { adminKeySql, revokeAdminKeySql } = await import('../../scripts/platform-sql.ts');
    const hash = 'a'.repeat(43);
    expect(adminKeySql({ id: 'adm_1', platformId: 'plt_1', keyHash: hash, now: 5 })).toBe(
      `INSERT INTO admin_keys (id, platform_id, key_hash, created_at) VALUES ('adm_1', 'plt_1', '${hash}', 5);`,
    );
    expect(() =>
      adminKeySql({ id: 'adm_1', platformId: 'plt_1', keyHash: 'attune_admin_not-a-hash', now: 5 }),
    ).toThrow();
    expect(() => adminKeySql({ id: "x'", platformId: 'plt_1', keyHash: hash, now: 5 })).toThrow();
    expect(revokeAdminKeySql('adm_1', 9.7)).toBe(
      "UPDATE admin_keys SET revoked_at = 9 WHERE id = 'adm_1' AND revoked_at IS NULL;",
    );
  });

  it('retention days are a positive integer; settings are merged as quoted JSON', async () => {
    const { retentionSql, settingsPatchSql } = await import('../../scripts/platform-sql.ts');
    expect(retentionSql('plt_1', 30)).toBe("UPDATE platforms SET retention_days = 30 WHERE id = 'plt_1' RETURNING id");
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => retentionSql('plt_1', bad)).toThrow();
    expect(settingsPatchSql('plt_1', { note: "it's" })).toBe(
      `UPDATE platforms SET settings = json_patch(settings, '{"note":"it''s"}') WHERE id = 'plt_1';`,
    );
    expect(() => settingsPatchSql('plt_1', [] as never)).toThrow();
  });
});
