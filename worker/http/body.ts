import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
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
  const bytes = await readCapped(c, options.maxBytes ?? MAX_BODY_BYTES);

  let data: unknown;
  if (bytes.byteLength === 0 && options.allowEmpty) {
    data = {};
  } else {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      throw new ApiFailure(415, 'unsupported_media_type', 'The body must be application/json.');
    try {
      data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw new ApiFailure(400, 'malformed_json', 'The body is not valid UTF-8 JSON.');
    }
  }
  const parsed = v.safeParse(schema, data);
  if (!parsed.success) {
    // A key the schema does not have is the sender's own word: named as such, never echoed.
    const paths = [
      ...new Set(
        parsed.issues.slice(0, 5).map((i) => (i.expected === 'never' ? '(an unknown key)' : safePath(i.path))),
      ),
    ].join(', ');
    throw new ApiFailure(422, 'invalid_body', `The body does not match the schema at: ${paths}.`);
  }
  return parsed.output;
}

/**
 * The body's bytes, at most `maxBytes` (hono/body-limit): a larger Content-Length is refused at once, and a body
 * without one (chunked) as soon as it passes the cap, never buffered whole. 413 body_too_large either way.
 */
async function readCapped(c: Context, maxBytes: number): Promise<Uint8Array> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiFailure(413, 'body_too_large', `The body must be at most ${maxBytes} bytes.`);
    },
  });
  try {
    let bytes = new Uint8Array(0);
    await limit(c, async () => {
      bytes = new Uint8Array(await c.req.arrayBuffer());
    });
    return bytes;
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    throw new ApiFailure(400, 'unreadable_body', 'The request body could not be read.');
  }
}

const SAFE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** A dotted path of schema keys and indices; any key that is not a plain identifier is masked. */
function safePath(path: v.IssuePathItem[] | undefined): string {
  if (!path || path.length === 0) return '(root)';
  return path
    .map((p) =>
      typeof p.key === 'number' ? String(p.key) : typeof p.key === 'string' && SAFE_KEY.test(p.key) ? p.key : '?',
    )
    .join('.');
}
