import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseloadController, CaseloadMountContext } from '../../../widget/caseload/index.tsx';
import { mountCaseloadHost } from '../../../widget/embed/caseload-host.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A chunk whose arrival the test decides, and a fake view that records what it was given. */
function deferredChunk() {
  let arrive!: () => void;
  let fail!: (e: Error) => void;
  const mounted: CaseloadMountContext[] = [];
  const controller: CaseloadController = { setClients: vi.fn(), teardown: vi.fn() };
  const chunk = new Promise<(ctx: CaseloadMountContext) => CaseloadController>((resolve, reject) => {
    arrive = () =>
      resolve((ctx) => {
        mounted.push(ctx);
        return controller;
      });
    fail = reject;
  });
  return { chunk, arrive: () => arrive(), fail: (e: Error) => fail(e), mounted, controller };
}

const options = { token: 't', api: 'https://api.test', clients: ['first'], nonce: 'n', locale: 'fr' };

describe('mountCaseloadHost', () => {
  it('mounts with the latest clients once the chunk is here, then hands the handle to ready', async () => {
    const c = deferredChunk();
    const slot = document.body.appendChild(document.createElement('section'));
    const emit = vi.fn();
    const ready = new Promise((resolve) => {
      const handle = mountCaseloadHost(c.chunk, { ...options, target: slot, theme: 'dark' }, emit, resolve);
      handle.setClients(['latest']);
      expect(c.mounted).toHaveLength(0);
      c.arrive();
    });
    const handle = (await ready) as { setClients(x: unknown): void; remove(): void };
    const host = slot.querySelector('attune-widget') as HTMLElement;
    expect(host.dataset.theme).toBe('dark');
    expect(c.mounted).toEqual([
      {
        token: 't',
        api: 'https://api.test',
        clients: ['latest'],
        nonce: 'n',
        locale: 'fr',
        root: host.shadowRoot,
        emit,
      },
    ]);
    handle.setClients(['again']);
    expect(c.controller.setClients).toHaveBeenCalledWith(['again']);
    handle.remove();
    expect(c.controller.teardown).toHaveBeenCalled();
    expect(document.querySelector('attune-widget')).toBeNull();
    expect(emit).not.toHaveBeenCalled();
  });

  it('mounts nothing when removed before the chunk arrives', async () => {
    const c = deferredChunk();
    const ready = vi.fn();
    mountCaseloadHost(c.chunk, options, vi.fn(), ready).remove();
    c.arrive();
    await c.chunk;
    await Promise.resolve();
    expect(c.mounted).toHaveLength(0);
    expect(ready).not.toHaveBeenCalled();
    expect(document.querySelector('attune-widget')).toBeNull();
  });

  it('reports a chunk that cannot be had as chunk_load_failed', async () => {
    const c = deferredChunk();
    const failed = new Promise((resolve) =>
      mountCaseloadHost(c.chunk, options, (event, detail) => resolve({ event, detail })),
    );
    c.fail(new Error('offline'));
    expect(await failed).toEqual({
      event: 'error',
      detail: { code: 'chunk_load_failed', message: 'Attune: could not load the caseload: Error: offline' },
    });
  });
});
