import type { D1Migration } from '@cloudflare/vitest-plugin';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../../worker/index.ts');
      durableNamespaces: 'SessionLive';
    }
    interface Env {
      DB: D1Database;
      LIVE: DurableObjectNamespace<import('../../worker/live/session-live.ts').SessionLive>;
      TEST_MIGRATIONS: D1Migration[];
      REF_HASH_SECRET: string;
      WEBHOOKS: Queue<import('../../worker/webhooks/deliver.ts').WebhookMessage>;
      WEBHOOKS_DLQ: Queue<import('../../worker/webhooks/dead-letters.ts').ParkedMessage>;
      WEBHOOK_RETRY_BASE_SECONDS: string;
      AUTH_FAILURES_BY_IP: RateLimit;
      AUTH_FAILURES_BY_KID: RateLimit;
      /** Unset in the tests: exported Questionnaires get the default canonical base. */
      FHIR_CANONICAL_BASE?: string;
      /** Runs per endpoint of test/worker/http/fuzz.test.ts ('' = the CI default); bench/fuzz.bench.ts raises it. */
      FUZZ_RUNS: string;
    }
  }
}
