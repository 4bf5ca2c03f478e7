import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import {
  OFFLINE_RATING_GRACE_SECONDS,
  PacingAggregates,
  RatingSubmission,
  instrumentMaxTotal,
  type PacingReceipt,
  type RatingReceipt,
  type SessionSummary,
} from '../../schemas/index.ts';
import { readJson } from '../http/body.ts';
import {
  getSessionParticipants,
  insertPacing,
  insertRating,
  clientHistory,
  upsertSession,
  type ErasureGuard,
  type RatingRecord,
  type SessionKey,
} from '../db/queries.ts';
import { assertNotErased, erasureGuardOf } from '../admin/erasure-tombstone.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import {
  type IdempotentWrite,
  idempotencyKeyOf,
  idempotentWrite,
  startIdempotencyReads,
  type WriteKind,
} from '../sessions/idempotent-write.ts';
import { auth } from '../auth/token-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { checkItems } from '../sessions/rating-items.ts';
import { publishSummary } from '../live/publish.ts';
import { loadSummary, summaryFromResults, summaryStatements } from '../summary/load-summary.ts';
import { assertParticipants } from '../sessions/participants.ts';
import { summaryTargetOf } from '../summary/summary-target.ts';
import { flagsFor, needsHistory, totalOf } from '../summary/build-summary.ts';
import { insertEventIfSubscribed, type NewEvent, type PendingEvent } from '../db/webhook-queries.ts';
import { newEventId } from '../webhooks/event-payload.ts';
import { pendingEvents, pendingFrom, sendPendingEvents } from '../webhooks/session-events.ts';

/** Pacing figures that cannot exceed the session's duration (one second of rounding allowed). */
const PacingBody = v.pipe(
  PacingAggregates,
  v.check(
    (p) =>
      [
        p.therapistTalkSeconds,
        p.clientTalkSeconds,
        p.overlapSeconds,
        p.silenceSeconds,
        p.longestSilenceSeconds,
        p.longestTherapistTurnSeconds,
      ].every((s) => s <= p.durationSeconds + 1),
    'durations exceed the session length',
  ),
);

function sessionKey(c: Context<AppEnv>): SessionKey {
  const { sid, tid, cid } = c.var.refs;
  return { platformId: c.var.platform.id, sidHash: sid, therapistHash: tid, clientHash: cid };
}

/**
 * A session keeps the therapist and client it was first recorded with; a token naming others is refused.
 * This early check only saves work: the guarantee is the write itself (insertRating/insertPacing insert only
 * into a session row with the token's participants, in the batch that records the session).
 */
/** The session as recorded (null when it is not yet), after the participants check. */
async function assertSameParticipants(c: Context<AppEnv>) {
  const s = sessionKey(c);
  const recorded = await getSessionParticipants(c.env.DB, s.platformId, s.sidHash);
  assertParticipants(s, recorded);
  return recorded;
}

/**
 * A rating is for the instrument the session was first recorded with: a later token for the same session naming
 * another instrument (or version) gets 409, and nothing is stored. (Ratings are one per session, so two first writes
 * racing with different instruments cannot both land.)
 */
async function assertSameSession(c: Context<AppEnv>): Promise<void> {
  const recorded = await assertSameParticipants(c);
  const { id, version } = c.var.instrument;
  if (recorded && (recorded.instrumentId !== id || recorded.instrumentVersion !== version))
    throw new ApiFailure(409, 'session_instrument_mismatch', 'This session was recorded with another instrument.');
}

/**
 * After a write: the new summary (from `reads`, the summary reads run at the end of the write's batch, or
 * `summaryNow`) pushed to the therapist's live sockets. Never throws; returns the summary (null when it could not be
 * read) for the write's webhook events.
 */
async function publishCurrent(
  c: Context<AppEnv>,
  reads: D1Result<unknown>[] | undefined,
  summaryNow: () => Promise<SessionSummary>,
): Promise<{ delivered: boolean; summary: SessionSummary | null }> {
  const target = summaryTargetOf(c);
  try {
    const summary = reads ? summaryFromResults(target, reads).summary : await summaryNow();
    return { delivered: await publishSummary(c.env, target, summary), summary };
  } catch (err) {
    console.error('live: loading the summary to publish failed', err instanceof Error ? err.message : String(err));
    return { delivered: false, summary: null };
  }
}

