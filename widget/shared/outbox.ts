import { OFFLINE_RATING_GRACE_SECONDS } from '../../schemas/token-limits.ts';
import { backoff } from './backoff.ts';
import type { WidgetError } from './contract.ts';
import { tokenPayload } from './token-payload.ts';

/** One submission waiting to reach the API. Its idempotency key is made once and stored with it. */
export interface OutboxItem {
  key: string;
  kind: string;
  /** Path under the API origin, e.g. `/v1/session/rating`. */
  path: string;
  body: unknown;
  createdAt: number;
  attempts: number;
  /**
   * The session token and API origin of the page that queued it, so that any later page (another session, another
   * role) can send it. Items from before these fields existed are sent only by their own session's page.
   */
  token?: string;
  api?: string;
  /** Held (see `enqueue`): a snapshot its page keeps replacing while it lives; `createdAt` is its last write. */
  held?: 1;
}

export interface Delivered {
  item: OutboxItem;
  status: number;
  body: unknown;
  /** The storage key of the queue it came from (this page's own, or another session's). */
  queue: string;
}

export interface OutboxOptions {
  /** localStorage key of this page's queue (one per session and role); starts with `attune:outbox:`. */
  storageKey: string;
  api: string;
  token: string;
  fetch?: typeof fetch;
  storage?: Storage | null;
  /**
   * 2xx, or 409 with one of `alreadyCodes`: the API holds a submission of this kind for the session (this one, or
   * another of the same participant's, e.g. from a second tab: `status` 409 tells them apart).
   */
  onDelivered?: (d: Delivered) => void;
  /** Refused for good (the item is dropped), or refused for now (401: kept). */
  onError?: (err: WidgetError, item: OutboxItem, queue: string) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Each attempt is abandoned (and retried) after this long without an answer. */
  timeoutMs?: number;
  /** 409 codes meaning "the API already holds one" (anything else a 409 says is not a delivery). */
  alreadyCodes?: readonly string[];
}

export interface Outbox {
  /**
   * Queues a POST and sends it. With `hold`, it is only stored: this page never sends it, and its next enqueue of
   * the same kind replaces it under the same idempotency key; another page sends it once it has not been
   * rewritten for 5 minutes (its page is gone).
   */
  enqueue(kind: string, path: string, body: unknown, hold?: boolean): OutboxItem;
  /** This page's own queue. */
  items(): OutboxItem[];
  /** True when the item is in storage (survives this page); false when only this page's memory holds it. */
  saved(key: string): boolean;
  /** Sends every queue in storage (`attune:outbox:*`), each item with its own token. */
  flush(): Promise<void>;
  /**
   * Flush on `online` (abandoning attempts still waiting for an answer: they went out on the old network) and when
   * the page is hidden (not `unload`: it breaks the back/forward cache).
   */
  listen(win: Window): () => void;
  /** Cancel the pending retry timer. */
  stop(): void;
}

const PREFIX = 'attune:outbox:';
/**
 * A held snapshot written within this long may belong to a page that is still alive (another tab mid-call, which
 * rewrites it about once a second): other pages leave it alone until it is older.
 */
const HELD_FRESH_MS = 5 * 60_000;

/** localStorage, or null where it is blocked. */
export function defaultStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked (sandboxed iframe, privacy settings): keep the queue in memory
  }
}

/** The token's `exp` (epoch s), decoded without verification; 0 when unreadable. */
const expOf = (token: string): number => Number(tokenPayload(token)?.exp) || 0;

/**
 * A queue of POSTs that survives a network drop, a closed tab and an expired token: kept in localStorage and,
 * whatever storage does (full, blocked), in this page's memory, which is what this page sends; sent with
 * `keepalive`; each attempt times out; retried with backoff on network errors, timeouts, 5xx, 429, 404 and 408
 * (a transient wrong deploy must not lose a rating); kept on 401 until 7 days past the token's expiry; delivered
 * on 2xx or a 409 in `alreadyCodes`; dropped, as refused, on any other 4xx (409 `idempotency_conflict` and 410
 * `client_erased` included). Any page flushes every queue of the
 * origin, so a rating left behind by one session is sent by the next page that mounts the widget, whatever its
 * session or role. Generic: any JSON body to any API path.
 */
