import type { WidgetError } from './contract.ts';

/** One submission waiting to reach the API. Its idempotency key is made once and stored with it. */
export interface OutboxItem {
  key: string;
  kind: string;
  /** Path under the API origin, e.g. `/v1/sessions/s1/rating`. */
  path: string;
  body: unknown;
  createdAt: number;
  attempts: number;
}

export interface Delivered {
  item: OutboxItem;
  status: number;
  body: unknown;
}

export interface OutboxOptions {
  /** localStorage key; one queue per session and role. */
  storageKey: string;
  api: string;
  token: string;
  fetch?: typeof fetch;
  storage?: Storage | null;
  /** 2xx, or 409 (the API already holds it). */
  onDelivered?: (d: Delivered) => void;
  onError?: (err: WidgetError, item: OutboxItem) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface Outbox {
  enqueue(kind: string, path: string, body: unknown): OutboxItem;
  items(): OutboxItem[];
  flush(): Promise<void>;
  /** Flush on `online` and when the page is hidden (not `unload`: it breaks the back/forward cache). */
  listen(win: Window): () => void;
  /** Cancel the pending retry timer. */
  stop(): void;
}

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function defaultStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked (sandboxed iframe, privacy settings): keep the queue in memory
  }
}

/**
 * A queue of POSTs that survives a network drop and a closed tab: kept in localStorage, sent with
 * `keepalive`, retried with backoff on network errors, 5xx and 429, dropped on 2xx, 409 or another 4xx.
 * Generic: any JSON body to any path of the API.
 */
export function createOutbox(opts: OutboxOptions): Outbox {
  const storage = opts.storage === undefined ? defaultStorage() : opts.storage;
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 60_000;
  let memory: OutboxItem[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let blocked = false;

  const read = (): OutboxItem[] => {
    if (!storage) return memory;
    try {
      const parsed: unknown = JSON.parse(storage.getItem(opts.storageKey) ?? '[]');
      return Array.isArray(parsed) ? (parsed as OutboxItem[]) : [];
    } catch {
      return memory;
    }
  };
  const write = (items: OutboxItem[]) => {
    memory = items;
    if (!storage) return;
    try {
      if (items.length) storage.setItem(opts.storageKey, JSON.stringify(items));
      else storage.removeItem(opts.storageKey);
    } catch {
      // quota or blocked: the in-memory copy still gets sent while the page lives
    }
  };
  const update = (key: string, fn: (i: OutboxItem) => OutboxItem | null) =>
    write(read().flatMap((i) => (i.key === key ? (fn(i) ?? []) : [i])));

  const schedule = (attempts: number, retryAfterMs?: number) => {
    clearTimeout(timer);
    const backoff = Math.min(max, base * 2 ** Math.max(0, attempts - 1)) * (1 + Math.random() * 0.2);
    timer = setTimeout(() => void flush(), Math.max(retryAfterMs ?? 0, backoff));
  };

  /** Sends one item; returns false when the queue should pause (it will be retried later). */
  const send = async (item: OutboxItem): Promise<boolean> => {
    let res: Response;
    try {
      res = await doFetch(opts.api + item.path, {
        method: 'POST',
        keepalive: true,
        credentials: 'omit',
        headers: {
          Authorization: 'Bearer ' + opts.token,
          'Content-Type': 'application/json',
          'Idempotency-Key': item.key,
        },
        body: JSON.stringify(item.body),
      });
    } catch {
      update(item.key, (i) => ({ ...i, attempts: i.attempts + 1 }));
      schedule(item.attempts + 1);
      return false;
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.status >= 500 || res.status === 429) {
      update(item.key, (i) => ({ ...i, attempts: i.attempts + 1 }));
      const ra = Number(res.headers.get('Retry-After'));
      schedule(item.attempts + 1, Number.isFinite(ra) && ra > 0 ? ra * 1000 : undefined);
      return false;
    }
    const code = (body as { error?: { code?: string } } | null)?.error?.code ?? 'http_' + res.status;
    if (res.status === 401) {
      // The token expired or is refused: keep the item for the next page load (which brings a fresh token).
      blocked = true;
      opts.onError?.({ code, message: 'Attune: the session token was refused; the submission is kept' }, item);
      return false;
    }
    update(item.key, () => null);
    if (res.ok || res.status === 409) opts.onDelivered?.({ item, status: res.status, body });
    else opts.onError?.({ code, message: `Attune: the submission was refused (${res.status} ${code})` }, item);
    return true;
  };

  const flush = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(timer);
    again = false;
    running = (async () => {
      for (const item of read()) {
        if (blocked || !(await send(item))) return;
      }
    })().finally(() => {
      running = null;
    });
    // A flush asked for while one was running (an `online` event, a new item) gets its own pass afterwards.
    return running.then(() => (again && !blocked ? flush() : undefined));
  };

  return {
    enqueue(kind, path, body) {
      const item: OutboxItem = { key: newIdempotencyKey(), kind, path, body, createdAt: Date.now(), attempts: 0 };
      write([...read(), item]);
      void flush();
      return item;
    },
    items: read,
    flush,
    listen(win) {
      const onOnline = () => void flush();
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
