// Webhook deliveries for the endpoint fuzz of the delivery routes: the fuzzed platform gets deliveries in every state
// (and a dead one whose event went with its session, one whose endpoint was deleted), another platform a dead one.
// Afterwards the only change allowed is a dead delivery of the fuzzed platform, with its event and endpoint kept,
// becoming `replaying`, each with its audit line; everything else in the webhook tables stays as it was.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import type { WebhookDeliveryRef } from '../../../schemas/webhook.ts';
import { randomId } from '../../../sdk/keys.ts';
import { insertEndpoint, markDead, recordDelivery, requestReplay } from '../../../worker/db/webhook-queries.ts';
import { newEndpointId, newWebhookSecret, sealSecret } from '../../../worker/webhooks/secret-box.ts';
import { seedPlatform, storeSession, testHash } from '../helpers.ts';
import type { FuzzContext } from './fuzz-requests.ts';

type State = 'dead' | 'delivered' | 'retrying' | 'replaying' | 'dead-event-gone' | 'dead-endpoint-gone';

const REPLAY_ROUTE = '/v1/webhooks/deliveries/replay';

type Row = Record<string, unknown>;

interface Snapshot {
  deliveries: Row[];
  endpoints: Row[];
  events: Row[];
}

async function snapshot(platformIds: string[]): Promise<Snapshot> {
  const ids = JSON.stringify(platformIds);
  const all = async (sql: string) => (await env.DB.prepare(sql).bind(ids).all<Row>()).results;
  const inPlatforms = 'platform_id IN (SELECT value FROM json_each(?1))';
  return {
    deliveries: await all(`SELECT * FROM webhook_deliveries WHERE ${inPlatforms} ORDER BY event_id, endpoint_id`),
    endpoints: await all(`SELECT * FROM webhook_endpoints WHERE ${inPlatforms} ORDER BY id`),
    events: await all(`SELECT * FROM webhook_events WHERE ${inPlatforms} ORDER BY event_id`),
  };
}

export interface SeededDeliveries {
  /** Every delivery seeded, of both platforms, for well-formed replay bodies. */
  refs: WebhookDeliveryRef[];
  /** Throws on any change but an allowed replay; returns how many deliveries were replayed. */
  check: () => Promise<number>;
}

