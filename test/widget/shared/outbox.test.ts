import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutbox, type OutboxOptions } from '../../../widget/shared/outbox.ts';
import { fakeToken, json } from '../helpers.ts';

const KEY = 'attune:outbox:s1:client';
const path = '/v1/sessions/s1/rating';
const body = { kind: 'declined' };

function outbox(fetch: OutboxOptions['fetch'], over: Partial<OutboxOptions> = {}) {
  return createOutbox({
    storageKey: KEY,
    api: 'https://api.test',
    token: 'tok',
    fetch,
    storage: localStorage,
    baseDelayMs: 1000,
    ...over,
  });
}
const stored = () => JSON.parse(localStorage.getItem(KEY) ?? '[]') as Array<{ key: string; attempts: number }>;
const keyOf = (f: ReturnType<typeof vi.fn>, call: number) =>
  ((f.mock.calls[call]![1] as RequestInit).headers as Record<string, string>)['Idempotency-Key'];

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('outbox', () => {
  it('sends with keepalive, no cookies, the token and an idempotency key, then forgets the item on 201', async () => {
    const fetch = vi.fn(async () => json(201, { status: 'declined', receivedAt: 1 }));
    const onDelivered = vi.fn();
    const ob = outbox(fetch, { onDelivered });
    const item = ob.enqueue('rating', path, body);
    await ob.flush();
    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0]! as unknown as [string, RequestInit];
    expect(url).toBe('https://api.test/v1/sessions/s1/rating');
    expect(init).toMatchObject({
      method: 'POST',
      keepalive: true,
      credentials: 'omit',
      headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json', 'Idempotency-Key': item.key },
    });
    expect(JSON.parse(init.body as string)).toEqual(body);
    expect(item.key).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(onDelivered).toHaveBeenCalledWith(
      expect.objectContaining({ status: 201, item: expect.objectContaining({ key: item.key }) }),
    );
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('keeps the item across a reload when the network is down, and the next page flushes it', async () => {
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const first = outbox(down);
    const item = first.enqueue('rating', path, body);
    await first.flush();
    first.stop(); // the tab closes
    expect(stored()).toEqual([expect.objectContaining({ key: item.key, attempts: 1 })]);

    const up = vi.fn(async () => json(201, { status: 'declined', receivedAt: 1 }));
    const second = outbox(up); // a new module instance after reload
    expect(second.items().map((i) => i.key)).toEqual([item.key]);
    await second.flush();
    expect(keyOf(up, 0)).toBe(item.key);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('retries with backoff on network errors, 5xx and 429, reusing the same idempotency key', async () => {
    vi.useFakeTimers();
    const fetch = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('offline'))
      .mockResolvedValueOnce(json(503, { error: { code: 'unavailable', message: '' } }))
      .mockResolvedValueOnce(json(429, { error: { code: 'rate_limited', message: '' } }))
      .mockResolvedValueOnce(json(201, { status: 'declined', receivedAt: 1 }));
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: retries at 1 s, then 2 s, then 4 s
    const ob = outbox(fetch);
    const item = ob.enqueue('rating', path, body);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(3999);
    expect(fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(4);
    expect([0, 1, 2, 3].map((i) => keyOf(fetch, i))).toEqual([item.key, item.key, item.key, item.key]);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('retries 404 and 408 too (a transient wrong deploy or a timeout must not drop a rating), same key', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(404, { error: { code: 'not_found', message: '' } }))
      .mockResolvedValueOnce(new Response('', { status: 408 }))
      .mockResolvedValueOnce(json(201, { status: 'rated', receivedAt: 1 }));
    const onError = vi.fn();
    const onDelivered = vi.fn();
    const ob = outbox(fetch, { onError, onDelivered });
    const item = ob.enqueue('rating', path, body);
    await vi.advanceTimersByTimeAsync(0);
    expect(stored()).toEqual([expect.objectContaining({ key: item.key, attempts: 1 })]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(stored()).toEqual([expect.objectContaining({ key: item.key, attempts: 2 })]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect([0, 1, 2].map((i) => keyOf(fetch, i))).toEqual([item.key, item.key, item.key]);
    expect(onError).not.toHaveBeenCalled();
    expect(onDelivered).toHaveBeenCalledWith(expect.objectContaining({ status: 201, queue: KEY }));
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const limited = new Response('{}', { status: 429, headers: { 'Retry-After': '30' } });
    const fetch = vi.fn().mockResolvedValueOnce(limited).mockResolvedValue(json(201, {}));
    const ob = outbox(fetch);
    ob.enqueue('rating', path, body);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('drops the item on 409 (the API already holds it) and reports it delivered', async () => {
    const fetch = vi.fn(async () => json(409, { error: { code: 'already_rated', message: 'x' } }));
    const onDelivered = vi.fn();
    const onError = vi.fn();
    const ob = outbox(fetch, { onDelivered, onError });
    ob.enqueue('rating', path, body);
    await ob.flush();
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(onDelivered).toHaveBeenCalledWith(expect.objectContaining({ status: 409 }));
    expect(onError).not.toHaveBeenCalled();
  });

  it('drops the item on another 4xx and reports the error code', async () => {
    const fetch = vi.fn(async () => json(400, { error: { code: 'invalid_body', message: 'x' } }));
    const onError = vi.fn();
    const ob = outbox(fetch, { onError });
    ob.enqueue('rating', path, body);
    await ob.flush();
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid_body' }), expect.anything(), KEY);
  });

  it('keeps the item on 401 for the next page load, which brings a fresh token', async () => {
    const fetch = vi.fn(async () => json(401, { error: { code: 'token_expired', message: 'x' } }));
    const onError = vi.fn();
    const ob = outbox(fetch, { onError });
    ob.enqueue('rating', path, body);
    await ob.flush();
    await ob.flush();
    expect(fetch).toHaveBeenCalledOnce();
    expect(stored()).toHaveLength(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'token_expired' }), expect.anything(), KEY);
  });

  it('flushes when the page is hidden and when the browser comes back online; listen() returns its teardown', async () => {
    const fetch = vi.fn().mockRejectedValueOnce(new TypeError('offline')).mockResolvedValue(json(201, {}));
    const ob = outbox(fetch, { baseDelayMs: 60_000 });
    const stop = ob.listen(window);
    ob.enqueue('rating', path, body);
    await vi.waitFor(() => expect(stored()[0]?.attempts).toBe(1)); // the send failed; next retry in a minute
    expect(fetch).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(localStorage.getItem(KEY)).toBeNull());
    expect(fetch).toHaveBeenCalledTimes(2);

    fetch.mockRejectedValueOnce(new TypeError('offline'));
    ob.enqueue('rating', path, body);
    await vi.waitFor(() => expect(stored()[0]?.attempts).toBe(1));
    expect(fetch).toHaveBeenCalledTimes(3);
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() => expect(localStorage.getItem(KEY)).toBeNull());
    expect(fetch).toHaveBeenCalledTimes(4);

    stop();
    ob.stop();
    fetch.mockClear();
    ob.enqueue('x', path, body); // enqueue still sends once by itself
    await ob.flush();
    window.dispatchEvent(new Event('online'));
    await Promise.resolve();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps the queue in memory when storage is blocked', async () => {
    const fetch = vi.fn().mockRejectedValueOnce(new TypeError('offline')).mockResolvedValue(json(201, {}));
    const ob = outbox(fetch, { storage: null, baseDelayMs: 60_000 });
    const item = ob.enqueue('rating', path, body);
    await ob.flush();
    expect(ob.items().map((i) => i.key)).toEqual([item.key]);
    await ob.flush();
    expect(ob.items()).toEqual([]);
    ob.stop();
  });

  it("stores each item's token; any page (another session, another role) flushes every queue with each item's own token", async () => {
    const tokA = fakeToken({ role: 'client', sid: 'a', exp: Math.floor(Date.now() / 1000) + 3600 });
    const down = vi.fn(async () => {
      throw new TypeError('offline');
    });
    const a = createOutbox({
      storageKey: 'attune:outbox:a:client',
      api: 'https://api-a.test',
      token: tokA,
      fetch: down,
      storage: localStorage,
    });
    const item = a.enqueue('rating', '/v1/sessions/a/rating', body);
    await a.flush();
    a.stop(); // the tab closes with the rating unsent
    localStorage.setItem('unrelated', 'x');

    const up = vi.fn(async () => json(201, { status: 'declined', receivedAt: 1 }));
    const onDelivered = vi.fn();
    const b = createOutbox({
      storageKey: 'attune:outbox:b:therapist',
      api: 'https://api-b.test',
      token: 'tokB',
      fetch: up,
      storage: localStorage,
      onDelivered,
    });
    await b.flush();
    expect(up).toHaveBeenCalledOnce();
    const [url, init] = up.mock.calls[0]! as unknown as [string, RequestInit];
    expect(url).toBe('https://api-a.test/v1/sessions/a/rating');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer ' + tokA, 'Idempotency-Key': item.key });
    expect(onDelivered).toHaveBeenCalledWith(expect.objectContaining({ status: 201, queue: 'attune:outbox:a:client' }));
    expect(localStorage.getItem('attune:outbox:a:client')).toBeNull();
    expect(localStorage.getItem('unrelated')).toBe('x');
  });

  it('a 401 keeps that item (token within its 7-day grace) and goes on with the others; past the grace it is dropped', async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = fakeToken({ sid: 'a', exp: now - 3600 }); // expired an hour ago: the Worker still takes a rating
    const stale = fakeToken({ sid: 'c', exp: now - 8 * 86_400 }); // beyond the grace: a 401 is final
    const seed = (sid: string, token: string) =>
      createOutbox({
        storageKey: `attune:outbox:${sid}:client`,
        api: 'https://api.test',
        token,
        fetch: vi.fn(async () => Promise.reject(new TypeError('x'))),
        storage: localStorage,
      });
    const ka = seed('a', fresh).enqueue('rating', '/v1/sessions/a/rating', body).key;
    seed('c', stale).enqueue('rating', '/v1/sessions/c/rating', body);
    await new Promise((r) => setTimeout(r, 0));

    const fetch = vi.fn(async (url: string) =>
      url.includes('/s1/')
        ? json(201, { status: 'declined', receivedAt: 1 })
        : json(401, { error: { code: 'token_expired', message: '' } }),
    );
    const onError = vi.fn();
    const onDelivered = vi.fn();
    const ob = outbox(fetch as never, { onError, onDelivered });
    const order = ['attune:outbox:a:client', 'attune:outbox:c:client'];
    ob.enqueue('rating', path, body);
    await ob.flush();
    // Its own item first, then both others; the 401 on `a` did not stop `c` from being tried.
    expect(fetch.mock.calls.map(([u]) => u).sort()).toEqual([
      'https://api.test/v1/sessions/a/rating',
      'https://api.test/v1/sessions/c/rating',
      'https://api.test' + path,
    ]);
    expect(onDelivered).toHaveBeenCalledOnce();
    expect(JSON.parse(localStorage.getItem(order[0]!)!)).toEqual([expect.objectContaining({ key: ka })]);
    expect(localStorage.getItem(order[1]!)).toBeNull();
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringContaining('kept') }),
      expect.anything(),
      order[0],
    );
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'token_expired', message: expect.stringContaining('refused (401') }),
      expect.anything(),
      order[1],
    );
    // The kept item is not retried by this page (its token will not get better here), but a new item is sent.
    fetch.mockClear();
    await ob.flush();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('holds a snapshot unsent on this page; the next enqueue of its kind replaces it under the same key; another page sends it once stale', async () => {
    const fetch = vi.fn(async () => json(201, { status: 'recorded', receivedAt: 1 }));
    const ob = outbox(fetch);
    const draft = ob.enqueue('pacing', '/v1/sessions/s1/pacing', { n: 1 }, true);
    const again = ob.enqueue('pacing', '/v1/sessions/s1/pacing', { n: 2 }, true);
    expect(again.key).toBe(draft.key);
    await ob.flush();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(fetch).not.toHaveBeenCalled();
    expect(stored()).toEqual([expect.objectContaining({ key: draft.key, body: { n: 2 } })]);

    // Another page leaves a snapshot alone while it is fresh (its tab may still be in the call, rewriting it)...
    const later = createOutbox({
      storageKey: 'attune:outbox:s9:client',
      api: 'https://api.test',
      token: 't9',
      fetch,
      storage: localStorage,
    });
    await later.flush();
    expect(fetch).not.toHaveBeenCalled();
    // ...and sends it once it has not been rewritten for 5 minutes (the tab closed): the best there is.
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 5 * 60_000 + 1);
    await later.flush();
    vi.mocked(Date.now).mockRestore();
    expect(fetch).toHaveBeenCalledOnce();
    expect(keyOf(fetch, 0)).toBe(draft.key);
    expect(JSON.parse((fetch.mock.calls[0]! as unknown as [string, RequestInit])[1].body as string)).toEqual({ n: 2 });

    // On the page that wrote it, the final enqueue replaces the held snapshot and sends it under the same key.
    fetch.mockClear();
    const ob2 = outbox(fetch);
    const d2 = ob2.enqueue('pacing', '/v1/sessions/s1/pacing', { n: 3 }, true);
    const final = ob2.enqueue('pacing', '/v1/sessions/s1/pacing', { n: 4 });
    await ob2.flush();
    expect(final.key).toBe(d2.key);
    expect(fetch).toHaveBeenCalledOnce();
    expect(keyOf(fetch, 0)).toBe(d2.key);
    expect(localStorage.getItem(KEY)).toBeNull();
  });
});
