import type { Context, MiddlewareHandler } from 'hono';
import { originRegistered } from '../db/registered-origins.ts';
import type { AppEnv } from '../env.ts';
import { errorResponse, ORIGIN_NOT_ALLOWED } from './errors.ts';

export interface CorsOptions {
  methods?: readonly string[];
  headers?: readonly string[];
  maxAgeSeconds?: number;
  /** The platform whose origins an actual response may be shared with; default: the verified token's. */
  platformOf?: (c: Context<AppEnv>) => string | undefined;
}

/**
 * CORS per registered origin. A preflight is answered for an origin that some platform registered
 * (the token is not sent on a preflight); an actual response carries Access-Control-Allow-Origin only
 * when the origin is registered for the platform of the verified token.
 *
 * @example
 * v1.use('*', cors());
 */
export function cors(options: CorsOptions = {}): MiddlewareHandler<AppEnv> {
  const methods = (options.methods ?? ['GET', 'POST', 'OPTIONS']).join(', ');
  const headers = (options.headers ?? ['Authorization', 'Content-Type', 'Idempotency-Key']).join(', ');
  const maxAge = String(options.maxAgeSeconds ?? 600);
  const platformOf = options.platformOf ?? ((c: Context<AppEnv>) => c.var.platform?.id);

  return async function corsMiddleware(c, next) {
    const origin = c.req.header('Origin');
    if (c.req.method === 'OPTIONS') {
      if (origin === undefined || !(await originRegistered(c.env.DB, origin))) {
        return errorResponse(c, 403, 'origin_not_allowed', ORIGIN_NOT_ALLOWED, { Vary: 'Origin' });
      }
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': methods,
        'Access-Control-Allow-Headers': headers,
        'Access-Control-Max-Age': maxAge,
        Vary: 'Origin',
      });
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (origin === undefined) return;
    const platformId = platformOf(c);
    if (platformId && (await originRegistered(c.env.DB, origin, platformId))) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', 'Idempotent-Replayed');
    } else if (c.res.status >= 400 && c.res.status !== 429 && (await originRegistered(c.env.DB, origin))) {
      // (Not for a 429: a throttled burst must not cost a lookup per request.)
      // The widget must be able to read why it was refused (expired token, wrong role, unknown instrument,
      // a body too large) even when no platform was established. The body is only the fixed error, so sharing
      // it with an origin some platform registered leaks nothing.
      c.res.headers.set('Access-Control-Allow-Origin', origin);
    }
  };
}
