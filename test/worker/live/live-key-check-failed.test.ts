// A publish that cannot check its sockets' keys (D1 unavailable to the object) sends them nothing, and closes them
// 1011 rather than leaving them open and silent: the widget reconnects and reads the summary from D1. Left open, the
// therapist's card would stay on the old summary for good (an open socket is never polled).
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../../../schemas/index.ts';
import { CLOSE_SUMMARY_FAILED } from '../../../worker/live/session-live.ts';
import { GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';
import { openLive } from './live-helpers.ts';

const status = (m: string) => (JSON.parse(m) as { summary: SessionSummary }).summary.status;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a publish whose key check fails', () => {
  it('closes the sockets 1011 (the widget reconnects and reads the rating)', async () => {
    const p = await seedPlatform();
    const live = await openLive(await p.mint({ role: 'therapist' }));
    expect(status(await live.next())).toBe('pending');
    const closed = new Promise<number>((resolve) => live.ws.addEventListener('close', (e) => resolve(e.code)));

    // Only the object's key check fails: the rating's own reads and writes go through.
    const proto = Object.getPrototypeOf(env.DB) as { prepare: D1Database['prepare'] };
    const prepare = proto.prepare;
    vi.spyOn(proto, 'prepare').mockImplementation(function (this: D1Database, sql: string) {
      if (/FROM platform_keys WHERE kid IN/.test(sql)) throw new Error('D1_ERROR: injected (test)');
      return prepare.call(this, sql);
    });
    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
    // Either the socket is closed, or a ping round trip shows it is still open (before the fix: open, silent).
    const received = live.drain().catch(() => new Promise<never>(() => {}));
    const outcome = await Promise.race([closed.then((code) => ({ code })), received.then((got) => ({ got }))]);
    expect(outcome).toEqual({ code: CLOSE_SUMMARY_FAILED });

    vi.restoreAllMocks();
    const again = await openLive(await p.mint({ role: 'therapist' }));
    expect(status(await again.next())).toBe('rated');
    again.ws.close(1000);
  });
});
