import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

/** Everything the Worker writes on a socket until it closes it. */
async function readAll(socket: Socket): Promise<string> {
  const reader = socket.readable.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value as Uint8Array, { stream: true });
  }
}

describe('CONNECT', () => {
  it('gets 405 with Allow and a JSON error, like any other unsupported method (not a 500)', async () => {
    const socket = (exports.default as unknown as Fetcher).connect('api.attune.test:443');
    const raw = await readAll(socket);
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(head).toContain('\r\nContent-Type: application/json');
    expect(head).toContain('\r\nAllow: ');
    expect(JSON.parse(body!)).toEqual({ error: { code: 'method_not_allowed', message: expect.any(String) } });
  });
});
