// The therapist's caseload view: its own chunk, loaded by caseload.js (widget/caseload-loader.ts) or the npm entry's
// mountCaseload(). The host page passes its clients' refs and names; the refs go to the API in a POST body, the names
// never leave the browser.
import type { CaseloadResponse } from '../../schemas/caseload.ts';
import { pickLocale } from '../shared/i18n.ts';
import { mountView } from '../shared/mount.ts';
import { tokenPayload } from '../shared/token-payload.ts';
import { CASELOAD_CSS } from './caseload.css.ts';
import { cleanClients, type NamedClient } from './caseload-text.ts';
import { type CaseloadState, CaseloadView } from './caseload-view.tsx';
import { CASELOAD_LANGS, type CaseloadStrings, en, loadCaseloadStrings } from './strings/index.ts';

export interface CaseloadMountContext {
  root: ShadowRoot;
  token: string;
  /** API origin, no trailing slash. */
  api: string;
  clients: unknown;
  nonce?: string | undefined;
  /** Overrides the token's `loc`. */
  locale?: string | undefined;
  emit: (event: string, detail?: unknown) => void;
}

export interface CaseloadController {
  /** Replace the clients shown (e.g. the host page's list changed); asks the API again. */
  setClients(clients: unknown): void;
  teardown(): void;
}

export function mountCaseload(ctx: CaseloadMountContext): CaseloadController {
  const loc = tokenPayload(ctx.token)?.loc;
  const locale = pickLocale(CASELOAD_LANGS, ctx.locale, typeof loc === 'string' ? loc : undefined, navigator.language);
  const view = mountView({ root: ctx.root, nonce: ctx.nonce }, CASELOAD_CSS, locale);
  let strings: CaseloadStrings = en;
  let clients: NamedClient[] = cleanClients(ctx.clients);
  let state: CaseloadState = { kind: 'loading' };
  let abort: AbortController | null = null;
  let gone = false;

  const render = () =>
    view.show(<CaseloadView state={state} clients={clients} locale={locale} strings={strings} onRetry={load} />);

  function load() {
    abort?.abort();
    const mine = new AbortController();
    abort = mine;
    state = { kind: 'loading' };
    render();
    fetch(`${ctx.api}/v1/caseload`, {
      method: 'POST',
      credentials: 'omit',
      signal: mine.signal,
      headers: { Authorization: `Bearer ${ctx.token}`, 'Content-Type': 'application/json' },
      // Refs only: the names stay here.
      body: JSON.stringify({ clients: clients.map((c) => c.ref) }),
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return (await res.json()) as CaseloadResponse;
      })
      .then(
        (answer) => {
          if (gone || abort !== mine) return;
          state = { kind: 'ready', answer };
          render();
          ctx.emit('caseload', { clients: answer.clients.length });
        },
        (e: unknown) => {
          if (gone || abort !== mine) return;
          state = { kind: 'failed' };
          render();
          ctx.emit('error', {
            code: 'caseload_failed',
            message: `Attune: the caseload could not be loaded (${String(e)})`,
          });
        },
      );
  }

  render();
  loadCaseloadStrings(locale).then((words) => {
    if (gone) return;
    strings = words;
    render();
  });
  load();

  return {
    setClients(next) {
      clients = cleanClients(next);
      load();
    },
    teardown() {
      gone = true;
      abort?.abort();
      view.teardown();
    },
  };
}

export const mount = mountCaseload;
