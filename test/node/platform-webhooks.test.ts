// `npm run platform -- webhook-*` on a temporary local D1: the secret is printed once and stored sealed; the SQL
// builders refuse what the Worker would refuse.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteWebhookSql, rotateWebhookSql, webhookEndpointSql } from '../../scripts/platform-sql.ts';
import { query, ROOT } from '../../scripts/wrangler-d1.ts';
import { openSecret } from '../../worker/webhooks/secret-box.ts';

const dir = mkdtempSync(join(tmpdir(), 'attune-webhook-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKER_SECRET = 'cli-test-ref-hash-secret-0123456789';

function platform(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [join(ROOT, 'scripts/platform.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', REF_HASH_SECRET: '', ...env },
  });
}

describe('platform CLI: webhook endpoints', { timeout: 120_000 }, () => {
  it('webhook-add prints the secret once and stores it sealed; webhook-list shows the endpoint', async () => {
    const persist = join(dir, 'state');
    const vars = join(dir, 'dev.vars');
    writeFileSync(vars, `REF_HASH_SECRET='${WORKER_SECRET}'\n`);
    const created = platform(['create', '--name', 'Hooks Co', '--persist-to', persist]);
    const platformId = /platform id: (\S+)/.exec(created)![1]!;

    // Bad input is refused before D1 is touched.
    expect(() =>
      platform(['webhook-add', '--platform', platformId, '--url', 'https://a.example/x', '--events', 'rating.gone']),
    ).toThrow(/--events/);
    expect(() =>
      platform(['webhook-add', '--platform', platformId, '--url', 'http://a.example/x', '--events', 'rating.created']),
    ).toThrow(/--url/);

    const out = platform([
      'webhook-add',
      '--platform',
      platformId,
      '--url',
      'https://hooks.co.example/attune',
      '--events',
      'rating.created,pacing.recorded',
      '--fhir',
      '--vars',
      vars,
      '--persist-to',
      persist,
    ]);
    const secret = /^(whsec_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
    const id = /endpoint (we_[0-9a-f]{16})/.exec(out)?.[1];
    expect(secret).toBeDefined();
    const t = { persistTo: persist };
    const [row] = query<{ id: string; url: string; events: string; fhir: number; secret: string }>(
      t,
      'SELECT id, url, events, fhir, secret FROM webhook_endpoints',
    );
    expect(row).toMatchObject({
      id,
      url: 'https://hooks.co.example/attune',
      events: '["rating.created","pacing.recorded"]',
      fhir: 1,
    });
    expect(row!.secret).not.toContain(secret!.slice(6));
    expect(await openSecret(WORKER_SECRET, id!, row!.secret)).toBe(secret);

    expect(platform(['webhook-list', '--platform', platformId, '--persist-to', persist])).toContain(
      `${id}  https://hooks.co.example/attune  rating.created,pacing.recorded  fhir`,
    );
    // webhook-rotate and webhook-delete run the SQL tested below (each wrangler call costs seconds of CI).
  });

  it('the SQL builders take only an endpoint id and a sealed secret', () => {
    const ok = {
      id: 'we_0123456789abcdef',
      platformId: 'plt_1',
      url: "https://x.example/it's",
      events: ['rating.created'],
      fhir: false,
      sealedSecret: 'v1.aaaa.bbbb',
      now: 1,
    };
    expect(webhookEndpointSql(ok)).toContain("'https://x.example/it''s'");
    expect(() => webhookEndpointSql({ ...ok, sealedSecret: 'whsec_plain' })).toThrow(/sealed/);
    expect(() => webhookEndpointSql({ ...ok, id: "we_'; DROP TABLE x" })).toThrow();
    expect(() => webhookEndpointSql({ ...ok, events: [] })).toThrow();
    expect(rotateWebhookSql(ok.id, 'v1.c.d', 100, 10)).toContain('previous_secret = secret');
    expect(() => rotateWebhookSql(ok.id, 'whsec_x', 100, 10)).toThrow(/sealed/);
    expect(() => deleteWebhookSql('x')).toThrow();
  });
});
