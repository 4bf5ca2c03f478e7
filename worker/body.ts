import type { Context } from 'hono';
import * as v from 'valibot';
import { ApiFailure } from './errors.ts';

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a JSON body and validates it. Errors name the failing field paths only, never a value
 * (honojs standard-validator's sanitize-issues idea: this is health data).
 */
export async function readJson<S extends v.GenericSchema>(
  c: Context,
  schema: S,
  options: { allowEmpty?: boolean; maxBytes?: number } = {},
): Promise<v.InferOutput<S>> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const declared = c.req.header('Content-Length');
  if (declared !== undefined && !(Number(declared) <= maxBytes)) {
    throw new ApiFailure(413, 'body_too_large', `The body must be at most ${maxBytes} bytes.`);
  }
  let bytes: ArrayBuffer;
  try {
    bytes = await c.req.arrayBuffer();
  } catch {
    throw new ApiFailure(400, 'unreadable_body', 'The request body could not be read.');
  }
  if (bytes.byteLength > maxBytes) throw new ApiFailure(413, 'body_too_large', `The body must be at most ${maxBytes} bytes.`);

  let data: unknown;
  if (bytes.byteLength === 0 && options.allowEmpty) {
    data = {};
  } else {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new ApiFailure(415, 'unsupported_media_type', 'The body must be application/json.');
    try {
      data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw new ApiFailure(400, 'malformed_json', 'The body is not valid UTF-8 JSON.');
    }
  }
  const parsed = v.safeParse(schema, data);
  if (!parsed.success) {
    const paths = [...new Set(parsed.issues.slice(0, 5).map((i) => safePath(i.path)))].join(', ');
    throw new ApiFailure(422, 'invalid_body', `The body does not match the schema at: ${paths}.`);
  }
  return parsed.output;
}

const SAFE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** A dotted path of schema keys and indices; any key that is not a plain identifier is masked. */
function safePath(path: v.IssuePathItem[] | undefined): string {
  if (!path || path.length === 0) return '(root)';
  return path
    .map((p) => (typeof p.key === 'number' ? String(p.key) : typeof p.key === 'string' && SAFE_KEY.test(p.key) ? p.key : '?'))
    .join('.');
}
