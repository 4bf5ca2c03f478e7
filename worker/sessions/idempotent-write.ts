import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { IDEMPOTENCY_HEADER, IdempotencyKey } from '../../schemas/index.ts';
import {
  getIdempotency,
  idempotencyStatement,
  insertIdempotency,
  sessionHasStatement,
  updateIdempotencyBody,
  type IdempotencyRow,
  type SessionKey,
} from '../db/queries.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import { sha256 } from '../auth/ref-hash.ts';
import { sessionMismatch } from './participants.ts';

/** The validated Idempotency-Key header; 400 when missing or malformed. */
export function idempotencyKeyOf(c: Context<AppEnv>): string {
  const raw = c.req.header(IDEMPOTENCY_HEADER);
  if (raw === undefined)
    throw new ApiFailure(400, 'missing_idempotency_key', `The ${IDEMPOTENCY_HEADER} header is required.`);
  if (!v.is(IdempotencyKey, raw)) {
    throw new ApiFailure(
      400,
      'invalid_idempotency_key',
      `${IDEMPOTENCY_HEADER} must be 16 to 64 characters of A-Z a-z 0-9 _ -.`,
    );
  }
  return raw;
}

/** What a session stores once, with the 409 a second write of it under another key gets. */
const RESOURCES = {
  rating: {
    table: 'ratings',
    conflict: { code: 'already_rated', message: 'This session already has a rating.' },
  },
  pacing: {
    table: 'pacing',
    conflict: { code: 'already_recorded', message: 'This session’s pacing is already recorded.' },
  },
} as const;

export type WriteKind = keyof typeof RESOURCES;

export interface IdempotentWrite {
  /** What is written, once per session; with the hashed session it is the key's scope (`rating:<sid hash>`). */
  kind: WriteKind;
  key: string;
  /** The validated body; its JSON is hashed to tell a retry from a different request. */
  body: unknown;
  /** The 201 answer (stored with the key, replayed to an identical retry). */
  response: Record<string, unknown>;
  /**
   * The writes, run in one batch (one transaction) together with the idempotency record. That record is inserted
   * only when the session row exists with the session's participants (the writes carry the same condition); when
   * it does not, nothing is stored and the answer is 403 session_mismatch.
   */
  statements: D1PreparedStatement[];
  session: SessionKey;
  /**
   * The first stored-record and `exists` reads, with `replay.reads`, started by the route (startIdempotencyReads);
   * else started here.
   */
  reads?: Promise<IdempotencyReads>;
  /** What a replay of a stored write (an identical retry) does before it answers (see Replay). */
  replay?: Replay;
  /** Runs once a fresh write committed (see AfterWrite). */
  afterWrite?: AfterWrite;
}

/**
 * What follows a fresh write (never a conflict), e.g. publishing the new summary. `reads` are appended to the
 * write's batch (after the idempotency record, in the same transaction, so they see the write) and their results
 * handed to `run`, saving it a round trip. The fields `run` returns (the keys in `adds`) are merged into the response
 * and into the stored response, so an identical retry gets the same body. A replay that finds a stored body without
 * them (the first request was cut off after the commit, or is still publishing) runs it again, without `reads`, and
 * stores the final body; the first body finalized wins. `run` must not throw.
 */
export interface AfterWrite {
  reads: D1PreparedStatement[];
  adds: readonly string[];
  run: (reads?: D1Result<unknown>[]) => Promise<Record<string, unknown> | null>;
}

/**
 * What a replay finishes that the first request may have left undone after its commit (its webhook events,
 * worker/webhooks/session-events.ts). `reads` run in the batch with the idempotency reads (a replay then needs no
 * read of its own to tell whether there is anything to do); `run` gets their results and runs on every replay, before
 * the stored answer is finalized (AfterWrite) and returned. A throw fails the replay (the client retries again).
 */
export interface Replay {
  reads: () => D1PreparedStatement[];
  run: (reads: D1Result<unknown>[]) => Promise<void>;
}

export interface IdempotencyReads {
  stored: IdempotencyRow | null;
  /** The session already holds the resource. */
  exists: boolean;
  /** The results of the replay's reads. */
  replay: D1Result<unknown>[];
}

/**
 * Starts the reads idempotentWrite decides on, with `replayReads` (Replay.reads), in one batch (one round trip),
 * for a route that has its own reads to run at the same time. Pass the result as `reads`; a rejection is handled
 * there (or ignored when the route answers before it gets that far).
 */
export function startIdempotencyReads(
  c: Context<AppEnv>,
  kind: WriteKind,
  key: string,
  replayReads: D1PreparedStatement[] = [],
): Promise<IdempotencyReads> {
  const db = c.env.DB;
  const { id } = c.var.platform;
  const { sid } = c.var.refs;
  const p = db
    .batch<unknown>([
      idempotencyStatement(db, id, sid, key),
      sessionHasStatement(db, RESOURCES[kind].table, id, sid),
      ...replayReads,
    ])
    .then(([stored, exists, ...replay]) => ({
      stored: (stored?.results[0] as IdempotencyRow | undefined) ?? null,
      exists: (exists?.results.length ?? 0) > 0,
      replay,
    }));
  p.catch(() => {});
  return p;
}

