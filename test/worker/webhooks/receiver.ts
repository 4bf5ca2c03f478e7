/**
 * Platforms' webhook receivers for the worker tests. The queue consumer runs in the same isolate as the tests, so a
 * spy on the global fetch answers for the receivers' hosts (every test has its own host) and passes anything else
 * through. A receiver answers from its script, one entry per request, then with its `then` answer.
 */
import { env } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import { randomId } from '../../../sdk/keys.ts';
import { adminCall } from '../helpers.ts';

/** How long a wait on the queue may take on a loaded machine (a condition, polled; not a deadline the code must meet). */
export const SETTLED = { timeout: 30_000, interval: 20 };

export type Answer = number | 'network-error';

export interface Delivery {
  body: string;
  signature: string | null;
  answer: Answer;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /**
   * Resolves once `n` requests have reached the receiver. It polls: the consumer runs in another request context,
   * and a promise resolved from there would never wake this one (workerd).
   */
  received: (n: number) => Promise<Delivery[]>;
}

const receivers = new Map<string, { script: Answer[]; then: Answer; r: Receiver }>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch.bind(globalThis);
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const entry = receivers.get(new URL(request.url).host);
    if (!entry) return original(input, init);
    const answer = entry.script.shift() ?? entry.then;
    entry.r.deliveries.push({
      body: await request.text(),
      signature: request.headers.get('Attune-Signature'),
      answer,
    });
    if (answer === 'network-error') throw new TypeError('fetch failed: connection refused');
    return new Response(answer < 300 ? 'ok' : 'no', { status: answer });
  });
}

/** A receiver at its own https host: answers `script` in order, then `then` (default 200). */
export function fakeReceiver(script: Answer[] = [], then: Answer = 200): Receiver {
  install();
  const host = `${randomId('r', 6)}.hooks.example`;
  const r: Receiver = {
    url: `https://${host}/attune`,
    deliveries: [],
    received: async (n) => {
      await expect.poll(() => r.deliveries.length, SETTLED).toBeGreaterThanOrEqual(n);
      return r.deliveries;
    },
  };
  receivers.set(host, { script: [...script], then, r });
  return r;
}

/** Registers an endpoint through the admin API; returns its id and the secret shown once. */
export async function registerEndpoint(
  adminKey: string,
  body: { url: string; events: string[]; fhir?: boolean },
): Promise<{ id: string; secret: string }> {
  const res = await adminCall('/v1/webhooks/endpoints', adminKey, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${await res.text()}`);
  return res.json<{ id: string; secret: string }>();
}

export interface DeliveryRecord {
  status: string;
  attempts: number;
  last_status: number | null;
}

/** The delivery records of an event, by endpoint. */
export async function deliveryRecords(eventId: string): Promise<DeliveryRecord[]> {
  const { results } = await env.DB.prepare(
    'SELECT status, attempts, last_status FROM webhook_deliveries WHERE event_id = ?1 ORDER BY endpoint_id',
  )
    .bind(eventId)
    .all<DeliveryRecord>();
  return results;
}
