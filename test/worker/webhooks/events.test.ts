// From a write to the queue: which events a rating or pacing write causes, that an event is queued exactly once per
// write, and that an event whose queue send failed after the commit is sent by the retried request (with its refs).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../../sdk/server.ts';
import { adminCall, GOOD_PACING, GOOD_RATING, seedAdminKey, seedPlatform, type TestPlatform } from '../helpers.ts';
import { registerEndpoint } from './receiver.ts';
import { recordingQueue, write } from './recording-queue.ts';

async function platformWith(endpoints: string[][]): Promise<{ p: TestPlatform; ids: string[] }> {
  const p = await seedPlatform();
  const admin = await seedAdminKey(p.platformId);
  const ids: string[] = [];
  for (const events of endpoints)
    ids.push((await registerEndpoint(admin.key, { url: `https://${crypto.randomUUID()}.hooks.example/`, events })).id);
  return { p, ids };
}

const outbox = (platformId: string) =>
  env.DB.prepare('SELECT type, event_id, enqueued_at FROM webhook_events WHERE platform_id = ?1 ORDER BY type')
    .bind(platformId)
    .all<{ type: string; event_id: string; enqueued_at: number | null }>()
    .then((r) => r.results);

const LOW = { ...GOOD_RATING, items: GOOD_RATING.items.map((i) => ({ ...i, value: 1 })) };

describe('webhook events from writes', () => {
  it('a rating causes rating.created (and rating.flagged when flagged), a decline rating.declined, pacing pacing.recorded', async () => {
    const all = ['rating.created', 'rating.flagged', 'rating.declined', 'pacing.recorded'];
    const { p, ids } = await platformWith([all]);
    const q = recordingQueue();
    expect((await write('rating', await p.mint({}), LOW, q.queue)).status).toBe(201);
    expect((await write('pacing', await p.mint({ role: 'therapist' }), GOOD_PACING, q.queue)).status).toBe(201);
    const declinedSid = `${p.refs.sid}-declined`;
    expect((await write('rating', await p.mint({ sid: declinedSid }), { kind: 'declined' }, q.queue)).status).toBe(201);

    const events = q.events();
    expect(events.map((e) => e.type)).toEqual([
      'rating.created',
      'rating.flagged',
      'pacing.recorded',
      'rating.declined',
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    for (const e of events) {
      expect(e.id).toMatch(/^evt_[0-9a-f]{24}$/);
      expect(e.platform).toBe(p.platformId);
      expect(e.created).toBeGreaterThan(1_700_000_000);
      expect(e.data.therapist).toBe(p.refs.tid);
      expect(e.data.client).toBe(p.refs.cid);
    }
    expect(events[0]!.data.session).toBe(p.refs.sid);
    expect(events[1]!.data.summary.flags.length).toBeGreaterThan(0);
    expect(events[2]!.data.summary.pacing).toMatchObject({ therapistTalkSeconds: 1200 });
    expect(events[3]!.data).toMatchObject({ session: declinedSid, summary: { status: 'declined' } });
    expect(q.sent.every((m) => m.endpointId === ids[0])).toBe(true);
    // Every event recorded once, and marked as queued.
    expect((await outbox(p.platformId)).map((r) => [r.type, r.enqueued_at !== null])).toEqual([
      ['pacing.recorded', true],
      ['rating.created', true],
      ['rating.declined', true],
      ['rating.flagged', true],
    ]);
  });

  it('each endpoint gets only the types it took; a platform without endpoints records nothing', async () => {
    const { p, ids } = await platformWith([
      ['rating.flagged'],
      ['rating.created', 'pacing.recorded'],
      ['rating.declined'],
    ]);
    const q = recordingQueue();
    expect((await write('rating', await p.mint({}), LOW, q.queue)).status).toBe(201);
    expect(q.sent.map((m) => [m.type, m.endpointId])).toEqual([
      ['rating.created', ids[1]],
      ['rating.flagged', ids[0]],
    ]);

    const bare = await seedPlatform();
    const none = recordingQueue();
    expect((await write('rating', await bare.mint({}), LOW, none.queue)).status).toBe(201);
    expect(none.sent).toEqual([]);
    expect(await outbox(bare.platformId)).toEqual([]);
  });

  it('a failed queue send after the commit answers 503; the retry sends the event once, with the same id', async () => {
    const { p } = await platformWith([['rating.created']]);
    const token = await p.mint({});
    const key = crypto.randomUUID();

    const down = recordingQueue(true);
    const first = await write('rating', token, GOOD_RATING, down.queue, key);
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({
      error: { code: 'events_not_queued', message: 'Stored, but its events could not be queued yet: retry.' },
    });
    const [pending] = await outbox(p.platformId);
    expect(pending).toMatchObject({ type: 'rating.created', enqueued_at: null });

    // The widget retries with the same key (its token again): the stored answer, and the event goes out now.
    const up = recordingQueue();
    const retry = await write('rating', token, GOOD_RATING, up.queue, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(up.events().map((e) => [e.id, e.type, e.data.client])).toEqual([
      [pending!.event_id, 'rating.created', p.refs.cid],
    ]);
    expect((await outbox(p.platformId))[0]!.enqueued_at).not.toBeNull();

    // Another retry sends nothing more.
    const again = await write('rating', token, GOOD_RATING, up.queue, key);
    expect(again.status).toBe(201);
    expect(up.sent).toHaveLength(1);
  });

  it('a retry of a rating whose events were queued sends nothing; the same holds for pacing', async () => {
    const { p } = await platformWith([['rating.created', 'pacing.recorded']]);
    const q = recordingQueue();
    const key = crypto.randomUUID();
    const client = await p.mint({});
    expect((await write('rating', client, GOOD_RATING, q.queue, key)).status).toBe(201);
    expect((await write('rating', client, GOOD_RATING, q.queue, key)).status).toBe(201);
    // A second rating under another key is refused and causes no event.
    expect((await write('rating', client, GOOD_RATING, q.queue)).status).toBe(409);
    const therapist = await p.mint({ role: 'therapist' });
    const pacingKey = crypto.randomUUID();
    expect((await write('pacing', therapist, GOOD_PACING, q.queue, pacingKey)).status).toBe(201);
    expect((await write('pacing', therapist, GOOD_PACING, q.queue, pacingKey)).status).toBe(201);
    expect(q.sent.map((m) => m.type)).toEqual(['rating.created', 'pacing.recorded']);
  });

  it('a token naming other participants changes nothing and records no event', async () => {
    const { p } = await platformWith([['rating.created']]);
    const q = recordingQueue();
    expect((await write('rating', await p.mint({}), GOOD_RATING, q.queue)).status).toBe(201);
    const intruder = await p.mint({ cid: 'someone-else', sub: 'someone-else', sid: `${p.refs.sid}` });
    expect((await write('rating', intruder, GOOD_RATING, q.queue)).status).toBe(403);
    expect(q.sent).toHaveLength(1);
    expect(await outbox(p.platformId)).toHaveLength(1);
  });

  it('erasing the client deletes its sessions’ events from the outbox', async () => {
    const { p } = await platformWith([['rating.created', 'pacing.recorded']]);
    const q = recordingQueue();
    expect((await write('rating', await p.mint({}), GOOD_RATING, q.queue)).status).toBe(201);
    expect((await write('pacing', await p.mint({ role: 'therapist' }), GOOD_PACING, q.queue)).status).toBe(201);
    expect(await outbox(p.platformId)).toHaveLength(2);
    const admin = await seedAdminKey(p.platformId);
    const erased = await adminCall('/v1/clients/erase', admin.key, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ref: p.refs.cid }),
    });
    expect(erased.status).toBe(200);
    expect(await outbox(p.platformId)).toEqual([]);
  });
});