export function createOutbox(opts: OutboxOptions): Outbox {
  const own = opts.storageKey;
  const storage = opts.storage === undefined ? defaultStorage() : opts.storage;
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const already = opts.alreadyCodes ?? ['already_rated', 'already_recorded'];
  /** Items this page queued and has not settled: sent from here even when storage lost or never took them. */
  const memory = new Map<string, OutboxItem>();
  /** Items whose last write reached storage. */
  const stored = new Set<string>();
  /** Attempts waiting for an answer, abandoned on `online`. */
  const inflight = new Set<AbortController>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  /** Items this page does not send: refused (401) for now, or held (a snapshot this page will replace). */
  const skip = new Set<string>();
  const held = new Set<string>();

  /** The queue in storage, plus (for this page's own queue) what only memory holds. */
  const read = (q = own): OutboxItem[] => {
    let items: OutboxItem[] = [];
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(q) ?? '[]');
      // Only items with a key: junk left in storage must not stop this page's own sends (or its retries).
      if (Array.isArray(parsed)) items = parsed.filter((i) => typeof i?.key === 'string');
    } catch {
      // blocked or corrupt: memory below is all there is
    }
    if (q !== own) return items;
    const seen = new Set(items.map((i) => i.key));
    return [...items.map((i) => memory.get(i.key) ?? i), ...[...memory.values()].filter((i) => !seen.has(i.key))];
  };
  const write = (q: string, items: OutboxItem[]) => {
    if (q === own) {
      const keep = new Set(items.map((i) => i.key));
      for (const k of memory.keys()) if (!keep.has(k)) memory.delete(k);
      for (const i of items) if (memory.has(i.key)) memory.set(i.key, i);
    }
    try {
      // Without storage (null) these throw as well.
      if (items.length) storage!.setItem(q, JSON.stringify(items));
      else storage!.removeItem(q);
      for (const i of items) stored.add(i.key);
    } catch {
      // Full or blocked: what this page queued is still sent from memory while the page lives.
      for (const i of items) stored.delete(i.key);
    }
  };
  const update = (q: string, key: string, fn: (i: OutboxItem) => OutboxItem | null) =>
    write(
      q,
      read(q).flatMap((i) => (i.key === key ? (fn(i) ?? []) : [i])),
    );
  const queues = (): string[] => {
    const all = [own];
    try {
      for (let n = 0; storage && n < storage.length; n++) {
        const k = storage.key(n);
        if (k?.startsWith(PREFIX) && k !== own) all.push(k);
      }
    } catch {
      // storage blocked: only this page's queue
    }
    return all;
  };

  /** Sends one item; returns the delay before it should be retried, or 0 when it is settled for this page. */
  const send = async (q: string, item: OutboxItem): Promise<number> => {
    const token = item.token || (q === own ? opts.token : '');
    if (
      !token ||
      skip.has(item.key) ||
      held.has(item.key) ||
      (item.held && Date.now() - item.createdAt < HELD_FRESH_MS)
    )
      return 0;
    const retry = (retryAfterMs = 0) => {
      update(q, item.key, (i) => ({ ...i, attempts: i.attempts + 1 }));
      return Math.max(retryAfterMs, backoff(item.attempts, base, max) * (1 + Math.random() * 0.2));
    };
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), timeoutMs);
    inflight.add(abort);
    let res: Response;
    let body: unknown;
    try {
      res = await doFetch((item.api || opts.api) + item.path, {
        method: 'POST',
        keepalive: true,
        credentials: 'omit',
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', 'Idempotency-Key': item.key },
        body: JSON.stringify(item.body),
        signal: abort.signal,
      });
      body = await res.json().catch(() => null);
    } catch {
      return retry(); // offline, timed out, or abandoned on `online`: the same key makes a late write harmless
    } finally {
      clearTimeout(timeout);
      inflight.delete(abort);
    }
    const s = res.status;
    if (s >= 500 || s === 429 || s === 404 || s === 408)
      return retry(Number(res.headers.get('Retry-After')) * 1000 || 0);
    const code = (body as { error?: { code?: string } } | null)?.error?.code ?? 'http_' + s;
    if (s === 401 && (expOf(token) || item.createdAt / 1000) + OFFLINE_RATING_GRACE_SECONDS > Date.now() / 1000) {
      // Refused for now (the token is still within its grace, or another reason): kept for a later page.
      skip.add(item.key);
      opts.onError?.({ code, message: 'Attune: token refused; the submission is kept' }, item, q);
      return 0;
    }
    update(q, item.key, () => null);
    if (res.ok || (s === 409 && already.includes(code))) opts.onDelivered?.({ item, status: s, body, queue: q });
    else opts.onError?.({ code, message: `Attune: the submission was refused (${s} ${code})` }, item, q);
    return 0;
  };

  const flush = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(timer);
    again = false;
    running = (async () => {
      let wait = Infinity;
      for (const q of queues()) for (const item of read(q)) wait = Math.min(wait, (await send(q, item)) || Infinity);
      if (wait < Infinity) timer = setTimeout(() => void flush(), wait);
    })().finally(() => {
      running = null;
    });
    // A flush asked for while one was running (an `online` event, a new item) gets its own pass afterwards.
    return running.then(() => (again ? flush() : undefined));
  };

  return {
    enqueue(kind, path, body, hold) {
      const prev = read().find((i) => i.kind === kind && held.has(i.key));
      const item: OutboxItem = {
        key: prev?.key ?? crypto.randomUUID(),
        kind,
        path,
        body,
        createdAt: Date.now(),
        attempts: 0,
        token: opts.token,
        api: opts.api,
      };
      held.delete(item.key);
      if (hold) {
        held.add(item.key);
        item.held = 1;
      }
      memory.set(item.key, item);
      write(own, [...read().filter((i) => i.key !== item.key), item]);
      if (!hold) void flush();
      return item;
    },
    items: () => read(),
    saved: (key) => stored.has(key),
    flush,
    listen(win) {
      const onOnline = () => {
        for (const a of inflight) a.abort();
        void flush();
      };
      const onVisibility = () => win.document.visibilityState === 'hidden' && void flush();
      win.addEventListener('online', onOnline);
      win.document.addEventListener('visibilitychange', onVisibility);
      return () => {
        win.removeEventListener('online', onOnline);
        win.document.removeEventListener('visibilitychange', onVisibility);
      };
    },
    stop: () => clearTimeout(timer),
  };
}
