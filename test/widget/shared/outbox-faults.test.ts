// The outbox under faults: storage full or blocked, attempts that never answer, 409s that are not deliveries,
// 410 for an erased client, two pages of one session, and keys scoped per session.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutbox, type OutboxOptions } from '../../../widget/shared/outbox.ts';
import { json } from '../helpers.ts';

const KEY = 'attune:outbox:s1:client';
const path = '/v1/sessions/s1/rating';
const body = { kind: 'declined' };
const outbox = (fetch: OutboxOptions['fetch'], over: Partial<OutboxOptions> = {}) =>
  createOutbox({
    storageKey: KEY,
    api: 'https://api.test',
    token: 'tok',
    fetch,
    storage: localStorage,
    baseDelayMs: 1000,
    ...over,
  });
const keyOf = (f: ReturnType<typeof vi.fn>, call: number) =>
  ((f.mock.calls[call]![1] as RequestInit).headers as Record<string, string>)['Idempotency-Key'];

/** A Storage whose setItem always throws, as a full localStorage does. */
function fullStorage(): Storage {
  const s = localStorage;
  return {
    get length() {
      return s.length;
    },
    key: (n) => s.key(n),
    getItem: (k) => s.getItem(k),
    removeItem: (k) => s.removeItem(k),
    clear: () => s.clear(),
    setItem: () => {
      throw new DOMException('quota', 'QuotaExceededError');
    },
  };
}

