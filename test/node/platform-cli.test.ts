import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatVars, parseVars, QUICK_CUES } from '../../scripts/seed-demo.ts';
import { query, ROOT } from '../../scripts/wrangler-d1.ts';
import { likertInstrument } from '../samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'attune-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(script: string, args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
}

describe('seed-demo and platform CLIs on a temporary local D1', { timeout: 120_000 }, () => {
  it('seed-demo registers the demo platform, writes the vars, and a second run changes nothing', () => {
    const persist = join(dir, 'seed-state');
    const vars = join(dir, 'seed.vars');
    writeFileSync(vars, "OTHER_SETTING='kept'\n");
    const first = JSON.parse(
      node('scripts/seed-demo.ts', [
        '--persist-to',
        persist,
        '--vars',
        vars,
        '--origin',
        'http://localhost:9999',
      ]).trim(),
    );
    const v1 = parseVars(readFileSync(vars, 'utf8'));
    expect(v1.get('DEV_MODE')).toBe('1');
    expect(v1.get('OTHER_SETTING')).toBe('kept');
    expect(v1.get('REF_HASH_SECRET')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(v1.get('DEMO_PLATFORM_ID')).toBe(first.platformId);
    expect(JSON.parse(v1.get('DEMO_PRIVATE_JWK')!)).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      d: expect.any(String),
    });

    const t = { persistTo: persist };
    // The demo therapist's history for the caseload page: eight clients, and the rollups the triggers kept.
    const history = () =>
      query<{ sessions: number; clients: number; paced: number }>(
        t,
        'SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM caseload_clients) AS clients, (SELECT sum(n) FROM therapist_pace_days) AS paced',
      )[0]!;
    const seeded = history();
    expect(seeded.clients).toBe(8);
    expect(seeded.paced).toBe(seeded.sessions);
    const second = JSON.parse(
      node('scripts/seed-demo.ts', [
        '--persist-to',
        persist,
        '--vars',
        vars,
        '--origin',
        'http://localhost:9999',
      ]).trim(),
    );
    expect(second).toEqual(first);
    expect(parseVars(readFileSync(vars, 'utf8'))).toEqual(v1);
    expect(history()).toEqual(seeded);

    // The demo platform and its quick-cues twin (a short quiet start), each with the origin and one public key.
    expect(v1.get('DEMO_QUICK_PLATFORM_ID')).toBe(first.quickPlatformId);
    const platforms = query<{ id: string; settings: string }>(t, 'SELECT id, settings FROM platforms ORDER BY id');
    expect(platforms.map((p) => p.id).sort()).toEqual([first.platformId, first.quickPlatformId].sort());
    expect(JSON.parse(platforms.find((p) => p.id === first.platformId)!.settings)).toEqual({});
    expect(JSON.parse(platforms.find((p) => p.id === first.quickPlatformId)!.settings)).toEqual({ cues: QUICK_CUES });
    expect(query(t, 'SELECT DISTINCT origin FROM platform_origins')).toEqual([{ origin: 'http://localhost:9999' }]);
    const keys = query<{ alg: string; public_jwk: string; secret: string | null }>(
      t,
      'SELECT alg, public_jwk, secret FROM platform_keys',
    );
    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect(k.alg).toBe('EdDSA');
      expect(k.secret).toBeNull();
      expect(JSON.parse(k.public_jwk)).not.toHaveProperty('d');
    }
  });

  it('platform create prints the private key once and stores only the public key; add-origin adds an origin', () => {
    const persist = join(dir, 'cli-state');
    const out = node('scripts/platform.ts', [
      'create',
      '--name',
      "O'Neil Care",
      '--origin',
      'https://app.oneil.example',
      '--persist-to',
      persist,
    ]);
    const id = /platform id: (\S+)/.exec(out)?.[1];
    const kid = /kid:\s+(\S+)/.exec(out)?.[1];
    const jwk = JSON.parse(/^(\{.*"d".*\})$/m.exec(out)?.[1] ?? 'null');
    expect(id).toMatch(/^plt_/);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    const t = { persistTo: persist };
    const rows = query<{ kid: string; platform_id: string; public_jwk: string; name: string }>(
      t,
      'SELECT k.kid, k.platform_id, k.public_jwk, p.name FROM platform_keys k JOIN platforms p ON p.id = k.platform_id',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kid, platform_id: id, name: "O'Neil Care" });
    expect(rows[0]!.public_jwk).not.toContain(jwk.d);

    node('scripts/platform.ts', [
      'add-origin',
      '--platform',
      id!,
      '--origin',
      'https://second.example',
      '--persist-to',
      persist,
    ]);
    expect(query(t, 'SELECT origin FROM platform_origins ORDER BY origin')).toEqual([
      { origin: 'https://app.oneil.example' },
      { origin: 'https://second.example' },
    ]);

    const hs = node('scripts/platform.ts', ['create', '--name', 'HS', '--alg', 'HS256', '--persist-to', persist]);
    const secret = /^([A-Za-z0-9_-]{43})$/m.exec(hs)?.[1];
    expect(secret).toBeDefined();
    expect(query(t, "SELECT secret FROM platform_keys WHERE alg = 'HS256'")).toEqual([{ secret }]);
  });

  it('admin-key prints a key once and stores only its SHA-256; retention and settings update the platform', () => {
    const persist = join(dir, 'admin-state');
    const out = node('scripts/platform.ts', ['create', '--name', 'Admin Co', '--persist-to', persist]);
    const id = /platform id: (\S+)/.exec(out)![1]!;
    const adminOut = node('scripts/platform.ts', ['admin-key', '--platform', id, '--persist-to', persist]);
    const key = /^(attune_admin_[A-Za-z0-9_-]{43})$/m.exec(adminOut)?.[1];
    expect(key).toBeDefined();
    const t = { persistTo: persist };
    const rows = query<{ id: string; platform_id: string; key_hash: string }>(
      t,
      'SELECT id, platform_id, key_hash FROM admin_keys',
    );
    expect(rows).toEqual([
      {
        id: expect.stringMatching(/^adm_/),
        platform_id: id,
        key_hash: createHash('sha256').update(key!).digest('base64url'),
      },
    ]);
    expect(JSON.stringify(query(t, 'SELECT * FROM admin_keys'))).not.toContain(key!.slice(13));

    node('scripts/platform.ts', ['retention', '--platform', id, '--days', '30', '--persist-to', persist]);
    expect(() =>
      node('scripts/platform.ts', [
        'retention',
        '--platform',
        'plt_not_registered',
        '--days',
        '30',
        '--persist-to',
        persist,
      ]),
    ).toThrow(/no platform plt_not_registered/);
    node('scripts/platform.ts', [
      'settings',
      '--platform',
      id,
      '--json',
      '{"ask":{"mode":"nth","n":3}}',
      '--persist-to',
      persist,
    ]);
    expect(query(t, 'SELECT retention_days, settings FROM platforms')).toEqual([
      { retention_days: 30, settings: '{"ask":{"mode":"nth","n":3}}' },
    ]);
    expect(() =>
      node('scripts/platform.ts', [
        'settings',
        '--platform',
        id,
        '--json',
        '{"ask":{"mode":"sometimes"}}',
        '--persist-to',
        persist,
      ]),
    ).toThrow();

    // A second instrument on 3..21: platform-wide thresholds that fit the default 0..40 would flag every one of its
    // ratings. Refused, naming why, and nothing is written; the same thresholds in the default's own rules are fine.
    const likert = likertInstrument('en', (i) => ({ label: i, low: 'low', high: 'high' }));
    const settings = (json: unknown, platform = id) =>
      node('scripts/platform.ts', [
        'settings',
        '--platform',
        platform,
        '--json',
        JSON.stringify(json),
        '--persist-to',
        persist,
      ]);
    settings({ instruments: [likert] });
    const before = query<{ settings: string }>(t, 'SELECT settings FROM platforms')[0]!.settings;
    expect(() => settings({ flags: { totalBelow: 36 } })).toThrow(
      /would flag every rating[\s\S]*likert-3 \(version 2\): totalBelow 36 is over its highest total, 21/,
    );
    expect(query<{ settings: string }>(t, 'SELECT settings FROM platforms')[0]!.settings).toBe(before);
    settings({ flags: { dropFromPrevious: 2 } });
    expect(JSON.parse(query<{ settings: string }>(t, 'SELECT settings FROM platforms')[0]!.settings)).toMatchObject({
      ask: { mode: 'nth', n: 3 },
      flags: { dropFromPrevious: 2 },
      instruments: [{ id: 'likert-3' }],
    });
    expect(() => settings({ ask: { mode: 'every' } }, 'plt_not_registered')).toThrow(/no platform plt_not_registered/);

    node('scripts/platform.ts', ['revoke-admin-key', '--id', rows[0]!.id, '--persist-to', persist]);
    expect(query<{ revoked_at: number | null }>(t, 'SELECT revoked_at FROM admin_keys')[0]!.revoked_at).toBeGreaterThan(
      0,
    );
  });

  it('refuses bad input without touching D1', () => {
    expect(() =>
      node('scripts/platform.ts', [
        'create',
        '--name',
        'X',
        '--origin',
        'https://a.example/path',
        '--persist-to',
        join(dir, 'bad'),
      ]),
    ).toThrow();
    expect(() =>
      node('scripts/platform.ts', ['create', '--name', 'X', '--alg', 'none', '--persist-to', join(dir, 'bad')]),
    ).toThrow();
  });

  it('token mints a caseload token (tid only) and a session token with the key from the environment', async () => {
    const { generateKey } = await import('../../sdk/keys.ts');
    const { decodeJwt, importJWK, jwtVerify } = await import('jose');
    const key = await generateKey('EdDSA');
    const run = (args: string[]) =>
      execFileSync(
        process.execPath,
        [join(ROOT, 'scripts/platform.ts'), 'token', '--platform', 'plt_cli', '--kid', key.kid, ...args],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, ATTUNE_PRIVATE_KEY: JSON.stringify(key.privateKey) },
        },
      ).trim();
    const caseload = run(['--role', 'caseload', '--therapist', 'dr-7']);
    const publicKey = await importJWK((key.stored as { publicJwk: object }).publicJwk, 'EdDSA');
    const { payload } = await jwtVerify(caseload, publicKey, { issuer: 'plt_cli', audience: 'attune' });
    expect(payload).toMatchObject({ role: 'caseload', tid: 'dr-7', sub: 'dr-7' });
    expect(payload.sid).toBeUndefined();
    expect(payload.exp! - payload.iat!).toBe(3600);
    const client = run([
      '--role',
      'client',
      '--session',
      's-1',
      '--therapist',
      'dr-7',
      '--client',
      'c-1',
      '--ttl',
      '600',
    ]);
    expect(decodeJwt(client)).toMatchObject({ role: 'client', sid: 's-1', tid: 'dr-7', cid: 'c-1', sub: 'c-1' });
    expect(() => run(['--role', 'client', '--therapist', 'dr-7'])).toThrow();
    expect(() => run(['--role', 'admin', '--therapist', 'dr-7'])).toThrow();
  });

  it('vars round-trip through the dotenv format', () => {
    const m = new Map([
      ['A', '{"x":"y"}'],
      ['B', 'plain'],
    ]);
    expect(parseVars(formatVars(m))).toEqual(m);
  });
});
