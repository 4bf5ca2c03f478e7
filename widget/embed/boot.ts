import type { EndSessionOptions, QueuedCall, Role, RoleController, WidgetError } from '../shared/contract.ts';
import { findScript, readConfig, type ConfigResult } from './config.ts';
import { createHost, type Host } from './host.ts';
import { chunkLoader, type Importer } from './load-chunk.ts';

type Listener = (detail: unknown) => void;

const MOUNT_FAILED = 'Attune: could not mount: ';

export interface AttuneApi {
  connect(room: unknown): void;
  attachAudio(sources: { local?: unknown; remote?: unknown }): void;
  endSession(options?: EndSessionOptions): void;
  /** Therapist: hide the private pacing strip (measuring goes on), e.g. while sharing the screen; and show it again. */
  hideStrip(): void;
  showStrip(): void;
  remove(): void;
  on(event: string, cb: Listener): () => void;
}

interface Installed extends AttuneApi {
  readonly __attune: true;
  /**
   * The stub's queue, kept working after load: a page that calls `Attune.q.push(['connect', [room]])` once the
   * script has run (the room joined later, or the script was cached) gets the call made, not a TypeError.
   */
  readonly q: { push(...calls: unknown[]): void };
}

type AttuneWindow = Window & { Attune?: unknown };

export interface BootOptions {
  importer: Importer;
  /** Role -> chunk file name beside the loader (the build's manifest). Default `<role>.js` (unbundled tests). */
  chunks?: Record<Role, string>;
  script?: HTMLScriptElement | null;
  /** The configuration itself (the npm entry's mount()), instead of reading a script tag. */
  config?: ConfigResult;
  timeoutMs?: number;
}

const DEFERRED = ['connect', 'attachAudio', 'endSession', 'hideStrip', 'showStrip'] as const;

/**
 * Installs `window.Attune`, replays the host page's pre-load queue, mounts one shadow host and lazy-loads the
 * role's chunk. Never throws: every failure goes to `on('error')` listeners (or the console if there are none).
 */
export function boot(win: AttuneWindow, opts: BootOptions): AttuneApi {
  const prior = win.Attune as { __attune?: boolean; q?: unknown } | undefined;
  if (prior?.__attune) return prior as unknown as AttuneApi;
  const queued: unknown[] = Array.isArray(prior?.q) ? prior.q.slice() : [];
  // Only [method, args[]] entries are run; a malformed one (null, ['on'], non-array args) is skipped and reported.
  const isCall = (c: unknown): c is QueuedCall => Array.isArray(c) && typeof c[0] === 'string' && Array.isArray(c[1]);

  const listeners = new Map<string, Set<Listener>>();
  const pending: QueuedCall[] = [];
  const teardowns: Array<() => void> = [];
  let controller: RoleController | null = null;
  let removed = false;
  let host: Host | null = null;
  let load: (() => void) | null = null;

  const emit = (event: string, detail?: unknown) => {
    const set = listeners.get(event);
    if (event === 'error' && !set?.size) console.warn('[attune]', (detail as WidgetError | undefined)?.message);
    for (const cb of set ?? []) {
      try {
        cb(detail);
      } catch (e) {
        console.error('[attune] listener', e);
      }
    }
  };
  const error = (err: WidgetError) => emit('error', err);

  const drain = () => {
    if (!controller) return;
    const keep: QueuedCall[] = [];
    for (const call of pending.splice(0)) {
      const fn = (controller as unknown as Record<string, unknown>)[call[0]];
      if (typeof fn !== 'function') {
        keep.push(call); // not implemented by this chunk yet: kept, not pretended
        continue;
      }
      try {
        fn.apply(controller, call[1]);
      } catch (e) {
        error({ code: 'call_failed', message: `Attune.${call[0]} failed: ${String(e)}` });
      }
    }
    pending.push(...keep);
  };

  const call = (method: string, args: unknown[]) => {
    if (removed) return;
    pending.push([method, args]);
    if (controller) drain();
    else load?.();
  };

  const run = (c: unknown) => {
    if (!isCall(c)) error({ code: 'bad_queue_entry', message: 'Attune: queue entry not [method, [args]]' });
    else if (c[0] === 'on') api.on(...(c[1] as [string, Listener]));
    else if (c[0] === 'remove') api.remove();
    else if ((DEFERRED as readonly string[]).includes(c[0])) call(c[0], c[1]);
  };

  // The DEFERRED methods are added below: each queues its call, arguments as given.
  const api = {
    __attune: true,
    q: { push: (...calls: unknown[]) => calls.forEach(run) },
    on(event: string, cb: Listener) {
      if (removed || typeof cb !== 'function') return () => {};
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => void listeners.get(event)?.delete(cb);
    },
    remove() {
      if (removed) return;
      removed = true;
      try {
        controller?.teardown();
      } catch (e) {
        console.error('[attune] teardown', e);
      }
      controller = null;
      for (const t of teardowns.splice(0).reverse()) t();
      host?.teardown();
      host = null;
      pending.length = 0;
      listeners.clear();
      if (win.Attune === api) delete win.Attune;
    },
  } as Installed;
  for (const m of DEFERRED) api[m] = (...args: unknown[]) => call(m, args);
  win.Attune = api;

  // Listeners first, so an error during start-up reaches a listener the page queued before the script loaded.
  const on = (c: unknown) => +(isCall(c) && c[0] === 'on');
  api.q.push(...queued.sort((a, b) => on(b) - on(a)));
  if (removed) return api;

  const result = opts.config ?? readConfig(opts.script === undefined ? findScript(win.document) : opts.script);
  if (!result.ok) {
    error({ code: result.code, message: result.message });
    return api;
  }
  const config = result.config;
  const doc = win.document;
  // An async script in <head> can run before <body> exists, and before data-target's element is parsed.
  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', start);
    teardowns.push(() => doc.removeEventListener('DOMContentLoaded', start));
  } else start();
  return api;

  function start() {
    if (removed || host) return;
    try {
      host = createHost(doc, config.target, config.theme);
    } catch (e) {
      error({ code: 'mount_failed', message: MOUNT_FAILED + String(e) });
      return;
    }
    const mountedHost = host;
    const loader = chunkLoader(
      new URL(opts.chunks?.[config.role] ?? config.role + '.js', config.base).href,
      opts.importer,
      opts.timeoutMs ?? 15_000,
    );
    let failed = false;
    let inflight = false;
    load = () => {
      if (inflight || controller) return;
      inflight = true;
      failed = false;
      loader.load().then(
        (chunk) => {
          inflight = false;
          if (removed || controller) return;
          try {
            // The whole config (its base, target and theme too, which chunks ignore): the client path's bytes.
            controller = chunk.mount({ ...config, root: mountedHost.root, emit, error });
          } catch (e) {
            error({ code: 'mount_failed', message: MOUNT_FAILED + String(e) });
            return;
          }
          emit('ready', { role: config.role });
          drain();
        },
        (e: unknown) => {
          inflight = false;
          if (removed) return;
          failed = true;
          error({ code: 'chunk_load_failed', message: 'Attune: could not load: ' + String(e) });
        },
      );
    };
    const onOnline = () => failed && load?.();
    win.addEventListener('online', onOnline);
    teardowns.push(() => win.removeEventListener('online', onOnline));
    load();
  }
}