describe('the FHIR option', () => {
  it('an endpoint registered with fhir gets the rating as a QuestionnaireResponse by the token’s refs; others do not', async () => {
    const p = await seedPlatform();
    const admin = await seedAdminKey(p.platformId);
    const url = () => `https://${crypto.randomUUID()}.hooks.example/`;
    const withFhir = await registerEndpoint(admin.key, {
      url: url(),
      events: ['rating.created', 'rating.declined'],
      fhir: true,
    });
    await registerEndpoint(admin.key, { url: url(), events: ['rating.created', 'rating.declined'] });
    const q = recordingQueue();
    expect((await write('rating', await p.mint({}), GOOD_RATING, q.queue)).status).toBe(201);
    const declinedSid = `${p.refs.sid}-declined`;
    expect((await write('rating', await p.mint({ sid: declinedSid }), { kind: 'declined' }, q.queue)).status).toBe(201);

    const byEndpoint = q.sent.map((m) => ({ endpoint: m.endpointId, event: JSON.parse(m.body) as WebhookEvent }));
    expect(byEndpoint).toHaveLength(4);
    for (const { endpoint, event } of byEndpoint) {
      if (endpoint !== withFhir.id) {
        expect(event.data.fhir).toBeUndefined();
        continue;
      }
      const qr = event.data.fhir!;
      expect(qr.resourceType).toBe('QuestionnaireResponse');
      expect(qr.subject.identifier.value).toBe(p.refs.cid);
      expect(qr.encounter.identifier.value).toBe(event.data.session);
      if (event.type === 'rating.declined') {
        expect(event.data.session).toBe(declinedSid);
        expect(qr.status).toBe('stopped');
        expect(qr.item).toBeUndefined();
      } else {
        expect(event.data.session).toBe(p.refs.sid);
        expect(qr.status).toBe('completed');
        expect(qr.item?.map((i) => [i.linkId, i.answer[0]])).toEqual(
          GOOD_RATING.items.map((i) => [i.id, expect.objectContaining({})]),
        );
        const values = qr.item!.map((i) => Object.values(i.answer[0]!)[0]);
        expect(values).toEqual(GOOD_RATING.items.map((i) => i.value));
      }
    }
  });
});
