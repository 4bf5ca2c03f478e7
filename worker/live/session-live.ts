import { DurableObject } from 'cloudflare:workers';
import type { SessionSummary } from '../../schemas/index.ts';
import type { Bindings } from '../env.ts';
import { loadSummary, type SummaryTarget } from '../load-summary.ts';

export const LIVE_PROTOCOL = 'attune.v1';
/** Header on the Worker -> object upgrade request carrying the verified, hashed target (JSON). */
export const TARGET_HEADER = 'X-Attune-Target';
/** Open sockets per session at most (a therapist's tabs); a new one beyond it closes the oldest. */
export const MAX_SOCKETS = 8;
/** Close code when the first summary could not be read: the widget reconnects. */
export const CLOSE_SUMMARY_FAILED = 1011;
/** Close code for the oldest socket pushed out by a newer one (1013: try again later). */
export const CLOSE_TOO_MANY = 1013;

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
 * object. Nothing is stored: the summary always comes from D1 (on connect) or from the Worker (on publish).
 */
export class SessionLive extends DurableObject<Bindings> {
  /** Rank of the last summary sent; in memory only (a hibernated object has nothing stale to protect). */
  private lastRank = -1;
  /** Orders connections made within the same millisecond. */
  private connects = 0;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** The upgrade, forwarded by the Worker after it verified the token (the object is not reachable otherwise). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return new Response(null, { status: 426 });
    const target = JSON.parse(request.headers.get(TARGET_HEADER) ?? 'null') as SummaryTarget | null;
    if (!target) return new Response(null, { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    // The newest connection wins: a tab that went away without closing must not lock a reload out.
    const open = this.ctx
      .getWebSockets()
      .filter((ws) => ws.readyState === WebSocket.OPEN)
      .sort((a, b) => connectedAt(a) - connectedAt(b));
    for (const old of open.slice(0, Math.max(0, open.length - MAX_SOCKETS + 1))) {
      try {
        old.close(CLOSE_TOO_MANY, 'too many sockets');
      } catch {
        // already closing
      }
    }
    // Accept first, then read D1: any write committed before the read is in it, and any publish after the
    // accept reaches this socket too, so the therapist can never miss a change.
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ at: ++this.connects + Date.now() * 1000 });
    try {
      const { summary } = await loadSummary(this.env.DB, target);
      this.lastRank = Math.max(this.lastRank, summaryRank(summary));
      server.send(summaryMessage(summary));
    } catch (err) {
      console.error('live: initial summary failed', err instanceof Error ? err.message : String(err));
      // A socket with no state would sit there silent; closing makes the widget reconnect (and read again).
      server.close(CLOSE_SUMMARY_FAILED, 'summary unavailable');
    }
    return new Response(null, { status: 101, webSocket: client, headers: { 'Sec-WebSocket-Protocol': LIVE_PROTOCOL } });
  }

  /** Sends the summary to every open socket of the session; returns how many got it. */
  async publish(summary: SessionSummary): Promise<number> {
    const sockets = this.ctx.getWebSockets();
    const rank = summaryRank(summary);
    // A publish that raced a newer one: the newer summary was already delivered to these sockets.
    if (rank < this.lastRank) return sockets.length;
    this.lastRank = rank;
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

  /** The widget sends nothing but `ping` (answered by the runtime); anything else is ignored. */
  override webSocketMessage(): void {}

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, 'closed');
    } catch {
      // already closed
    }
  }

  override webSocketError(): void {}
}

/** When the socket connected (its attachment survives hibernation); 0 when unknown. */
function connectedAt(ws: WebSocket): number {
  try {
    return (ws.deserializeAttachment() as { at?: number } | null)?.at ?? 0;
  } catch {
    return 0;
  }
}
