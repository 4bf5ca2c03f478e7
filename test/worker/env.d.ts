import type { D1Migration } from '@cloudflare/vitest-plugin';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../../worker/index.ts');
    }
    interface Env {
      DB: D1Database;
      TEST_MIGRATIONS: D1Migration[];
      REF_HASH_SECRET: string;
    }
  }
}
