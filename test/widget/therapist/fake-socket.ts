import type { SessionSummary } from '../../../schemas/summary.ts';

/** A WebSocket double: the test opens, messages and closes it as a server (or a network) would. */
export class FakeSocket {
  static all: FakeSocket[] = [];
  /** Answer `ping` with `pong`, as the Durable Object's auto-response does (reset it in beforeEach). */
  static autoPong = false;
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  sent: string[] = [];
  closed: number | null = null;
  readonly url: string;
  readonly protocols: string[];
  constructor(url: string, protocols: string[]) {
    this.url = url;
    this.protocols = protocols;
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
    if (data === 'ping' && FakeSocket.autoPong) this.push('pong');
  }
  close(code = 1005) {
    this.closed = code;
  }
  // What the server or the network does:
  open() {
    this.onopen?.(new Event('open'));
  }
  push(data: string) {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  summary(s: SessionSummary) {
    this.push(JSON.stringify({ type: 'summary', summary: s }));
  }
  /** The server closes the socket with this code. */
  closeBy(code: number) {
    this.onclose?.(new CloseEvent('close', { code }));
  }
  drop() {
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }
}
