import { ApiFailure } from './errors.ts';

/** How long any single lookup (D1 read, key import) may take before the request gives up with a 503. */
export const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * `work`, or a 503 `lookup_timeout` once `ms` pass: no request waits forever on a lookup that will not settle.
 * The timer is cleared either way.
 *
 * @example
 * const row = await withTimeout(getActiveKey(db, kid));
 */
export async function withTimeout<T>(work: Promise<T>, ms = LOOKUP_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ApiFailure(503, 'lookup_timeout', 'A lookup took too long; try again.', { 'Retry-After': '1' })),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
