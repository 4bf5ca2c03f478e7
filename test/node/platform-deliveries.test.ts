// `npm run platform -- webhook-dead` and `webhook-replay` against an admin API on a local port. The API here keeps its
// deliveries in memory, but it answers only the routes of the OpenAPI route table (worker/http/openapi.ts) with the
// table's auth, checks each body with the route's own schema and each answer with the route's answer schema, so the
// CLI cannot drift from the contract the Worker is tested against (test/worker/webhooks/dead-letters.test.ts runs the
// real routes). No wrangler: the CLI talks HTTP only.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as v from 'valibot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDeliveryRef } from '../../schemas/webhook.ts';
import { formatDead } from '../../scripts/platform-deliveries.ts';
import { ROOT } from '../../scripts/wrangler-d1.ts';
import { ROUTES } from '../../worker/http/openapi.ts';

const run = promisify(execFile);
const KEY = `attune_admin_${'k'.repeat(43)}`;

interface Delivery {
  eventId: string;
  endpointId: string;
  type: 'rating.created' | 'rating.flagged' | 'rating.declined' | 'pacing.recorded';
  status: 'retrying' | 'delivered' | 'failed' | 'dead' | 'replaying';
  attempts: number;
  lastStatus: number | null;
  updatedAt: number;
  deadAt: number | null;
}

const DEAD_OLD: Delivery = {
  eventId: `evt_${'a'.repeat(24)}`,
  endpointId: 'we_0123456789abcdef',
  type: 'rating.flagged',
  status: 'dead',
  attempts: 10,
  lastStatus: 503,
  updatedAt: 1_800_000_000,
  deadAt: 1_800_000_000,
};
const DEAD_NEW: Delivery = {
  ...DEAD_OLD,
  eventId: `evt_${'b'.repeat(24)}`,
  type: 'pacing.recorded',
  lastStatus: null,
  updatedAt: 1_800_000_600,
  deadAt: 1_800_000_600,
};
const DELIVERED: Delivery = {
  ...DEAD_OLD,
  eventId: `evt_${'c'.repeat(24)}`,
  status: 'delivered',
  attempts: 2,
  lastStatus: 200,
  deadAt: null,
};

let deliveries: Delivery[] = [];
const requests: { method: string; path: string }[] = [];

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

const fail = (res: ServerResponse, status: number, code: string) =>
  answer(res, status, { error: { code, message: `refused: ${code}` } });

