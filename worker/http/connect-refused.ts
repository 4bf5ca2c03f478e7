/** Methods the API answers at all (what a CONNECT is told to use instead). */
export const API_METHODS = 'GET, POST, OPTIONS';

/**
 * workerd hands an HTTP CONNECT to the default export's `connect(socket)`, not to `fetch` (a Request cannot carry
 * that method); without this handler it answers 500 "does not export a connect() function". We write the same
 * 405 JSON answer any other unsupported method gets on the raw socket, then close it: nothing is tunnelled.
 */
export async function refuseConnect(socket: Socket): Promise<void> {
  const body = JSON.stringify({ error: { code: 'method_not_allowed', message: `Allowed methods: ${API_METHODS}.` } });
  const head = [
    'HTTP/1.1 405 Method Not Allowed',
    'Content-Type: application/json',
    `Allow: ${API_METHODS}`,
    'Cache-Control: no-store',
    `Content-Length: ${new TextEncoder().encode(body).byteLength}`,
    'Connection: close',
  ].join('\r\n');
  const writer = socket.writable.getWriter();
  try {
    await writer.write(new TextEncoder().encode(`${head}\r\n\r\n${body}`));
    await writer.close();
  } catch {
    // the peer went away: nothing to answer
  } finally {
    await socket.close().catch(() => {});
  }
}
