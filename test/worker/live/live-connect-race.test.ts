// A rating that lands while a new socket's first summary is being read: the socket gets the rating's publish (it was
// accepted before the read), and the read, taken before the rating was written, must not follow it with the older
// "pending". An open socket is never polled, so the therapist's card would stay on "pending" for good.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../../../schemas/index.ts';
import { GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';
import { openLive } from './live-helpers.ts';

const status = (m: string) => (JSON.parse(m) as { summary: SessionSummary }).summary.status;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a rating during a socket’s first read', () => {
  it('is the last summary the socket gets', async () => {
    const p = await seedPlatform();
    const therapist = await p.mint({ role: 'therapist' });

    const client = await p.mint({});

    // The next batch (the socket's first read) runs at once, so it sees no rating; before it answers, the rating is
    // posted (from the object's own context: a promise from the test's would be I/O of another context).
    const proto = Object.getPrototypeOf(env.DB) as { batch: D1Database['batch'] };
    const batch = proto.batch;
    let armed = true;
    let rated = 0;
    vi.spyOn(proto, 'batch').mockImplementation(async function (this: D1Database, statements) {
      if (!armed) return batch.call(this, statements);
      armed = false;
      const results = await batch.call(this, statements);
      rated = (await postJson(sessionPath('rating'), client, GOOD_RATING)).status;
      return results;
    });

    const live = await openLive(therapist);
    expect(rated).toBe(201);
    const got = await live.drain();
    expect(got.map(status)).toEqual(['rated']);
    live.ws.close(1000);
  });
});
