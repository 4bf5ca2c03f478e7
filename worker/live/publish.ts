import type { SessionSummary } from '../../schemas/index.ts';
import type { Bindings } from '../env.ts';
import type { LiveParticipants } from './session-live.ts';

export const PUBLISH_TIMEOUT_MS = 2_000;

/** The session's live object: one per platform and hashed session. */
export function liveStub(env: Bindings, platformId: string, sidHash: string) {
  const ns = env.LIVE;
  if (!ns) return null;
  return ns.get(ns.idFromName(`${platformId}:${sidHash}`));
}

/**
 * Pushes the summary to the open sockets of the session whose therapist and client are the writer's (a socket
 * opened with a token naming other participants never gets it). Called after the D1 write committed; a failure
 * here is logged and reported as not delivered, never as a failed write. True when at least one such socket got it.
 */
export async function publishSummary(
  env: Bindings,
  writer: LiveParticipants & { platformId: string; sidHash: string },
  summary: SessionSummary,
  timeoutMs = PUBLISH_TIMEOUT_MS,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const stub = liveStub(env, writer.platformId, writer.sidHash);
    if (!stub) return false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('publish timed out')), timeoutMs);
    });
    const sent = await Promise.race([
      stub.publish(summary, { therapistHash: writer.therapistHash, clientHash: writer.clientHash }),
      timeout,
    ]);
    return sent > 0;
  } catch (err) {
    console.error('live: publish failed', err instanceof Error ? err.message : String(err));
    return false;
  } finally {
    clearTimeout(timer);
  }
}