/** A fetch that never answers until its signal aborts. */
const hang = (_url: string, init?: RequestInit) =>
  new Promise<Response>((_, reject) =>
    init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
  );

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('outbox under faults', () => {
  it('storage full: the item lives in memory, is reported as not saved, and is sent on the retry', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fetch = vi.fn().mockRejectedValueOnce(new TypeError('offline')).mockResolvedValue(json(201, {}));
    const onDelivered = vi.fn();
    const ob = outbox(fetch, { storage: fullStorage(), onDelivered });
    const item = ob.enqueue('rating', path, body);
    await vi.advanceTimersByTimeAsync(0);
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(ob.saved(item.key)).toBe(false);
    expect(ob.items().map((i) => i.key)).toEqual([item.key]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(keyOf(fetch, 1)).toBe(item.key);
    expect(onDelivered).toHaveBeenCalledWith(expect.objectContaining({ status: 201 }));
    expect(ob.items()).toEqual([]);
  });

  it('storage that works reports the item saved; storage blocked (null) reports it not saved', () => {
    const down = vi.fn(async () => Promise.reject(new TypeError('offline')));
    const a = outbox(down, { baseDelayMs: 60_000 });
    expect(a.saved(a.enqueue('rating', path, body).key)).toBe(true);
    a.stop();
    const b = outbox(down, { storage: null, storageKey: 'attune:outbox:s2:client', baseDelayMs: 60_000 });
    expect(b.saved(b.enqueue('rating', path, body).key)).toBe(false);
    b.stop();
  });

  it('an attempt that never answers is abandoned after timeoutMs and retried with backoff under the same key', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fetch = vi.fn(hang);
    const ob = outbox(fetch as never, { timeoutMs: 5000 });
    const item = ob.enqueue('rating', path, body);
    await vi.advanceTimersByTimeAsync(4999);
    expect(fetch).toHaveBeenCalledTimes(1);
    fetch.mockImplementation(async () => json(201, {}));
    await vi.advanceTimersByTimeAsync(1); // timed out; the retry waits 1 s
    expect(ob.items()[0]?.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(keyOf(fetch, 1)).toBe(item.key);
    expect(ob.items()).toEqual([]);
  });

  it('`online` abandons a hanging attempt and sends again at once', async () => {
    const fetch = vi.fn(hang);
    const ob = outbox(fetch as never, { timeoutMs: 600_000, baseDelayMs: 600_000 });
    const stop = ob.listen(window);
    const item = ob.enqueue('rating', path, body);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    fetch.mockImplementation(async () => json(201, {}));
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(ob.items()).toEqual([]));
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(keyOf(fetch, 1)).toBe(item.key);
    stop();
    ob.stop();
  });

  it('only a 409 already_rated counts as delivered; idempotency_conflict and 410 client_erased are refusals', async () => {
    for (const [status, code, delivered] of [
      [409, 'already_rated', true],
      [409, 'idempotency_conflict', false],
      [409, 'conflict', false],
      [410, 'client_erased', false],
    ] as const) {
      localStorage.clear();
      const onDelivered = vi.fn();
      const onError = vi.fn();
      const ob = outbox(
        vi.fn(async () => json(status, { error: { code, message: '' } })),
        { onDelivered, onError },
      );
      ob.enqueue('rating', path, body);
      await ob.flush();
      expect(ob.items()).toEqual([]);
      expect(onDelivered).toHaveBeenCalledTimes(delivered ? 1 : 0);
      if (!delivered) expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }), expect.anything(), KEY);
    }
  });

  it('two pages of one session: each sends its own item even after the other page removed it from storage', async () => {
    const seen: string[] = [];
    const fetch = vi.fn(async (_u: string, init?: RequestInit) => {
      const k = (init!.headers as Record<string, string>)['Idempotency-Key']!;
      seen.push(k);
      return seen.length === 1 ? json(201, {}) : json(409, { error: { code: 'already_rated', message: '' } });
    });
    const aDelivered = vi.fn();
    const bDelivered = vi.fn();
    const a = outbox(fetch as never, { onDelivered: aDelivered });
    const b = outbox(fetch as never, { onDelivered: bDelivered });
    const ia = a.enqueue('rating', path, { kind: 'declined' });
    const ib = b.enqueue('rating', path, { kind: 'declined', n: 2 });
    await a.flush();
    await b.flush();
    expect(localStorage.getItem(KEY)).toBeNull();
    // Page b learns of its own item's fate from the API, not from a shared storage key another page cleared.
    expect(bDelivered).toHaveBeenCalledWith(
      expect.objectContaining({ item: expect.objectContaining({ key: ib.key }) }),
    );
    expect(aDelivered).toHaveBeenCalledWith(
      expect.objectContaining({ item: expect.objectContaining({ key: ia.key }) }),
    );
    expect(new Set(seen)).toEqual(new Set([ia.key, ib.key]));
  });

  it.each([
    ['this page', KEY],
    ['another session', 'attune:outbox:s9:client'],
  ])(
    "junk in %s's queue in storage (null, numbers, items without a key) neither loses the rating nor stops its retries",
    async (_, junkKey) => {
      vi.useFakeTimers();
      vi.spyOn(Math, 'random').mockReturnValue(0);
      localStorage.setItem(junkKey, JSON.stringify([null, 7, 'x', { kind: 'rating' }]));
      const fetch = vi.fn().mockRejectedValueOnce(new TypeError('offline')).mockResolvedValue(json(201, {}));
      const onDelivered = vi.fn();
      const ob = outbox(fetch, { onDelivered });
      const item = ob.enqueue('rating', path, body);
      await vi.advanceTimersByTimeAsync(0);
      expect(ob.items().map((i) => i.key)).toEqual([item.key]);
      await vi.advanceTimersByTimeAsync(1000); // the retry, whatever else storage holds
      expect(fetch.mock.calls.map((_, n) => keyOf(fetch, n))).toEqual([item.key, item.key]);
      expect(onDelivered).toHaveBeenCalledWith(expect.objectContaining({ status: 201 }));
      expect(ob.items()).toEqual([]);
      ob.stop();
    },
  );

  it('each submission gets a fresh random key (the Worker scopes keys per session), kept across its retries', async () => {
    const keys = Array.from({ length: 20 }, (_, n) => {
      const ob = outbox(
        vi.fn(async () => Promise.reject(new TypeError('offline'))),
        { storageKey: `attune:outbox:s${n}:client`, baseDelayMs: 60_000 },
      );
      const key = ob.enqueue('rating', path, body).key;
      ob.stop();
      return key;
    });
    expect(new Set(keys).size).toBe(20);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Without storage, so that only this queue is flushed (a page sends every session's leftovers it can see).
    const f = vi.fn(async () => Promise.reject(new TypeError('offline')));
    const ob = outbox(f, { baseDelayMs: 0, storage: null });
    const item = ob.enqueue('rating', path, body);
    await ob.flush();
    await ob.flush();
    expect(f.mock.calls.length).toBeGreaterThanOrEqual(2);
    for (let c = 0; c < f.mock.calls.length; c++) expect(keyOf(f, c)).toBe(item.key);
    ob.stop();
  });
});
