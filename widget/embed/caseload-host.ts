// The caseload view in a host of its own, its chunk still on the way: shared by caseload.js (widget/caseload-loader.ts)
// and the npm entry's mountCaseload (widget/index.ts). Types only from the chunk: its code stays in its own file.
import type { CaseloadController, CaseloadMountContext } from '../caseload/index.tsx';
import { createHost } from './host.ts';

export interface CaseloadHostOptions extends Omit<CaseloadMountContext, 'root' | 'emit'> {
  target?: Element | string | undefined;
  theme?: 'light' | 'dark' | undefined;
}

export interface CaseloadHostHandle {
  setClients(clients: unknown): void;
  remove(): void;
}

/**
 * Mounts the view once `chunk` is here: with the latest clients set meanwhile, and not at all after remove().
 * `ready` gets the handle once the view is drawn; `emit('error', chunk_load_failed)` when the chunk cannot be had.
 */
export function mountCaseloadHost(
  chunk: Promise<(ctx: CaseloadMountContext) => CaseloadController>,
  { target, theme, clients, ...rest }: CaseloadHostOptions,
  emit: (event: string, detail?: unknown) => void,
  ready?: (handle: CaseloadHostHandle) => void,
): CaseloadHostHandle {
  const host = createHost(document, target, theme);
  let pending = clients;
  let removed = false;
  let controller: CaseloadController | null = null;
  const handle: CaseloadHostHandle = {
    setClients(next) {
      pending = next;
      controller?.setClients(next);
    },
    remove() {
      removed = true;
      controller?.teardown();
      host.teardown();
    },
  };
  chunk.then(
    (mount) => {
      if (removed) return;
      controller = mount({ ...rest, root: host.root, clients: pending, emit });
      ready?.(handle);
    },
    (e: unknown) => emit('error', { code: 'chunk_load_failed', message: `Attune: could not load the caseload: ${e}` }),
  );
  return handle;
}
