// The widget sends nothing on its live socket but `ping` (answered by the runtime without waking the object). Any other
// message wakes the object for nothing: a holder of a valid token could keep it awake (and busy ahead of the session's
// publishes) at will. Such a socket is closed 1003 after its first other message.
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../schemas/index.ts';
import { GOOD_RATING, postJson, seedPlatform, sessionPath } from '../helpers.ts';
import { openLive } from './live-helpers.ts';

const status = (m: string) => (JSON.parse(m) as { summary: SessionSummary }).summary.status;

describe('a live socket that sends anything but ping', () => {
  it('is closed 1003; ping still gets pong, and the session’s other sockets still get the summary', async () => {
    const p = await seedPlatform();
    const chatty = await openLive(await p.mint({ role: 'therapist' }));
    const quiet = await openLive(await p.mint({ role: 'therapist' }));
    expect(status(await chatty.next())).toBe('pending');
    expect(status(await quiet.next())).toBe('pending');
    expect(await chatty.drain()).toEqual([]); // ping → pong (control)

    const closed = new Promise<number>((resolve) => chatty.ws.addEventListener('close', (e) => resolve(e.code)));
    chatty.ws.send('x'.repeat(1000));
    expect(await closed).toBe(1003);
    expect(chatty.queue).toEqual([]);

    expect((await postJson(sessionPath('rating'), await p.mint({}), GOOD_RATING)).status).toBe(201);
    expect(status(await quiet.next())).toBe('rated');
    quiet.ws.close(1000);
  });
});
