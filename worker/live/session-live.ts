import { DurableObject } from 'cloudflare:workers';
import { MAX_CLOCK_SKEW_SECONDS, type SessionSummary } from '../../schemas/index.ts';
import type { Bindings } from '../env.ts';
import { activeKids } from '../db/queries.ts';
import { loadSummary } from '../summary/load-summary.ts';
import { sameParticipants } from '../sessions/participants.ts';
import { completeTarget, type SentTarget } from './live-target.ts';

export const LIVE_PROTOCOL = 'attune.v1';
/** Header on the Worker -> object upgrade request carrying the verified, hashed target (JSON). */
export const TARGET_HEADER = 'X-Attune-Target';
/** Header on the same request: the socket's token's exp (epoch seconds); a socket gets nothing once it passed. */
export const TOKEN_EXP_HEADER = 'X-Attune-Token-Exp';
/** Header on the same request: the kid of the socket's token; a socket gets nothing once that key is revoked. */
export const TOKEN_KID_HEADER = 'X-Attune-Token-Kid';
/** Open sockets per session and participants at most (a therapist's tabs); a new one beyond it closes the oldest. */
export const MAX_SOCKETS = 8;
/** Close code when the first summary could not be read, or a publish could not check the keys: the widget reconnects. */
export const CLOSE_SUMMARY_FAILED = 1011;
/** Close code for the oldest socket pushed out by a newer one (1013: try again later). */
export const CLOSE_TOO_MANY = 1013;
/** Close code when the session turns out to be recorded with other participants than the socket's token names. */
export const CLOSE_MISMATCH = 1008;
/** Close code for a socket whose token expired (policy, like a mismatch): the widget does not reconnect (a 401). */
export const CLOSE_EXPIRED = 1008;
/** Close code for a socket whose token's key was revoked (policy): the widget does not reconnect (a 401). */
export const CLOSE_REVOKED = 1008;
/** Close code for a socket that sent anything but `ping` (1003: unsupported data). */
export const CLOSE_UNSUPPORTED = 1003;

/** The hashed therapist and client a socket was opened for, and a writer's: a push goes only where they match. */
export interface LiveParticipants {
  therapistHash: string;
  clientHash: string;
}

/** What each socket carries across hibernation. */
interface Attachment extends LiveParticipants {
  at: number;
  /** The token's exp (epoch seconds); absent from a Worker that did not send it (before this field). */
  exp?: number;
  /** The token's kid; absent from a Worker that did not send it (before this field). */
  kid?: string;
}

/** How much a summary knows; a publish that knows less than what was already sent is stale. */
export function summaryRank(s: SessionSummary): number {
  return (s.status === 'pending' ? 0 : 2) + (s.pacing ? 1 : 0);
}

export function summaryMessage(summary: SessionSummary): string {
  return JSON.stringify({ type: 'summary', summary });
}

/**
 * The live channel of one session: the therapist's widget sockets, accepted with the WebSocket Hibernation
 * API so an idle session costs nothing. `ping` is answered with `pong` by the runtime without waking the
 * object. Nothing is stored but an alarm at the earliest token expiry of the open sockets (closeExpired): the summary
 * always comes from D1 (on connect) or from the Worker (on publish).
 */
