import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An expected failure with a fixed, input-free message. Thrown anywhere in a handler; the app's
 * onError turns it into `{ error: { code, message } }` with its status. Anything else is a bug (500).
 */
export class ApiFailure extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  headers?: Record<string, string>,
) {
  return c.json({ error: { code, message } }, status, headers);
}

/** The page's origin is not one its platform registered: the fix is one CLI call (the origin is never echoed). */
export const ORIGIN_NOT_ALLOWED =
  'This origin is not registered for the platform: add it with `npm run platform -- add-origin --platform plt_… --origin <your page’s origin>`.';
