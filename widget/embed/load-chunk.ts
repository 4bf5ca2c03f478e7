import type { RoleChunk } from '../shared/contract.ts';

export type Importer = (url: string) => Promise<unknown>;

/**
 * One load promise per chunk; cleared on failure so the next call retries; gives up after `timeoutMs`.
 */
export function chunkLoader(url: string, importer: Importer, timeoutMs: number) {
  let pending: Promise<RoleChunk> | null = null;
  return {
    load(): Promise<RoleChunk> {
      if (pending) return pending;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out: ' + url)), timeoutMs);
      });
      const p = Promise.race([importer(url), timeout]).then((mod) => {
        const m = mod as Partial<RoleChunk> | null;
        if (!m || typeof m.mount !== 'function') throw new Error('not a widget chunk: ' + url);
        return m as RoleChunk;
      });
      pending = p.then(
        (m) => {
          clearTimeout(timer);
          return m;
        },
        (e: unknown) => {
          clearTimeout(timer);
          pending = null;
          throw e;
        },
      );
      return pending;
    },
  };
}