/** Seeds deliveries for `ctx.platform` (whose pooled sessions must already be stored) and for a platform of its own. */
export async function seedDeliveries(ctx: FuzzContext): Promise<SeededDeliveries> {
  const platformId = ctx.platform.platformId;
  const other = await seedPlatform();
  const otherSid = randomId('fz-other-sid-');
  const now = Math.floor(Date.now() / 1000);
  await storeSession(other.platformId, { sid: otherSid, tid: 'fz-other-t', cid: 'fz-other-c', at: now });
  const sidHashes = (
    await env.DB.prepare('SELECT sid_hash FROM sessions WHERE platform_id = ?1 ORDER BY sid_hash')
      .bind(platformId)
      .all<{ sid_hash: string }>()
  ).results.map((r) => r.sid_hash);
  if (sidHashes.length < 2) throw new Error('seedDeliveries: the fuzzed platform needs two stored sessions');

  const endpoint = async (owner: string) => {
    const id = newEndpointId();
    const secret = await sealSecret(env.REF_HASH_SECRET, id, newWebhookSecret());
    const url = `https://${id.replace('_', '-')}.hooks.example/attune`;
    await insertEndpoint(env.DB, {
      id,
      platformId: owner,
      url,
      events: ['rating.created'],
      fhir: false,
      secret,
      now,
    }).run();
    return id;
  };
  const kept = await endpoint(platformId);
  const deleted = newEndpointId();
  const otherEndpoint = await endpoint(other.platformId);

  const refs: WebhookDeliveryRef[] = [];
  const types = ['rating.created', 'rating.declined', 'pacing.recorded', 'rating.flagged'] as const;
  const used = new Map<string, number>();
  /** One delivery in `state`; its event is an outbox row of a session of the owner (unless the event is gone). */
  const deliver = async (owner: string, sidHash: string, endpointId: string, state: State) => {
    const id = randomId('evt_', 12);
    // The webhook_events key is (platform, session, type): each session takes up to four events.
    const n = used.get(sidHash) ?? 0;
    const type = types[n % types.length]!;
    if (state !== 'dead-event-gone') {
      used.set(sidHash, n + 1);
      await env.DB.prepare(
        `INSERT INTO webhook_events (platform_id, sid_hash, type, event_id, created_at, enqueued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)`,
      )
        .bind(owner, sidHash, type, id, now)
        .run();
    }
    const d = { eventId: id, endpointId, platformId: owner, type, attempts: 10, now };
    if (state === 'delivered' || state === 'retrying')
      await recordDelivery(env.DB, { ...d, status: state, lastStatus: state === 'delivered' ? 200 : 503 }).run();
    else await markDead(env.DB, d).run();
    if (state === 'replaying') await requestReplay(env.DB, owner, id, endpointId, now).run();
    refs.push({ eventId: id, endpointId });
  };
  const [a, b] = sidHashes as [string, string];
  for (const state of ['dead', 'dead', 'dead', 'delivered'] as const) await deliver(platformId, a, kept, state);
  for (const state of ['retrying', 'replaying', 'dead'] as const) await deliver(platformId, b, kept, state);
  await deliver(platformId, b, deleted, 'dead-endpoint-gone');
  await deliver(platformId, a, kept, 'dead-event-gone');
  await deliver(other.platformId, await testHash(otherSid), otherEndpoint, 'dead');

  const platforms = [platformId, other.platformId];
  const before = await snapshot(platforms);
  const replayable = new Set(
    before.deliveries
      .filter(
        (d) =>
          d.platform_id === platformId &&
          d.status === 'dead' &&
          d.endpoint_id === kept &&
          before.events.some((e) => e.event_id === d.event_id),
      )
      .map((d) => `${String(d.event_id)} ${String(d.endpoint_id)}`),
  );

  const check = async (): Promise<number> => {
    const after = await snapshot(platforms);
    const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
    if (!same(after.endpoints, before.endpoints)) throw new Error('the fuzz changed a webhook endpoint');
    if (!same(after.events, before.events)) throw new Error('the fuzz changed a webhook event');
    if (after.deliveries.length !== before.deliveries.length) throw new Error('the fuzz added or removed a delivery');
    const replayed: string[] = [];
    for (const [i, was] of before.deliveries.entries()) {
      const now = after.deliveries[i]!;
      if (same(now, was)) continue;
      const key = `${String(was.event_id)} ${String(was.endpoint_id)}`;
      const { status, updated_at: _u, ...rest } = now;
      const { status: _s, updated_at: _w, ...wasRest } = was;
      if (!replayable.has(key) || status !== 'replaying' || !same(rest, wasRest))
        throw new Error(`the fuzz changed a delivery it may not (${String(was.status)} → ${String(status)})`);
      replayed.push(String(was.event_id));
    }
    const audited = (
      await env.DB.prepare('SELECT platform_id, params FROM audit_log WHERE route = ?1 AND platform_id IN (?2, ?3)')
        .bind(REPLAY_ROUTE, platformId, other.platformId)
        .all<{ platform_id: string; params: string }>()
    ).results;
    const auditedIds = audited.map((r) => (JSON.parse(r.params) as { id: string }).id).sort();
    if (audited.some((r) => r.platform_id !== platformId) || !same(auditedIds, [...replayed].sort()))
      throw new Error('the replay audit lines differ from the replays');
    return replayed.length;
  };
  return { refs, check };
}

/** Well-formed replay bodies: a seeded delivery (either platform's), a seeded event with another endpoint, or fresh ids. */
export function replayBody(refs: readonly WebhookDeliveryRef[]): fc.Arbitrary<unknown> {
  const events = refs.map((r) => r.eventId);
  const endpoints = [...new Set(refs.map((r) => r.endpointId))];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...refs), weight: 6 },
    {
      arbitrary: fc.record({ eventId: fc.constantFrom(...events), endpointId: fc.constantFrom(...endpoints) }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        eventId: fc.stringMatching(/^[0-9a-f]{24}$/).map((h) => `evt_${h}`),
        endpointId: fc.oneof(
          fc.constantFrom(...endpoints),
          fc.stringMatching(/^[0-9a-f]{16}$/).map((h) => `we_${h}`),
        ),
      }),
      weight: 1,
    },
  );
}
