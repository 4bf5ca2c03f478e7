import type { Instrument } from '../../schemas/instrument.ts';
import type { MountContext } from './contract.ts';

export interface WidgetContext {
  instrument: Instrument;
  locale: string;
}

/** GET a JSON resource of the API with the session token; no cookies. Throws on network errors and non-2xx. */
export async function getJson<T>(ctx: Pick<MountContext, 'api' | 'token'>, path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(ctx.api + path, {
    headers: { Authorization: 'Bearer ' + ctx.token },
    credentials: 'omit',
    signal: signal ?? null,
  });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export const sessionPath = (sid: string, leaf: string) => `/v1/sessions/${encodeURIComponent(sid)}/${leaf}`;
