import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';

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
                  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '',
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/worker/**/*.test.ts'],
            setupFiles: ['test/worker/apply-migrations.ts'],
          },
        },
        {
          extends: false,
          test: { name: 'widget', include: ['test/widget/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
        },
        {
          extends: false,
          test: { name: 'node', include: ['test/pacing/**/*.test.ts', 'test/node/**/*.test.ts'], environment: 'node' },
        },
        {
          extends: false,
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            environment: 'node',
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
            // A poll waits for a condition, not a deadline: on a loaded 2-core machine a frame can take seconds.
            expect: { poll: { timeout: 30_000, interval: 50 } },
          },
        },
      ],
    },
  };
});