/** True when a stored response has every field afterWrite adds (it is final). */
function isFinal(storedBody: string, adds: readonly string[]): boolean {
  try {
    const parsed: unknown = JSON.parse(storedBody);
    return typeof parsed === 'object' && parsed !== null && adds.every((k) => k in parsed);
  } catch {
    return true; // not ours to finish: replayed as stored
  }
}

/**
 * Runs a write exactly once per resource. Keys are unique per session (platform, session hash, key). An identical
 * retry gets the stored response; the same key in the same session with another request (another body, or the
 * session's other route) gets 409 idempotency_conflict; a second write under another key gets its kind's 409
 * (already_rated / already_recorded: only ever sent to the session's own participants, whom the routes checked
 * first). Unique keys on the resource and on (platform, session, key) make a concurrent duplicate fail its whole
 * batch, so a race cannot store twice.
 */
export async function idempotentWrite(c: Context<AppEnv>, w: IdempotentWrite): Promise<Response> {
  const db = c.env.DB;
  const platformId = c.var.platform.id;
  // Keys are unique per session: the same key in another session is another request.
  const sidHash = c.var.refs.sid;
  const scope = `${w.kind}:${sidHash}`;
  const requestHash = await sha256(`${scope}\n${JSON.stringify(w.body)}`);
  const { conflict } = RESOURCES[w.kind];
  const after = w.afterWrite;

  const replay = (body: string, status: number) =>
    c.body(body, status as ContentfulStatusCode, { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' });

  let early: Promise<IdempotencyReads> | undefined = w.reads;
  const decide = async (): Promise<Response | null> => {
    // Every read in one batch (one round trip); `exists` matters only when nothing is stored, the replay's only
    // when something is.
    const reads = early ?? startIdempotencyReads(c, w.kind, w.key, w.replay?.reads());
    early = undefined;
    const { stored, exists, replay: replayed } = await reads;
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new ApiFailure(409, 'idempotency_conflict', 'This Idempotency-Key was used for a different request.');
      }
      if (w.replay) await w.replay.run(replayed);
      if (after && !isFinal(stored.body, after.adds)) {
        // The request that wrote it never finished (cut off after the commit) or is finishing now: publish
        // again rather than wait, then answer with whichever final body was stored first.
        return replay(await finish(stored.body), stored.status);
      }
      return replay(stored.body, stored.status);
    }
    if (exists) throw new ApiFailure(409, conflict.code, conflict.message);
    return null;
  };

  /**
   * Runs afterWrite under waitUntil (a client that goes away must not cancel the publish) and stores the final
   * body if the stored one is still `pending`; returns the body stored in the end.
   */
  const finish = (pending: string, reads?: D1Result<unknown>[]): Promise<string> => {
    const p = (async () => {
      const extra = after ? await after.run(reads) : null;
      if (!extra) return pending;
      const body = JSON.stringify({ ...(JSON.parse(pending) as Record<string, unknown>), ...extra });
      try {
        const res = await updateIdempotencyBody(db, platformId, sidHash, w.key, pending, body).run();
        if (res.meta.changes > 0) return body;
        // Another request finalized it first: its body is the answer for everyone.
        return (await getIdempotency(db, platformId, sidHash, w.key))?.body ?? body;
      } catch (err) {
        // The write stands; a retry finalizes the body itself.
        console.error(
          'idempotency: storing the final response failed',
          err instanceof Error ? err.message : String(err),
        );
        return body;
      }
    })();
    waitUntil(c, p);
    return p;
  };

  const answer = await decide();
  if (answer) return answer;

  const body = JSON.stringify(w.response);
  const now = Math.floor(Date.now() / 1000);
  const readAfter = after?.reads ?? [];
  let results: D1Result[];
  try {
    results = await db.batch([
      ...w.statements,
      insertIdempotency(db, { platformId, key: w.key, scope, requestHash, status: 201, body, now }, w.session),
      ...readAfter,
    ]);
  } catch (err) {
    if (!isConstraintError(err)) throw err;
    // Lost a race with a concurrent request: answer as if it had come first.
    const late = await decide();
    if (late) return late;
    throw err;
  }
  const reads = results.slice(results.length - readAfter.length);
  if (!(results.at(-1 - readAfter.length)?.meta.changes ?? 0)) {
    // The session row names other participants (recorded by a concurrent first write): nothing was stored.
    throw sessionMismatch();
  }
  const final = after ? await finish(body, readAfter.length ? reads : undefined) : body;
  return c.body(final, 201, { 'Content-Type': 'application/json' });
}

function waitUntil(c: Context<AppEnv>, p: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(p);
  } catch {
    // no execution context (a unit test calling app.request without one): the await below still runs it
  }
}

function isConstraintError(err: unknown): boolean {
  return (
    err instanceof Error &&
    /UNIQUE constraint failed|SQLITE_CONSTRAINT/.test(`${err.message} ${String(err.cause ?? '')}`)
  );
}
