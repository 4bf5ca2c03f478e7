import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PENDING_SUMMARY, type SessionSummary } from '../../../schemas/summary.ts';
import {
  isFinal,
  liveSummary,
  liveUrl,
  reconnectDelay,
  type LiveOptions,
} from '../../../widget/therapist/live-summary.ts';
import type { SummarySource } from '../../../widget/therapist/summary-source.ts';
import { FakeSocket } from './fake-socket.ts';

const latest = () => FakeSocket.all.at(-1)!;

const pending: SessionSummary = PENDING_SUMMARY;
const pacing = {
  durationSeconds: 3000,
  therapistTalkSeconds: 1200,
  clientTalkSeconds: 1500,
  overlapSeconds: 30,
  overlapCount: 12,
  silenceSeconds: 270,
  silenceCount: 40,
  longestSilenceSeconds: 12,
  longestTherapistTurnSeconds: 80,
  therapistTurns: 90,
  clientTurns: 88,
  cuesShown: 1,
};
const rated: SessionSummary = {
  ...pending,
  status: 'rated',
  items: [{ id: 'bond', value: 9 }],
  total: 36,
  maxTotal: 40,
  ratedAt: 1_800_000_000,
};
const ctx = { api: 'https://api.test', token: 'tok.en.sig', sid: 's1' };

