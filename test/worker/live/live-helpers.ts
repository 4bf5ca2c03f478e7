import { call } from '../helpers.ts';

export interface Live {
  res: Response;
  ws: WebSocket;
  /** Every text message received so far, in order (consumed by `next`). */
  queue: string[];
  next: (pred?: (m: string) => boolean) => Promise<string>;
  /** Sends `ping` and waits for its `pong`: every message sent to this socket before the ping has arrived. */
  drain: () => Promise<string[]>;
}

/** Opens /v1/live through the Worker's fetch with an Upgrade header and queues every text message. */
export async function openLive(token: string, extra: Record<string, string> = {}): Promise<Live> {
  const res = await call('/v1/live', {
    headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `attune.v1, bearer.${token}`, ...extra },
  });
  const ws = res.webSocket;
  if (!ws) throw new Error(`no upgrade: ${res.status} ${await res.text()}`);
  const queue: string[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener('message', (e) => {
    queue.push(String(e.data));
    for (const w of waiters.splice(0)) w();
  });
  ws.accept();
  const next = async (pred: (m: string) => boolean = () => true): Promise<string> => {
    for (;;) {
      const i = queue.findIndex(pred);
      if (i >= 0) return queue.splice(i, 1)[0]!;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const drain = async () => {
    ws.send('ping');
    await next((m) => m === 'pong');
    return queue.splice(0);
  };
  return { res, ws, queue, next, drain };
}
