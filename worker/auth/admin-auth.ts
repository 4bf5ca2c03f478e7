import type { MiddlewareHandler } from 'hono';
import { getAdminKey } from '../db/admin-queries.ts';
import type { AppEnv } from '../env.ts';
import { failedCredential, refuseIfThrottled } from './failure-throttle.ts';
import { ApiFailure } from '../http/errors.ts';
import { withTimeout } from '../http/lookup-timeout.ts';
import { parsePlatformSettings } from '../admin/platform-settings.ts';
import { sha256 } from './ref-hash.ts';

/** `attune_admin_` then 32 random bytes, base64url (scripts/platform.ts admin-key). */
export const ADMIN_KEY = /^attune_admin_[A-Za-z0-9_-]{43}$/;
const BEARER = /^Bearer (\S+)$/;

/**
 * Verifies a platform admin key (separate from session tokens: a session JWT is refused here and an admin key
 * is refused by the session routes). D1 holds only the key's SHA-256. Sets `admin` and `platform`.
 *
 * @example
 * reports.get('/therapists', adminAuth(), (c) => c.json({ platform: c.var.admin.platformId }));
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuthMiddleware(c, next) {
    const key = BEARER.exec(c.req.header('Authorization') ?? '')?.[1];
    if (!key)
      throw new ApiFailure(401, 'missing_admin_key', 'A Bearer admin key is required.', {
        'WWW-Authenticate': 'Bearer',
      });
    refuseIfThrottled(c);
    const row = ADMIN_KEY.test(key) ? await withTimeout(getAdminKey(c.env.DB, await sha256(key))) : null;
    if (!row) {
      const message = ADMIN_KEY.test(key)
        ? 'The admin key is invalid or revoked.'
        : 'This route takes an admin key: attune_admin_… from `npm run platform -- admin-key` (a session token is not one).';
      const unauthorized = new ApiFailure(401, 'invalid_admin_key', message, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
      throw await failedCredential(c, unauthorized);
    }
    c.set('admin', { platformId: row.platformId, keyId: row.id });
    c.set('platform', { id: row.platformId, settings: parsePlatformSettings(row.platformSettings) });
    await next();
  };
}
