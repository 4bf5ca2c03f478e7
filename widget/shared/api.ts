import type { MountContext } from './contract.ts';

/** GET a JSON resource of the API with the session token; no cookies. Throws on network errors and non-2xx. */
export async function getJson<T>(
  ctx: Pick<MountContext, 'api' | 'token'>,
  path: string,
  signal?: AbortSignal,
): Promise<T> {
  const res = await fetch(ctx.api + path, {
    headers: { Authorization: 'Bearer ' + ctx.token },
    credentials: 'omit',
    signal: signal ?? null,
  });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/**
 * A route of the token's own session, e.g. `/v1/session/rating`. The session travels in the token, never in the
 * URL: request URLs end up in logs, and a session ref there would be a raw platform identifier.
 */
export const sessionPath = (leaf: 'rating' | 'pacing' | 'summary') => `/v1/session/${leaf}`;
