import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { IDEMPOTENCY_HEADER, IdempotencyKey } from '../schemas/index.ts';
import { getIdempotency, insertIdempotency, updateIdempotencyBody } from './db/queries.ts';
import type { AppEnv } from './env.ts';
import { ApiFailure } from './errors.ts';
import { sha256 } from './refs.ts';

/** The validated Idempotency-Key header; 400 when missing or malformed. */
export function idempotencyKeyOf(c: Context<AppEnv>): string {
  const raw = c.req.header(IDEMPOTENCY_HEADER);
  if (raw === undefined) throw new ApiFailure(400, 'missing_idempotency_key', `The ${IDEMPOTENCY_HEADER} header is required.`);
  if (!v.is(IdempotencyKey, raw)) {
    throw new ApiFailure(400, 'invalid_idempotency_key', `${IDEMPOTENCY_HEADER} must be 16 to 64 characters of A-Z a-z 0-9 _ -.`);
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
  afterWrite?: () => Promise<Record<string, unknown> | null>;
  /**
   * With afterWrite: true once a stored body has its final form. A replay that finds the body not yet final
   * (the first request is still publishing) waits for it briefly, so every replay gets the same body.
   */
  isFinal?: (storedBody: string) => boolean;
}

const FINAL_WAIT_MS = 3_000;
const FINAL_POLL_MS = 25;

/**
 * Runs a write exactly once per resource. An identical retry gets the stored response; the same key
 * with another body gets 409 idempotency_conflict; a second write under another key gets `conflict`.
 * Primary keys on the resource and on (platform, key) make a concurrent duplicate fail its whole batch,
 * so a race cannot store twice.
 */
export async function idempotentWrite(c: Context<AppEnv>, w: IdempotentWrite): Promise<Response> {
  const db = c.env.DB;
  const platformId = c.var.platform.id;
  const requestHash = await sha256(`${w.scope}\n${JSON.stringify(w.body)}`);

  const decide = async (): Promise<Response | null> => {
    // Both reads at once (one round trip of latency); `exists` matters only when nothing is stored.
    const [first, exists] = await Promise.all([getIdempotency(db, platformId, w.key), w.exists()]);
    let stored = first;
    const deadline = Date.now() + FINAL_WAIT_MS;
    while (stored && w.isFinal && stored.requestHash === requestHash && !w.isFinal(stored.body) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, FINAL_POLL_MS));
      stored = await getIdempotency(db, platformId, w.key);
    }
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new ApiFailure(409, 'idempotency_conflict', 'This Idempotency-Key was used for a different request.');
      }
      return c.body(stored.body, stored.status as ContentfulStatusCode, {
        'Content-Type': 'application/json',
        'Idempotent-Replayed': 'true',
      });
    }
    if (exists) throw new ApiFailure(409, w.conflict.code, w.conflict.message);
    return null;
  };

  const early = await decide();
  if (early) return early;

  let body = JSON.stringify(w.response);
  const now = Math.floor(Date.now() / 1000);
  try {
    await db.batch([
      ...w.statements,
      insertIdempotency(db, { platformId, key: w.key, scope: w.scope, requestHash, status: w.status, body, now }),
    ]);
  } catch (err) {
    if (!isConstraintError(err)) throw err;
    // Lost a race with a concurrent request: answer as if it had come first.
    const late = await decide();
    if (late) return late;
    throw err;
  }
  const extra = w.afterWrite ? await w.afterWrite() : null;
  if (extra) {
    body = JSON.stringify({ ...w.response, ...extra });
    try {
      await updateIdempotencyBody(db, platformId, w.key, body).run();
    } catch (err) {
      // The write stands; a retry would get the response without the extra fields.
      console.error('idempotency: storing the final response failed', err instanceof Error ? err.message : String(err));
    }
  }
  return c.body(body, w.status, { 'Content-Type': 'application/json' });
}

function isConstraintError(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed|SQLITE_CONSTRAINT/.test(`${err.message} ${String(err.cause ?? '')}`);
}