/** What a replay reads in the batch with idempotentWrite's reads: the session's events of the kind still unsent. */
const replayReads = (c: Context<AppEnv>, kind: WriteKind) => [pendingEvents(c, `${kind}.`)];

/** idempotentWrite's reads with the replay's (one batch), started at once so the route's own reads overlap them. */
const startWriteReads = (c: Context<AppEnv>, kind: WriteKind, key: string) =>
  startIdempotencyReads(c, kind, key, replayReads(c, kind));

/**
 * A rating or pacing write (idempotentWrite), then, on a fresh write, the new summary published to the live sockets
 * (`delivered` added to the answer when `reportDelivered`) and the webhook events the batch recorded queued, from
 * reads appended to the write's batch; on a replay, the session's events of that kind still pending (read in the
 * batch with the idempotency reads). The summary is read at most once per request: a replay that both sends events
 * and finishes a cut-off first request publishes the summary the events carry.
 */
async function writeAndPublish(
  c: Context<AppEnv>,
  now: number,
  { reportDelivered, ...write }: Omit<IdempotentWrite, 'afterWrite' | 'replay'> & { reportDelivered: boolean },
): Promise<Response> {
  const family = `${write.kind}.` as const;
  const target = summaryTargetOf(c);
  const summaryReadsNow = summaryStatements(c.env.DB, target, now);
  let loaded: Promise<SessionSummary> | undefined;
  const summaryNow = () => {
    loaded ??= loadSummary(c.env.DB, target).then((l) => l.summary);
    return loaded;
  };
  // Filled by afterWrite on a fresh write: the events the batch recorded, still to queue.
  let fresh: PendingEvent[] | undefined;
  const res = await idempotentWrite(c, {
    ...write,
    afterWrite: {
      reads: [...summaryReadsNow, pendingEvents(c, family)],
      adds: reportDelivered ? ['delivered'] : [],
      run: async (reads) => {
        const { delivered, summary } = await publishCurrent(c, reads, summaryNow);
        if (summary) loaded ??= Promise.resolve(summary);
        if (reads) fresh = pendingFrom(reads[summaryReadsNow.length]);
        return reportDelivered ? { delivered } : null;
      },
    },
    replay: {
      reads: () => replayReads(c, write.kind),
      run: ([pending]) => sendPendingEvents(c, pendingFrom(pending), summaryNow),
    },
  });
  if (fresh) await sendPendingEvents(c, fresh, summaryNow);
  return res;
}

/** The webhook events a rating causes (one per type; each recorded only when an endpoint takes the type). */
function ratingEvents(status: 'rated' | 'declined', flags: string): NewEvent[] {
  if (status === 'declined') return [{ id: newEventId(), type: 'rating.declined' }];
  const events: NewEvent[] = [{ id: newEventId(), type: 'rating.created' }];
  if (flags !== '[]') events.push({ id: newEventId(), type: 'rating.flagged' });
  return events;
}

function sessionRow(c: Context<AppEnv>, now: number, guard: ErasureGuard) {
  const sched = c.var.claims.sched;
  return upsertSession(c.env.DB, {
    ...sessionKey(c),
    guard,
    instrumentId: c.var.instrument.id,
    instrumentVersion: c.var.instrument.version,
    scheduledStart: sched?.start ?? null,
    scheduledEnd: sched?.end ?? null,
    now,
  });
}

/**
 * The token's own session: POST /v1/session/rating (client), POST /v1/session/pacing and GET /v1/session/summary
 * (therapist). The session comes from the token, never from the URL: observability records full URLs, and a
 * session ref there would be a raw platform identifier in the logs.
 */
