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
  const bytes = await readCapped(c.req.raw, maxBytes);

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
 * The body's bytes, read from the stream with a byte cap: a body without Content-Length (chunked) is refused
 * with 413 as soon as it passes `maxBytes`, never buffered whole.
 */
async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new ApiFailure(413, 'body_too_large', `The body must be at most ${maxBytes} bytes.`);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    throw new ApiFailure(400, 'unreadable_body', 'The request body could not be read.');
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
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
