import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';

/**
 * Test files run two at a time in every project, and the projects alongside each other (one pool: every project
 * has the same maxWorkers and groupOrder). Vitest's default on a 2-core machine such as CI is one at a time, and
 * a project with fileParallelism: false runs after all the others, so the whole suite ran file after file although
 * the browser files mostly wait: for audio played in real time, for wrangler dev, for the widget's retries.
 */
const MAX_WORKERS = 2;

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    test: {
      projects: [
        {
          extends: false,
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                // DEV_MODE is cleared so a local .dev.vars (written by npm start) cannot change what the tests see.
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  REF_HASH_SECRET: 'test-ref-hash-secret-0123456789abcdef',
                  DEV_MODE: '',
                  // Webhook retries at once (no wall-clock wait): the backoff itself is unit-tested.
                  WEBHOOK_RETRY_BASE_SECONDS: '0',
                  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '',
                },
                // wrangler.toml's webhook consumer, flushed at once instead of after max_batch_timeout (no wall-clock
                // wait in the tests); the rest as in wrangler.toml.
                queueConsumers: {
                  'attune-webhooks': {
                    maxBatchSize: 10,
                    maxBatchTimeout: 0,
                    maxRetries: 10,
                    deadLetterQueue: 'attune-webhooks-dlq',
                  },
                  'attune-webhooks-dlq': { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 100, retryDelay: 300 },
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/worker/**/*.test.ts'],
            maxWorkers: MAX_WORKERS,
            setupFiles: ['test/worker/apply-migrations.ts'],
          },
        },
        {
          extends: false,
          test: {
            name: 'widget',
            include: ['test/widget/**/*.test.{ts,tsx}'],
            environment: 'happy-dom',
            maxWorkers: MAX_WORKERS,
          },
        },
        {
          extends: false,
          test: {
            name: 'node',
            include: ['test/pacing/**/*.test.ts', 'test/node/**/*.test.ts'],
            environment: 'node',
            maxWorkers: MAX_WORKERS,
          },
        },
        {
          extends: false,
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['test/browser/migrated-d1.ts'],
            testTimeout: 120_000,
            hookTimeout: 180_000,
            maxWorkers: MAX_WORKERS,
            // A poll waits for a condition, not a deadline: on a loaded 2-core machine a frame can take seconds.
            expect: { poll: { timeout: 30_000, interval: 50 } },
          },
        },
      ],
    },
  };
});
