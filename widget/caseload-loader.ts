// caseload.js: the classic script for the therapist's caseload page (not the call page). Plain DOM, tiny; the view
// is a lazy chunk of its own, so neither the client's rating path nor the therapist's in-call path carries it.
//
//   <script src="https://attune.example/caseload.js" defer></script>
//   <script>
//     (window.AttuneCaseload ??= { q: [] });
//     AttuneCaseload.q ? AttuneCaseload.q.push(['mount', [el, opts]]) : AttuneCaseload.mount(el, opts);
//   </script>
//
// `mount(target, { token, clients: [{ ref, name }], api?, nonce?, theme?, locale?, on? })` returns
// `{ setClients(clients), remove() }`; `on.ready(handle)` gets the same handle (for calls queued before load).
import { mountCaseloadHost } from './embed/caseload-host.ts';
import { chunkLoader } from './embed/load-chunk.ts';
import type { CaseloadController, CaseloadMountContext } from './caseload/index.tsx';

/** The caseload chunk's content-hashed file name, compiled in by scripts/build-widget.ts. */
declare const __ATTUNE_CASELOAD_CHUNK__: string;

interface Options {
  token: string;
  clients: unknown;
  api?: string;
  nonce?: string;
  theme?: 'light' | 'dark';
  locale?: string;
  on?: { ready?: (h: Handle) => void; error?: (e: unknown) => void; caseload?: (d: unknown) => void };
}
interface Handle {
  setClients(clients: unknown): void;
  remove(): void;
}

type W = Window & { AttuneCaseload?: { q?: unknown[]; mount?: unknown } };
const win = window as W;
const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || location.href;
const load = chunkLoader(new URL(__ATTUNE_CASELOAD_CHUNK__, base).href, (u) => import(u), 15_000);

function mount(target: Element | string, options: Options): Handle {
  const on = options.on ?? {};
  const emit = (event: string, detail?: unknown) => {
    try {
      (on as Record<string, ((d: unknown) => void) | undefined>)[event]?.(detail);
    } catch (e) {
      console.error('[attune]', e);
    }
  };
  return mountCaseloadHost(
    load.load().then((chunk) => chunk.mount as unknown as (c: CaseloadMountContext) => CaseloadController),
    {
      target,
      theme: options.theme,
      token: options.token,
      api: (options.api || new URL(base).origin).replace(/\/+$/, ''),
      clients: options.clients,
      nonce: options.nonce,
      locale: options.locale,
    },
    emit,
    (handle) => emit('ready', handle),
  );
}

const queued = win.AttuneCaseload?.q ?? [];
win.AttuneCaseload = { mount };
for (const call of queued) {
  if (Array.isArray(call) && call[0] === 'mount' && Array.isArray(call[1]))
    try {
      mount(...(call[1] as [Element | string, Options]));
    } catch (e) {
      console.error('[attune]', e);
    }
}
