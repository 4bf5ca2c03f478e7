/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { app } from '../../../worker/index.ts';

/** Every source file that builds an API URL: the Worker, the widget, and the demo, bench and script tooling. */
const sources = import.meta.glob(
  [
    '../../../worker/**/*.ts',
    '../../../widget/**/*.{ts,tsx}',
    '../../../pacing/**/*.ts',
    '../../../demo/**/*.{ts,js}',
    '../../../bench/**/*.ts',
    '../../../scripts/**/*.ts',
  ],
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
) as Record<string, string>;

/**
 * The only query parameters any route reads: report ranges, format, instrument id (the platform's) and a delivery
 * status (one of five words), never a ref.
 */
const ALLOWED_QUERY = ['from', 'to', 'format', 'instrument', 'status'];

describe('no raw ref in any URL (observability records full URLs)', () => {
  it('no route of the app has a path parameter: sessions come from the token, the client to erase from the body', () => {
    const paths = [...new Set(app.routes.map((r) => r.path))];
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => p.split('/').some((seg) => seg.startsWith(':')))).toEqual([]);
    // Wildcards only on middleware (registered for every method), never on a handler path.
    const handlers = app.routes.filter((r) => r.method !== 'ALL');
    expect(handlers.filter((r) => r.path.includes('*')).map((r) => r.path)).toEqual([]);
    for (const p of ['/v1/session/rating', '/v1/session/pacing', '/v1/session/summary', '/v1/clients/erase'])
      expect(paths).toContain(p);
  });

  it('the Worker reads no path parameter and only from, to, format, instrument and status from a query string', () => {
    const worker = Object.entries(sources).filter(([f]) => f.includes('/worker/'));
    expect(worker.length).toBeGreaterThan(20);
    for (const [file, text] of worker) {
      expect(text, file).not.toMatch(/\.req\.param\(/);
      const names = [...text.matchAll(/\.req\.query\(\s*'([^']*)'/g)].map((m) => m[1]);
      for (const n of names) expect(ALLOWED_QUERY, `${file}: ${n}`).toContain(n);
      expect(text, file).not.toMatch(/\.req\.queries\(|\.req\.query\(\s*\)/);
    }
  });

  it('no widget, demo, bench or script code puts a session or client ref into an API path', () => {
    const clients = Object.entries(sources).filter(([f]) => !f.includes('/worker/'));
    expect(clients.length).toBeGreaterThan(20);
    for (const [file, source] of clients) {
      // Code only: a comment may still show an old path as an example.
      const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      expect(text, file).not.toMatch(/\/v1\/sessions\//);
      expect(text, file).not.toMatch(/\/v1\/clients\/\$\{|\/v1\/clients\/' *\+/);
      expect(text, file).not.toMatch(/encodeURIComponent\([^)]*\b(sid|cid|ref)\b[^)]*\)/);
    }
  });
});