export const sessionRoutes = new Hono<AppEnv>()
  .post('/rating', auth({ roles: ['client'], expiredGraceSeconds: OFFLINE_RATING_GRACE_SECONDS }), async (c) => {
    const key = idempotencyKeyOf(c);
    const body = await readJson(c, RatingSubmission);
    const instrument = c.var.instrument;
    const s = sessionKey(c);
    const now = Math.floor(Date.now() / 1000);
    // Every read at once (one round trip of latency): the participants check, the client's previous total and
    // running mean (for the relative flags) and idempotentWrite's stored-record and exists reads. The answers are still checked in
    // the same order (403 session_mismatch, then 422, then the idempotency outcome).
    const previousRead =
      body.kind === 'rating' && needsHistory(instrument)
        ? clientHistory(c.env.DB, {
            platformId: s.platformId,
            clientHash: s.clientHash,
            therapistHash: s.therapistHash,
            instrumentId: instrument.id,
            instrumentVersion: instrument.version,
            sidHash: s.sidHash,
            window: instrument.flags.meanWindow,
          })
        : Promise.resolve(null);
    const reads = startWriteReads(c, 'rating', key);
    const guard = await erasureGuardOf(c);
    const [, previous] = await Promise.all([assertSameSession(c), previousRead, assertNotErased(c, guard)]);

    let record: Omit<RatingRecord, 'instrumentId' | 'instrumentVersion' | 'ratedAt'>;
    if (body.kind === 'declined') {
      record = { status: 'declined' as const, items: '[]', total: null, maxTotal: null, flags: '[]' };
    } else {
      if (body.instrument !== instrument.id || body.version !== instrument.version) {
        throw new ApiFailure(422, 'instrument_mismatch', 'The rating is for another instrument than this session’s.');
      }
      const items = checkItems(instrument, body.items);
      const total = totalOf(items);
      record = {
        status: 'rated' as const,
        items: JSON.stringify(items),
        total,
        maxTotal: instrumentMaxTotal(instrument),
        flags: JSON.stringify(flagsFor(instrument, items, total, previous)),
      };
    }
    return writeAndPublish(c, now, {
      kind: 'rating',
      key,
      body,
      reads,
      response: { status: record.status, receivedAt: now } satisfies RatingReceipt,
      statements: [
        sessionRow(c, now, guard),
        insertRating(c.env.DB, s, {
          ...record,
          instrumentId: instrument.id,
          instrumentVersion: instrument.version,
          ratedAt: now,
        }),
        ...ratingEvents(record.status, record.flags).map((e) =>
          insertEventIfSubscribed(c.env.DB, s, 'ratings', e, now),
        ),
      ],
      session: s,
      reportDelivered: true,
    });
  })
  .all('/rating', methodNotAllowed('POST'))

  .post('/pacing', auth({ roles: ['therapist'] }), async (c) => {
    const key = idempotencyKeyOf(c);
    const body = await readJson(c, PacingBody);
    const s = sessionKey(c);
    const now = Math.floor(Date.now() / 1000);
    // As for ratings: the participants check and idempotentWrite's reads in one round trip.
    const reads = startWriteReads(c, 'pacing', key);
    const guard = await erasureGuardOf(c);
    await Promise.all([assertSameParticipants(c), assertNotErased(c, guard)]);
    return writeAndPublish(c, now, {
      kind: 'pacing',
      key,
      body,
      reads,
      response: { status: 'recorded', receivedAt: now } satisfies PacingReceipt,
      statements: [
        sessionRow(c, now, guard),
        insertPacing(c.env.DB, s, body, now),
        insertEventIfSubscribed(c.env.DB, s, 'pacing', { id: newEventId(), type: 'pacing.recorded' }, now),
      ],
      session: s,
      reportDelivered: false,
    });
  })
  .all('/pacing', methodNotAllowed('POST'))

  .get('/summary', auth({ roles: ['therapist'] }), async (c) => {
    const target = summaryTargetOf(c);
    const { summary, recorded } = await loadSummary(c.env.DB, target);
    // Both hashes: a platform that reuses session ids must not show one client's rating under another's summary.
    assertParticipants(target, recorded);
    return c.json(summary);
  })
  .all('/summary', methodNotAllowed('GET'));
