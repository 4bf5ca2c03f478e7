import type { Handler } from 'hono';
import { ApiFailure } from './errors.ts';

/** Registered after a path's real handlers: any other method on that path gets 405 with `Allow`. */
export function methodNotAllowed(...methods: string[]): Handler {
  const allow = [...methods, 'OPTIONS'].join(', ');
  return function methodNotAllowedHandler() {
    throw new ApiFailure(405, 'method_not_allowed', `Allowed methods: ${allow}.`, { Allow: allow });
  };
}