export class SessionLive extends DurableObject<Bindings> {
  /**
   * Rank of the last summary sent, per participants (therapist and client hash); in memory only (a hibernated
   * object has nothing stale to protect).
   */
  private lastRank = new Map<string, number>();
  /** Orders connections made within the same millisecond. */
  private connects = 0;
  /** Summaries sent by publish so far: a socket's first read knows whether one went out while it was reading. */
  private published = 0;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** The upgrade, forwarded by the Worker after it verified the token (the object is not reachable otherwise). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return new Response(null, { status: 426 });
    // An older Worker's target may lack the instrument (completeTarget, below).
    const target = JSON.parse(request.headers.get(TARGET_HEADER) ?? 'null') as SentTarget | null;
    if (!target) return new Response(null, { status: 400 });
    const exp = Number(request.headers.get(TOKEN_EXP_HEADER) ?? Number.NaN);
    const kid = request.headers.get(TOKEN_KID_HEADER);
    const { 0: client, 1: server } = new WebSocketPair();
    // The newest connection wins: a tab that went away without closing must not lock a reload out. Counted per
    // therapist and client: a token naming the sid with other participants cannot push the real therapist out.
    const key = participantsKey(target);
    const open = this.ctx
      .getWebSockets()
      .filter((ws) => ws.readyState === WebSocket.OPEN && sameKey(ws, key))
      .sort((a, b) => connectedAt(a) - connectedAt(b));
    for (const old of open.slice(0, Math.max(0, open.length - MAX_SOCKETS + 1)))
      closeQuietly(old, CLOSE_TOO_MANY, 'too many sockets');
    // Accept first, then read D1: any write committed before the read is in it, and any publish after the
    // accept reaches this socket too, so the therapist can never miss a change.
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({
      at: ++this.connects + Date.now() * 1000,
      therapistHash: target.therapistHash,
      clientHash: target.clientHash,
      ...(Number.isFinite(exp) ? { exp } : {}),
      ...(kid ? { kid } : {}),
    } satisfies Attachment);
    if (Number.isFinite(exp)) await this.closeAtExpiry(exp);
    const publishedBefore = this.published;
    try {
      const { summary, recorded } = await loadSummary(this.env.DB, await completeTarget(this.env.DB, target));
      // The Worker checked this before the upgrade; a first write naming others may have landed since.
      if (!sameParticipants(target, recorded)) {
        server.close(CLOSE_MISMATCH, 'session mismatch');
        return new Response(null, {
          status: 101,
          webSocket: client,
          headers: { 'Sec-WebSocket-Protocol': LIVE_PROTOCOL },
        });
      }
      // A publish that landed during the read already reached this socket (accepted before it) with a newer summary
      // than the read saw: sending the read's after it would leave the card on the older one (a socket is not polled).
      const rank = summaryRank(summary);
      if (this.published === publishedBefore || rank >= (this.lastRank.get(key) ?? -1)) {
        this.lastRank.set(key, Math.max(this.lastRank.get(key) ?? -1, rank));
        server.send(summaryMessage(summary));
      }
    } catch (err) {
      console.error('live: initial summary failed', err instanceof Error ? err.message : String(err));
      // A socket with no state would sit there silent; closing makes the widget reconnect (and read again).
      server.close(CLOSE_SUMMARY_FAILED, 'summary unavailable');
    }
    return new Response(null, { status: 101, webSocket: client, headers: { 'Sec-WebSocket-Protocol': LIVE_PROTOCOL } });
  }

  /**
   * Sends the summary to the session's open sockets whose therapist and client are the writer's; returns how many
   * got it. A socket opened with a token that names the same sid with other participants (before the session was
   * first recorded) gets nothing and is not counted, nor is one whose token expired (past the skew) or whose token's
   * key was revoked (one D1 read, only when there are sockets to send to): those are closed, so a socket never
   * outlives its token. `nowMs` is the clock (tests pass a later one).
   */
  async publish(summary: SessionSummary, writer: LiveParticipants, nowMs = Date.now()): Promise<number> {
    const key = participantsKey(writer);
    const nowSeconds = Math.floor(nowMs / 1000);
    const matching = this.ctx.getWebSockets().flatMap((ws) => {
      const a = attachmentOf(ws);
      if (a === null || participantsKey(a) !== key) return [];
      if (a.exp === undefined || !expired(a.exp, nowSeconds)) return [{ ws, kid: a.kid }];
      closeQuietly(ws, CLOSE_EXPIRED, 'token expired');
      return [];
    });
    const kids = [...new Set(matching.flatMap((m) => (m.kid === undefined ? [] : [m.kid])))];
    // null: the keys could not be checked. Their sockets are closed 1011 rather than left open and silent: the widget
    // reconnects and reads the summary from D1.
    const active =
      kids.length > 0
        ? await activeKids(this.env.DB, kids).catch((err: unknown) => {
            console.error('live: checking the sockets’ keys failed', err instanceof Error ? err.message : String(err));
            return null;
          })
        : new Set<string>();
    const sockets = matching.flatMap(({ ws, kid }) => {
      if (kid === undefined || active?.has(kid)) return [ws];
      if (active === null) closeQuietly(ws, CLOSE_SUMMARY_FAILED, 'summary unavailable');
      else closeQuietly(ws, CLOSE_REVOKED, 'key revoked');
      return [];
    });
    const rank = summaryRank(summary);
    // A publish that raced a newer one: the newer summary was already delivered to these sockets.
    if (rank < (this.lastRank.get(key) ?? -1)) return sockets.length;
    this.lastRank.set(key, rank);
    this.published++;
    const message = summaryMessage(summary);
    let sent = 0;
    for (const ws of sockets) {
      try {
        ws.send(message);
        sent++;
      } catch {
        // closing socket: skip
      }
    }
    return sent;
  }

  /** Rings at the earliest expiry of the open sockets' tokens (closeAtExpiry). */
  override async alarm(): Promise<void> {
    await this.closeExpired(Date.now());
  }

  /**
   * Closes (1008) every socket whose token expired past the skew, published to or not, and sets the alarm for the
   * next expiry among the others. `nowMs` is the clock (tests pass a later one).
   */
  async closeExpired(nowMs: number): Promise<void> {
    const nowSeconds = Math.floor(nowMs / 1000);
    let next: number | null = null;
    for (const ws of this.ctx.getWebSockets()) {
      const exp = attachmentOf(ws)?.exp;
      if (exp === undefined) continue;
      if (expired(exp, nowSeconds)) closeQuietly(ws, CLOSE_EXPIRED, 'token expired');
      else next = Math.min(next ?? exp, exp);
    }
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(expiryMs(next));
  }

  /** The alarm rings at this socket's expiry if no earlier one is set (the only thing the object stores). */
  private async closeAtExpiry(exp: number): Promise<void> {
    try {
      const set = await this.ctx.storage.getAlarm();
      if (set === null || expiryMs(exp) < set) await this.ctx.storage.setAlarm(expiryMs(exp));
    } catch (err) {
      // Not fatal: the socket still gets nothing past its expiry, and the next publish closes it.
      console.error('live: setting the expiry alarm failed', err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * The widget sends nothing but `ping` (answered by the runtime, never reaching here). Anything else only wakes the
   * object: the socket is closed, so a token holder cannot keep the object awake or busy with messages.
   */
  override webSocketMessage(ws: WebSocket): void {
    closeQuietly(ws, CLOSE_UNSUPPORTED, 'only ping is accepted');
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    closeQuietly(ws, code === 1005 || code === 1006 ? 1000 : code, 'closed');
  }

  override webSocketError(): void {}
}

/** Whether a token expiring at `exp` is past the skew at `nowSeconds`. */
function expired(exp: number, nowSeconds: number): boolean {
  return exp + MAX_CLOCK_SKEW_SECONDS < nowSeconds;
}

/** When a token expiring at `exp` is past the skew (epoch ms). */
function expiryMs(exp: number): number {
  return (exp + MAX_CLOCK_SKEW_SECONDS + 1) * 1000;
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closing
  }
}

function participantsKey(p: LiveParticipants): string {
  return `${p.therapistHash}\n${p.clientHash}`;
}

/** The socket's attachment (it survives hibernation); null when unreadable or from before participants were bound. */
function attachmentOf(ws: WebSocket): Attachment | null {
  try {
    const a = ws.deserializeAttachment() as Partial<Attachment> | null;
    return a && typeof a.therapistHash === 'string' && typeof a.clientHash === 'string'
      ? {
          at: a.at ?? 0,
          therapistHash: a.therapistHash,
          clientHash: a.clientHash,
          ...(typeof a.exp === 'number' ? { exp: a.exp } : {}),
          ...(typeof a.kid === 'string' ? { kid: a.kid } : {}),
        }
      : null;
  } catch {
    return null;
  }
}

/** The socket was opened for these participants (participantsKey). */
function sameKey(ws: WebSocket, key: string): boolean {
  const a = attachmentOf(ws);
  return a !== null && participantsKey(a) === key;
}

/** When the socket connected; 0 when unknown. */
function connectedAt(ws: WebSocket): number {
  return attachmentOf(ws)?.at ?? 0;
}
