import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { IDEMPOTENCY_HEADER, IdempotencyKey } from '../../schemas/index.ts';
import { getIdempotency, insertIdempotency, updateIdempotencyBody, type IdempotencyRow } from '../db/queries.ts';
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

export interface IdempotentWrite {
  key: string;
  /** Route and hashed session, e.g. `rating:<sid hash>`; part of the request hash, so a key cannot cross sessions. */
  scope: string;
  /** The validated body; its JSON is hashed to tell a retry from a different request. */
  body: unknown;
  /** True when the resource already exists (a write under another key). */
  exists: () => Promise<boolean>;
  conflict: { code: string; message: string };
  status: ContentfulStatusCode;
  response: Record<string, unknown>;
  /** The writes, run in one batch (one transaction) together with the idempotency record. */
  statements: D1PreparedStatement[];
  /**
   * Runs only after a fresh write committed (not on a replay or a conflict). Fields it returns are merged into
   * the response and into the stored response, so an identical retry gets the same body. It must not throw.
   */
  afterWrite?: (reads?: D1Result<unknown>[]) => Promise<Record<string, unknown> | null>;
  /**
   * Reads appended to the write's batch (after the idempotency record, in the same transaction, so they see the
   * write): a fresh write hands their results to afterWrite, saving it a round trip. A replay that finalizes an
   * unfinished body calls afterWrite without them.
   */
  readAfter?: D1PreparedStatement[];
  /**
   * With afterWrite: true once a stored body has its final form. A replay that finds the body not yet final
   * (the first request was cut off, or is still publishing) runs afterWrite itself and finalizes the stored
   * body; the first body to be finalized wins, so every answer after that is the same.
   */
  isFinal?: (storedBody: string) => boolean;
  /**
   * The session row the write must belong to. The idempotency record is inserted only when that row exists
   * with these participants (in the same batch as the writes, which carry the same condition); when it does
   * not, nothing is stored and the answer is 403 session_mismatch.
   */
  session?: { platformId: string; sidHash: string; therapistHash: string; clientHash: string };
  /**
   * The first stored-record and `exists` reads, started earlier by the route (startIdempotencyReads) so they
   * overlap its own reads; without it they start here. A retry after a lost race always reads again.
   */
  reads?: IdempotencyReads;
}

export type IdempotencyReads = Promise<[IdempotencyRow | null, boolean]>;

/**
 * Starts the reads idempotentWrite decides on (one round trip of latency), for a route that has its own reads
 * to run at the same time. Pass the result as `reads`; a rejection is handled there (or ignored when the route
 * answers before it gets that far).
 */
export function startIdempotencyReads(
  c: Context<AppEnv>,
  key: string,
  exists: () => Promise<boolean>,
): IdempotencyReads {
  const p: IdempotencyReads = Promise.all([getIdempotency(c.env.DB, c.var.platform.id, c.var.refs.sid, key), exists()]);
  p.catch(() => {});
  return p;
}

/**
 * Runs a write exactly once per resource. Keys are unique per session (platform, session hash, key). An identical
 * retry gets the stored response; the same key in the same session with another request (another body, or the
 * session's other route) gets 409 idempotency_conflict; a second write under another key gets `conflict`
 * (already_rated / already_recorded: only ever sent to the session's own participants, whom the routes checked
 * first). Unique keys on the resource and on (platform, session, key) make a concurrent duplicate fail its whole
 * batch, so a race cannot store twice.
 */
export async function idempotentWrite(c: Context<AppEnv>, w: IdempotentWrite): Promise<Response> {
  const db = c.env.DB;
  const platformId = c.var.platform.id;
  // Keys are unique per session: the same key in another session is another request.
  const sidHash = c.var.refs.sid;
  const requestHash = await sha256(`${w.scope}\n${JSON.stringify(w.body)}`);

  const replay = (body: string, status: number) =>
    c.body(body, status as ContentfulStatusCode, { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' });

  let early: IdempotencyReads | undefined = w.reads;
  const decide = async (): Promise<Response | null> => {
    // Both reads at once (one round trip of latency); `exists` matters only when nothing is stored.
    const reads = early ?? Promise.all([getIdempotency(db, platformId, sidHash, w.key), w.exists()]);
    early = undefined;
    const [stored, exists] = await reads;
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new ApiFailure(409, 'idempotency_conflict', 'This Idempotency-Key was used for a different request.');
      }
      if (w.afterWrite && w.isFinal && !w.isFinal(stored.body)) {
        // The request that wrote it never finished (cut off after the commit) or is finishing now: publish
        // again rather than wait, then answer with whichever final body was stored first.
        return replay(await finish(stored.body), stored.status);
      }
      return replay(stored.body, stored.status);
    }
    if (exists) throw new ApiFailure(409, w.conflict.code, w.conflict.message);
    return null;
  };

  /**
   * Runs afterWrite under waitUntil (a client that goes away must not cancel the publish) and stores the final
   * body if the stored one is still `pending`; returns the body stored in the end.
   */
  const finish = (pending: string, reads?: D1Result<unknown>[]): Promise<string> => {
    const p = (async () => {
      const extra = w.afterWrite ? await w.afterWrite(reads) : null;
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
  const readAfter = w.afterWrite ? (w.readAfter ?? []) : [];
  let results: D1Result[];
  try {
    results = await db.batch([
      ...w.statements,
      insertIdempotency(
        db,
        { platformId, key: w.key, scope: w.scope, requestHash, status: w.status, body, now },
        w.session,
      ),
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
  if (w.session && !(results.at(-1 - readAfter.length)?.meta.changes ?? 0)) {
    // The session row names other participants (recorded by a concurrent first write): nothing was stored.
    throw sessionMismatch();
  }
  const final = w.afterWrite ? await finish(body, readAfter.length ? reads : undefined) : body;
  return c.body(final, w.status, { 'Content-Type': 'application/json' });
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
