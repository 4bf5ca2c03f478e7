// What an identical retry of a write (the replay path of worker/sessions/idempotent-write.ts) costs in D1 round
// trips. The read of the session's pending webhook events runs in the batch with the idempotency reads, not after
// them; a replay that finishes a cut-off first request and sends its events reads the summary once, for both.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashRef } from '../../../worker/auth/ref-hash.ts';
import { countingDb, type Recorded, totals } from '../d1-counter.ts';
import { GOOD_PACING, GOOD_RATING, seedAdminKey, seedPlatform, type TestPlatform } from '../helpers.ts';
import { registerEndpoint } from '../webhooks/receiver.ts';
import { recordingQueue, write } from '../webhooks/recording-queue.ts';

const PENDING_EVENTS = /FROM webhook_events w WHERE/;
const IDEMPOTENCY_READ = /FROM idempotency WHERE/;
const SUMMARY_ROW = /^SELECT s\.therapist_hash AS therapistHash/;

/** An identical retry through a counting D1 binding: its status, whether it was a replay, and what it ran. */
async function countedRetry(what: 'rating' | 'pacing', token: string, body: unknown, key: string) {
  const { db, log } = countingDb(env.DB);
  const q = recordingQueue();
  const res = await write(what, token, body, q.queue, key, db);
  return { status: res.status, replayed: res.headers.get('Idempotent-Replayed'), log, sent: q.sent };
}

function show(name: string, log: readonly Recorded[]) {
  const t = totals(log);
  console.log(
    `${name}: ${JSON.stringify(t)}\n${log.map((r) => `  [${r.batch || '-'}] ${r.sql.slice(0, 100)}`).join('\n')}`,
  );
  return t;
}

/** The batch (or 0: alone) the statement matching `sql` ran in; every match. */
const batchesOf = (log: readonly Recorded[], sql: RegExp) => log.filter((r) => sql.test(r.sql)).map((r) => r.batch);

async function warmed(options: { endpoints?: boolean } = {}): Promise<TestPlatform> {
  const p = await seedPlatform();
  if (options.endpoints) {
    const admin = await seedAdminKey(p.platformId);
    await registerEndpoint(admin.key, {
      url: `https://${crypto.randomUUID()}.hooks.example/`,
      events: ['rating.created', 'pacing.recorded'],
    });
  }
  // Warm the key cache (a cold isolate reads the key once per minute, not per request).
  await write('rating', await p.mint({ sid: `${p.refs.sid}-warm` }), GOOD_RATING, recordingQueue().queue);
  return p;
}

describe('the replay of an identical retry', () => {
  it('reads the pending events in the idempotency reads’ batch (no endpoints: nothing is sent)', async () => {
    const p = await warmed();
    const token = await p.mint({});
    const key = crypto.randomUUID();
    expect((await write('rating', token, GOOD_RATING, recordingQueue().queue, key)).status).toBe(201);

    const retry = await countedRetry('rating', token, GOOD_RATING, key);
    expect([retry.status, retry.replayed]).toEqual([201, 'true']);
    const t = show('rating replay', retry.log);
    const [idem] = batchesOf(retry.log, IDEMPOTENCY_READ);
    expect(idem).toBeGreaterThan(0);
    expect(batchesOf(retry.log, PENDING_EVENTS)).toEqual([idem]);
    expect(retry.sent).toEqual([]);
    // Pinned: see BENCHMARKS.md. Before: 6 (the idempotency record, the exists check and the pending events each
    // alone, the last one after the others).
    expect(t.roundTrips).toBe(4);

    const therapist = await p.mint({ role: 'therapist' });
    const pacingKey = crypto.randomUUID();
    expect((await write('pacing', therapist, GOOD_PACING, recordingQueue().queue, pacingKey)).status).toBe(201);
    const pacing = await countedRetry('pacing', therapist, GOOD_PACING, pacingKey);
    expect([pacing.status, pacing.replayed]).toEqual([201, 'true']);
    show('pacing replay', pacing.log);
    const [pacingIdem] = batchesOf(pacing.log, IDEMPOTENCY_READ);
    expect(batchesOf(pacing.log, PENDING_EVENTS)).toEqual([pacingIdem]);
  });

  it('finishing a cut-off first request and sending its events reads the summary once', async () => {
    const p = await warmed({ endpoints: true });
    const token = await p.mint({});
    const key = crypto.randomUUID();
    // The first request committed, but its events were not queued (503), and (as if it were cut off before
    // finalizing) its stored answer lacks `delivered`.
    expect((await write('rating', token, GOOD_RATING, recordingQueue(true).queue, key)).status).toBe(503);
    const sidHash = await hashRef(env.REF_HASH_SECRET, p.platformId, 'sid', p.refs.sid);
    const cut = await env.DB.prepare(
      "UPDATE idempotency SET body = json_remove(body, '$.delivered') WHERE platform_id = ?1 AND sid_hash = ?2 AND idem_key = ?3",
    )
      .bind(p.platformId, sidHash, key)
      .run();
    expect(cut.meta.changes).toBe(1);

    const retry = await countedRetry('rating', token, GOOD_RATING, key);
    expect([retry.status, retry.replayed]).toEqual([201, 'true']);
    show('rating replay, finishing', retry.log);
    expect(retry.sent.map((m) => m.type)).toEqual(['rating.created']);
    // Pinned. Before: 10 round trips, the summary read twice (for the events, then again to publish it).
    expect(batchesOf(retry.log, SUMMARY_ROW)).toHaveLength(1);
    expect(totals(retry.log).roundTrips).toBe(7);
    const stored = await env.DB.prepare(
      'SELECT body FROM idempotency WHERE platform_id = ?1 AND sid_hash = ?2 AND idem_key = ?3',
    )
      .bind(p.platformId, sidHash, key)
      .first<{ body: string }>();
    expect(JSON.parse(stored!.body)).toHaveProperty('delivered');
  });
});