/** The admin routes of the route table, answered from `deliveries`. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  const method = (req.method ?? 'GET').toLowerCase();
  requests.push({ method, path: `${path}${url.search}` });
  const route = ROUTES.find((r) => r.path === path && r.method === method);
  if (!route) return fail(res, 404, 'not_found');
  if (route.auth !== 'admin' || req.headers.authorization !== `Bearer ${KEY}`)
    return fail(res, 401, 'invalid_admin_key');
  let body: unknown;
  if (route.body) {
    if (req.headers['content-type'] !== 'application/json') return fail(res, 415, 'unsupported_media_type');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const parsed = v.safeParse(route.body, JSON.parse(Buffer.concat(chunks).toString('utf8')));
    if (!parsed.success) return fail(res, 422, 'invalid_body');
    body = parsed.output;
  }
  const query = v.safeParse(route.query ?? v.object({}), Object.fromEntries(url.searchParams));
  if (!query.success) return fail(res, 400, 'invalid_query');
  let status: number;
  let out: unknown;
  if (route.id === 'listWebhookDeliveries') {
    const only = (query.output as { status?: string }).status;
    [status, out] = [200, { deliveries: deliveries.filter((d) => only === undefined || d.status === only) }];
  } else if (route.id === 'replayWebhookDelivery') {
    const ref = body as WebhookDeliveryRef;
    const d = deliveries.find((x) => x.eventId === ref.eventId && x.endpointId === ref.endpointId);
    if (!d) return fail(res, 404, 'unknown_delivery');
    if (d.status !== 'dead') return fail(res, 409, 'delivery_not_dead');
    d.status = 'replaying';
    [status, out] = [202, { ...ref, status: 'replaying' }];
  } else return fail(res, 404, 'not_served_here');
  const schema = route.ok[status]?.schema;
  if (!schema || !v.is(schema, out)) throw new Error(`the test API's answer to ${route.id} breaks the route table`);
  answer(res, status, out);
}

let server: Server;
let api: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => answer(res, 500, { error: { code: 'test_api', message: String(err) } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  api = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  deliveries = [DEAD_NEW, DELIVERED, DEAD_OLD].map((d) => ({ ...d }));
  requests.length = 0;
});

/** Runs the CLI; resolves with its output and exit code (a failing command does not throw). */
async function platform(args: string[], key: string | null = KEY) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ATTUNE_API;
  delete env.ATTUNE_ADMIN_KEY;
  if (key !== null) env.ATTUNE_ADMIN_KEY = key;
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'scripts/platform.ts'), ...args], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('platform CLI: dead webhook deliveries through the admin API', { timeout: 60_000 }, () => {
  it('webhook-dead lists only the dead deliveries, oldest death first, with the ids a replay takes', async () => {
    const { code, stdout } = await platform(['webhook-dead', '--api', api]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      `${DEAD_OLD.eventId}  ${DEAD_OLD.endpointId}  rating.flagged  dead since 2027-01-15T08:00:00.000Z  attempts 10  last HTTP status 503`,
      `${DEAD_NEW.eventId}  ${DEAD_NEW.endpointId}  pacing.recorded  dead since 2027-01-15T08:10:00.000Z  attempts 10  last HTTP status none`,
    ]);
    expect(requests).toEqual([{ method: 'get', path: '/v1/webhooks/deliveries?status=dead' }]);
  });

  it('webhook-dead says when the API’s 100 may not be all of them', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...DEAD_OLD, deadAt: DEAD_OLD.deadAt! + i }));
    const lines = formatDead(many).split('\n');
    expect(lines).toHaveLength(101);
    expect(lines.at(-1)).toBe('(the 100 most recent; replay them, then list again)');
    expect(formatDead(many.slice(1)).split('\n')).toHaveLength(99);
    expect(formatDead([])).toBe('(no dead deliveries)');
  });

  it('webhook-replay replays one: it leaves the dead list; a second replay gets the API’s 409', async () => {
    const args = ['webhook-replay', '--event', DEAD_OLD.eventId, '--endpoint', DEAD_OLD.endpointId, '--api', api];
    const first = await platform(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Replay of ${DEAD_OLD.eventId} to ${DEAD_OLD.endpointId} requested: replaying.`);
    expect(deliveries.find((d) => d.eventId === DEAD_OLD.eventId)?.status).toBe('replaying');
    expect((await platform(['webhook-dead', '--api', api])).stdout).not.toContain(DEAD_OLD.eventId);

    const again = await platform(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409 delivery_not_dead: refused: delivery_not_dead');
    const unknown = await platform([...args.slice(0, 2), `evt_${'f'.repeat(24)}`, ...args.slice(3)]);
    expect(unknown.stderr).toContain('404 unknown_delivery');
    expect(deliveries.filter((d) => d.status === 'replaying')).toHaveLength(1);
  });

  it('refuses bad ids and a missing key before any request; shows the API’s 401 for a wrong key, never the key', async () => {
    const cases: [string[], string | null, RegExp][] = [
      [['webhook-replay', '--event', 'evt_1', '--endpoint', DEAD_OLD.endpointId], KEY, /--event must be/],
      [['webhook-replay', '--event', DEAD_OLD.eventId, '--endpoint', 'we_x'], KEY, /--endpoint must be/],
      [['webhook-replay', '--event', DEAD_OLD.eventId], KEY, /--event and --endpoint are required/],
      [['webhook-dead'], null, /ATTUNE_ADMIN_KEY/],
      [['webhook-dead'], 'not-an-admin-key', /ATTUNE_ADMIN_KEY/],
      [['webhook-dead', '--api', 'ftp://x.example'], KEY, /--api must be/],
    ];
    for (const [args, key, why] of cases) {
      const r = await platform([...args, ...(args.includes('--api') ? [] : ['--api', api])], key);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(why);
    }
    expect(requests).toEqual([]);

    const wrong = `attune_admin_${'w'.repeat(43)}`;
    const r = await platform(['webhook-dead', '--api', api], wrong);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('401 invalid_admin_key');
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});
