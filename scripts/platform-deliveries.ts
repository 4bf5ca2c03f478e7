/**
 * `npm run platform -- webhook-dead` and `webhook-replay`: a platform's dead webhook deliveries, through the admin API
 * (GET /v1/webhooks/deliveries, POST /v1/webhooks/deliveries/replay) rather than D1, so that a replay is checked and
 * audited exactly as the API does it, and the parked message in the dead-letter queue (never in D1) is found again.
 * The admin key comes from the environment (ATTUNE_ADMIN_KEY), never from an argument, so it stays out of shell history.
 */
import * as v from 'valibot';
import { ApiError } from '../schemas/common.ts';
import {
  type WebhookDelivery as DeliverySchema,
  WebhookDeliveryList,
  WebhookDeliveryRef,
  WebhookReplayed,
} from '../schemas/webhook.ts';

type WebhookDelivery = v.InferOutput<typeof DeliverySchema>;

/** `npm start`'s API (scripts/start.sh, API_PORT). */
export const LOCAL_API = 'http://127.0.0.1:8787';

export interface AdminApi {
  /** The Worker's origin, e.g. https://attune.example.workers.dev. */
  base: string;
  key: string;
}

/** The API to call: `--api`, else ATTUNE_API, else the local one; the key from ATTUNE_ADMIN_KEY. */
export function adminApi(api: string | undefined, env: NodeJS.ProcessEnv): AdminApi {
  const key = env.ATTUNE_ADMIN_KEY;
  if (!key || !/^attune_admin_[A-Za-z0-9_-]+$/.test(key))
    throw new Error('the ATTUNE_ADMIN_KEY environment variable must hold the platform’s admin key (attune_admin_…)');
  const raw = api ?? env.ATTUNE_API ?? LOCAL_API;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('--api must be the Worker’s URL, e.g. https://attune.example.workers.dev');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error('--api must be the Worker’s URL, e.g. https://attune.example.workers.dev');
  return { base: url.origin, key };
}

/** The API's JSON answer; an error answer becomes an Error naming the status and the API's code and message. */
async function call<S extends v.GenericSchema>(
  api: AdminApi,
  path: string,
  schema: S,
  init: { method: 'GET' } | { method: 'POST'; body: unknown },
): Promise<v.InferOutput<S>> {
  let res: Response;
  try {
    res = await fetch(`${api.base}${path}`, {
      method: init.method,
      headers: {
        Authorization: `Bearer ${api.key}`,
        ...(init.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.method === 'POST' ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new Error(`cannot reach the API at ${api.base} (is the Worker running? --api sets its URL)`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = v.safeParse(ApiError, body);
    throw new Error(
      err.success
        ? `${res.status} ${err.output.error.code}: ${err.output.error.message}`
        : `${res.status} from ${path} (not an Attune API answer: is --api right?)`,
    );
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) throw new Error(`unexpected answer from ${path} (is --api an Attune API?)`);
  return parsed.output;
}

/** The API lists at most this many deliveries (GET /v1/webhooks/deliveries). */
const DEAD_LISTED = 100;

/** The platform's dead deliveries (the 100 most recent of them), oldest death first. */
export async function deadDeliveries(api: AdminApi): Promise<WebhookDelivery[]> {
  const { deliveries } = await call(api, '/v1/webhooks/deliveries?status=dead', WebhookDeliveryList, {
    method: 'GET',
  });
  return deliveries.filter((d) => d.status === 'dead').sort((a, b) => (a.deadAt ?? 0) - (b.deadAt ?? 0));
}

/** The ids as a replay body; the API's own schema, so that a mistyped id is refused before any request. */
export function deliveryRef(eventId: string | undefined, endpointId: string | undefined): WebhookDeliveryRef {
  if (!eventId || !endpointId) throw new Error('--event and --endpoint are required');
  const ref = v.safeParse(WebhookDeliveryRef, { eventId, endpointId });
  if (!ref.success)
    throw new Error(
      `${ref.issues[0]?.path?.[0]?.key === 'endpointId' ? '--endpoint must be an endpoint id (we_…)' : '--event must be an event id (evt_…)'}`,
    );
  return ref.output;
}

export function replayDelivery(api: AdminApi, ref: WebhookDeliveryRef) {
  return call(api, '/v1/webhooks/deliveries/replay', WebhookReplayed, { method: 'POST', body: ref });
}

const iso = (seconds: number | null) => (seconds === null ? '-' : new Date(seconds * 1000).toISOString());

/** One line per dead delivery: what `webhook-replay` needs (event and endpoint ids), then what it was. */
export function formatDead(deliveries: readonly WebhookDelivery[]): string {
  if (deliveries.length === 0) return '(no dead deliveries)';
  const more =
    deliveries.length >= DEAD_LISTED ? `\n(the ${DEAD_LISTED} most recent; replay them, then list again)` : '';
  return `${deliveries
    .map(
      (d) =>
        `${d.eventId}  ${d.endpointId}  ${d.type}  dead since ${iso(d.deadAt)}  attempts ${d.attempts}  last HTTP status ${d.lastStatus ?? 'none'}`,
    )
    .join('\n')}${more}`;
}
