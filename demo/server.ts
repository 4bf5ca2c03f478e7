// The demo "telehealth platform": a static host on its own origin with a strict CSP, as a real platform would be.
// Usage: node demo/server.ts --port 8788 --api http://127.0.0.1:8787
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wav': 'audio/wav',
  '.svg': 'image/svg+xml',
};

/** Browser builds the demo pages load from node_modules, as a platform would self-host them. */
const VENDOR: Record<string, string> = {
  '/vendor/livekit-client.umd.js': join(
    import.meta.dirname,
    '../node_modules/livekit-client/dist/livekit-client.umd.js',
  ),
};

export interface DemoHostOptions {
  port: number;
  host?: string;
  api: string;
  root?: string;
}

export function contentSecurityPolicy(api: string, nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${api} 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    `connect-src 'self' ${api} ${api.replace(/^http/, 'ws')}`,
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function startDemoHost({
  port,
  host = '127.0.0.1',
  api,
  root = join(import.meta.dirname, 'public'),
}: DemoHostOptions): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = VENDOR[path] ?? normalize(join(root, path));
    if (!VENDOR[path] && !file.startsWith(root)) {
      res.writeHead(404).end();
      return;
    }
    try {
      let body: Buffer | string = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store' };
      if (type.startsWith('text/html')) {
        const nonce = randomBytes(16).toString('base64');
        body = body.toString('utf8').replaceAll('{{nonce}}', nonce).replaceAll('{{api}}', api);
        headers['content-security-policy'] = contentSecurityPolicy(api, nonce);
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (import.meta.main) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
  };
  const port = Number(arg('port', '8788'));
  const api = arg('api', 'http://127.0.0.1:8787');
  await startDemoHost({ port, api, host: arg('host', '127.0.0.1') });
  console.log(`demo platform: http://127.0.0.1:${port}/  (API ${api})`);
}
