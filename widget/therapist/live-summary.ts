import * as v from 'valibot';
import { SessionSummary } from '../../schemas/summary.ts';
import { backoff } from '../shared/backoff.ts';
import type { MountContext } from '../shared/contract.ts';
import { pollSummary, type SummarySource } from './summary-source.ts';

export interface LiveOptions {
  /** The WebSocket constructor (default: the global one). Without one the source polls. */
  WebSocket?: typeof WebSocket | undefined;
  /** Used when WebSockets are unavailable or keep being refused (default: `pollSummary(ctx)`). */
  fallback?: SummarySource;
  /** Keep-alive: send `ping` this often while open; a socket that heard nothing since the last ping is dropped. */
  pingMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A socket that stayed open this long was a good connection: the backoff starts again from the base. */
  stableMs?: number;
  /** Upgrades that failed in a row (never opened) before the source falls back to polling. */
  maxRefused?: number;
  /** After the rating (or decline) without pacing, how long to keep listening for the pacing. */
  pacingGraceMs?: number;
  /**
   * While true, the grace period does not end the source: this widget's own pacing POST is still on its way (the
   * Worker publishes after it), so its summary must still be heard. Asked again each time the grace runs out.
   */
  holdOpen?: () => boolean;
  random?: () => number;
  /** Where `online` is listened for (reconnect at once instead of waiting out the backoff). */
  win?: Pick<Window, 'addEventListener' | 'removeEventListener'> | null;
}

/** `http(s)://api` -> `ws(s)://api/v1/live`. The token never goes in the URL (it travels as a subprotocol). */
export const liveUrl = (api: string): string => api.replace(/^http/, 'ws') + '/v1/live';

/**
 * The Worker's close code for a socket it will not serve again with this token (expired, key revoked, other
 * participants): a reconnect would only be refused 401, each refusal a failed credential against the address.
 */
const CLOSE_POLICY = 1008;

/**
 * Nothing more will change: the client answered (or feedback fatigue skips this session, so they will not be asked)
 * and this session's pacing is in. (`asked: false` alone is not final: the client's page may not have asked yet.)
 */
export const isFinal = (s: SessionSummary): boolean =>
  (s.status !== 'pending' || s.skipped === true) && s.pacing !== null;

/** Backoff with "equal jitter": between half and all of min(max, base * 2^attempt). */
export const reconnectDelay = (attempt: number, baseMs: number, maxMs: number, random: () => number): number =>
  backoff(attempt, baseMs / 2, maxMs / 2) * (1 + random());

function parseMessage(data: string): { type?: unknown; summary?: unknown } | null {
  try {
    return JSON.parse(data) as { type?: unknown; summary?: unknown } | null;
  } catch {
    return null; // not ours
  }
}

/**
 * The live push: a WebSocket to `/v1/live` (protocols `attune.v1` and `bearer.<token>`), one `{type:'summary'}`
 * message on connect and one after every change. Reconnects with backoff when the socket drops, pings while
 * open, falls back to polling when WebSockets are missing or refused, and stops once the summary is final.
 */
export function liveSummary(ctx: Pick<MountContext, 'api' | 'token' | 'sid'>, opts: LiveOptions = {}): SummarySource {
  const pingMs = opts.pingMs ?? 25_000;
  const baseMs = opts.baseDelayMs ?? 1000;
  const maxMs = opts.maxDelayMs ?? 30_000;
  const stableMs = opts.stableMs ?? 10_000;
  const maxRefused = opts.maxRefused ?? 3;
  const graceMs = opts.pacingGraceMs ?? 5 * 60_000;
  const random = opts.random ?? Math.random;
  return (onSummary, onError) => {
    const WS = 'WebSocket' in opts ? opts.WebSocket : globalThis.WebSocket;
    const fallback = () =>
      (opts.fallback ?? pollSummary(ctx, opts.holdOpen ? { holdOpen: opts.holdOpen } : {}))(deliver, onError);
    const win = opts.win === undefined ? (typeof window === 'undefined' ? null : window) : opts.win;
    let ws: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let refused = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let grace: ReturnType<typeof setTimeout> | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;
    let stopFallback: (() => void) | null = null;
    let last = '';

    const drop = () => {
      clearInterval(ping);
      const s = ws;
      ws = null;
      if (!s) return;
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      try {
        s.close(1000);
      } catch {
        // already closing
      }
    };
    const stop = () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(grace);
      retry = grace = undefined;
      drop();
      win?.removeEventListener('online', onOnline);
      stopFallback?.();
      stopFallback = null;
    };
    function deliver(s: SessionSummary) {
      if (stopped) return;
      // A reconnect brings the same summary again: pass on changes only.
      const key = JSON.stringify(s);
      if (key !== last) {
        last = key;
        onSummary(s);
      }
      if (isFinal(s)) stop();
      else if (s.status !== 'pending' && grace === undefined) grace = setTimeout(graceOver, graceMs);
    }
    function graceOver() {
      if (opts.holdOpen?.()) grace = setTimeout(graceOver, graceMs);
      else stop();
    }
    const schedule = () => {
      retry = setTimeout(connect, reconnectDelay(attempt++, baseMs, maxMs, random));
    };
    const giveUp = () => {
      onError({
        code: 'live_unavailable',
        message: 'Attune: live updates refused (is wss: in connect-src?); polling instead',
      });
      stopFallback = fallback();
    };

    function connect() {
      retry = undefined;
      let sock: WebSocket;
      try {
        sock = new WS!(liveUrl(ctx.api), ['attune.v1', 'bearer.' + ctx.token]);
      } catch {
        giveUp(); // a CSP connect-src block can throw synchronously
        return;
      }
      ws = sock;
      let openedAt = -1;
      let heard = true;
      sock.onopen = () => {
        openedAt = Date.now();
        refused = 0;
        ping = setInterval(() => {
          if (!heard) return lost(); // half-open (sleep, network change): no pong since the last ping
          heard = false;
          try {
            sock.send('ping');
          } catch {
            lost();
          }
        }, pingMs);
      };
      sock.onmessage = (e: MessageEvent) => {
        heard = true;
        if (typeof e.data !== 'string' || e.data === 'pong') return;
        const msg = parseMessage(e.data);
        if (msg?.type !== 'summary') return;
        const parsed = v.safeParse(SessionSummary, msg.summary);
        if (parsed.success) deliver(parsed.output);
        else onError({ code: 'summary_invalid', message: 'Attune: unexpected summary shape' });
      };
      const lost = () => {
        if (ws !== sock) return;
        const opened = openedAt >= 0;
        drop();
        if (stopped) return;
        if (opened && Date.now() - openedAt >= stableMs) attempt = 0;
        if (!opened && ++refused >= maxRefused) giveUp();
        else schedule();
      };
      // Browsers fire `error` then `close`; `close` alone decides what happens next.
      sock.onclose = (e: CloseEvent) => {
        if (e.code !== CLOSE_POLICY || ws !== sock) return lost();
        stop();
        onError({ code: 'live_unavailable', message: 'Attune: live updates ended (the token expired or was refused)' });
      };
    }
    function onOnline() {
      if (retry === undefined || stopped) return;
      clearTimeout(retry);
      connect();
    }

    if (typeof WS !== 'function') {
      stopFallback = fallback();
      return stop;
    }
    win?.addEventListener('online', onOnline);
    connect();
    return stop;
  };
}