function start(opts: LiveOptions = {}) {
  const onSummary = vi.fn<(s: SessionSummary) => void>();
  const onError = vi.fn();
  const fallbackStop = vi.fn();
  const fallback = vi.fn<SummarySource>(() => fallbackStop);
  const stop = liveSummary(ctx, {
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    fallback,
    random: () => 1,
    win: window,
    ...opts,
  })(onSummary, onError);
  return { onSummary, onError, fallback, fallbackStop, stop };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  FakeSocket.autoPong = false;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('liveSummary', () => {
  it('opens /v1/live with the token as a subprotocol (never in the URL) and delivers each summary once', () => {
    const { onSummary, stop } = start();
    const s = latest();
    expect(s.url).toBe('wss://api.test/v1/live');
    expect(s.protocols).toEqual(['attune.v1', 'bearer.tok.en.sig']);
    expect(liveUrl('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/v1/live');
    s.open();
    s.summary(pending);
    s.summary(pending); // unchanged: not passed on again
    s.push('pong');
    s.push('not json');
    s.push(JSON.stringify({ type: 'other' }));
    s.summary(rated);
    expect(onSummary.mock.calls.map(([x]) => x.status)).toEqual(['pending', 'rated']);
    stop();
  });

  it('rejects a message that does not match the schema and reports it', () => {
    const { onSummary, onError, stop } = start();
    latest().open();
    latest().push(JSON.stringify({ type: 'summary', summary: { status: 'rated' } }));
    expect(onSummary).not.toHaveBeenCalled();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'summary_invalid' }));
    stop();
  });

  it('pings every 25 s while open and drops a socket that stopped answering', async () => {
    const { stop } = start();
    const s = latest();
    s.open();
    await vi.advanceTimersByTimeAsync(25_000);
    expect(s.sent).toEqual(['ping']);
    s.push('pong');
    await vi.advanceTimersByTimeAsync(25_000);
    expect(s.sent).toEqual(['ping', 'ping']);
    // No pong this time: at the next tick the socket is given up and a new one opened after the backoff.
    await vi.advanceTimersByTimeAsync(25_000);
    expect(s.closed).toBe(1000);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    stop();
  });

  it('reconnects with exponential backoff capped at 30 s, with jitter, and resets after a good connection', async () => {
    // random() = 0.5: each delay is 3/4 of min(30 s, 1 s * 2^n).
    const { stop } = start({ random: () => 0.5, maxRefused: 100 });
    const waits: number[] = [];
    for (let n = 0; n < 7; n++) {
      const count = FakeSocket.all.length;
      if (n === 0) latest().open(); // the first one opened, briefly: not a good connection
      latest().drop();
      let waited = 0;
      while (FakeSocket.all.length === count) {
        await vi.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([750, 1500, 3000, 6000, 12_000, 22_500, 22_500]);
    expect(reconnectDelay(3, 1000, 30_000, () => 0)).toBe(4000);
    expect(reconnectDelay(3, 1000, 30_000, () => 1)).toBe(8000);

    // Open for longer than 10 s: the next drop starts again from the base delay.
    latest().open();
    await vi.advanceTimersByTimeAsync(10_000);
    latest().push('pong');
    const count = FakeSocket.all.length;
    latest().drop();
    await vi.advanceTimersByTimeAsync(749);
    expect(FakeSocket.all).toHaveLength(count);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(count + 1);
    stop();
  });

  it('reconnects at once when the browser comes back online', async () => {
    const { stop } = start();
    latest().drop();
    expect(FakeSocket.all).toHaveLength(1);
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(2);
    stop();
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('falls back to polling after 3 refused upgrades in a row, and reports it once', async () => {
    const { fallback, onError, onSummary, fallbackStop, stop } = start();
    latest().drop();
    await vi.advanceTimersByTimeAsync(1000);
    latest().drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(fallback).not.toHaveBeenCalled();
    latest().drop();
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'live_unavailable' }));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all).toHaveLength(3); // no more sockets
    // Summaries from the poller go through the same path.
    fallback.mock.calls[0]![0](rated);
    expect(onSummary).toHaveBeenCalledWith(rated);
    stop();
    expect(fallbackStop).toHaveBeenCalled();
  });

  it('stops after a 1008 close (token expired, key revoked): no reconnect, no polling, one error', async () => {
    const { fallback, onError, stop } = start();
    const s = latest();
    s.open();
    s.summary(pending);
    s.closeBy(1008);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(fallback).not.toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'live_unavailable' }));
    expect(vi.getTimerCount()).toBe(0);
    // Control: any other close is a dropped connection, reconnected after the backoff.
    const other = start();
    latest().open();
    latest().closeBy(1011);
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeSocket.all).toHaveLength(3);
    other.stop();
    stop();
  });

  it('counts only refusals in a row: an upgrade that opened resets the count', async () => {
    const { fallback, stop } = start({ random: () => 0 });
    latest().drop();
    await vi.advanceTimersByTimeAsync(30_000);
    latest().drop();
    await vi.advanceTimersByTimeAsync(30_000);
    latest().open();
    latest().drop();
    await vi.advanceTimersByTimeAsync(30_000);
    latest().drop();
    await vi.advanceTimersByTimeAsync(30_000);
    latest().drop();
    expect(fallback).not.toHaveBeenCalled();
    stop();
  });

  it('polls when there is no WebSocket at all', () => {
    const { fallback, stop } = start({ WebSocket: undefined });
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all).toHaveLength(0);
    stop();
  });

  it('polls when the constructor throws (e.g. blocked by CSP)', () => {
    class Throwing {
      constructor() {
        throw new DOMException('refused', 'SecurityError');
      }
    }
    const { fallback, stop } = start({ WebSocket: Throwing as unknown as typeof WebSocket });
    expect(fallback).toHaveBeenCalledTimes(1);
    stop();
  });

  it('stops once the summary is final (answered and pacing in), closing the socket', async () => {
    const { onSummary, stop } = start();
    const s = latest();
    s.open();
    s.summary(pending);
    s.summary({ ...rated, pacing });
    expect(isFinal({ ...rated, pacing })).toBe(true);
    expect(isFinal({ ...pending, pacing, asked: false })).toBe(false); // a late client may still rate
    expect(isFinal({ ...pending, pacing, asked: false, skipped: false })).toBe(false);
    expect(isFinal({ ...pending, pacing, asked: false, skipped: true })).toBe(true); // not asked this time: nothing to wait for
    expect(isFinal({ ...pending, pacing: null, asked: false, skipped: true })).toBe(false);
    expect(isFinal({ ...pending, pacing })).toBe(false);
    expect(s.closed).toBe(1000);
    expect(vi.getTimerCount()).toBe(0);
    s.summary({ ...rated, pacing, total: 1 });
    expect(onSummary).toHaveBeenCalledTimes(2);
    stop();
  });

  it('after a rating without pacing, keeps listening for 5 minutes, then stops', async () => {
    FakeSocket.autoPong = true;
    const { onSummary, stop } = start();
    const s = latest();
    s.open();
    s.summary({ ...pending, status: 'declined' });
    expect(isFinal({ ...pending, status: 'declined' })).toBe(false);
    await vi.advanceTimersByTimeAsync(299_000);
    expect(s.closed).toBeNull();
    expect(s.sent.length).toBe(11);
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.closed).toBe(1000);
    expect(vi.getTimerCount()).toBe(0);
    expect(onSummary).toHaveBeenCalledTimes(1);
    stop();
  });

  it('teardown closes the socket, leaves no timers and no listeners, and opens nothing later', async () => {
    const remove = vi.spyOn(window, 'removeEventListener');
    const { stop } = start();
    latest().open();
    await vi.advanceTimersByTimeAsync(30_000);
    stop();
    expect(latest().closed).toBe(1000);
    expect(vi.getTimerCount()).toBe(0);
    expect(remove).toHaveBeenCalledWith('online', expect.any(Function));

    // Teardown while waiting to reconnect.
    const second = start();
    latest().drop();
    expect(vi.getTimerCount()).toBe(1);
    second.stop();
    expect(vi.getTimerCount()).toBe(0);
    const before = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all).toHaveLength(before);
    remove.mockRestore();
  });
});
