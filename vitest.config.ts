import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure logic, no services, packages/*\/test) and `integration` (real
 * Kafka broker and PostgreSQL started by test/setup/services.ts, test/**). `npm test` runs both;
 * `npx vitest run --project unit` is the fast inner loop.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/services.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One broker and one database on 2 cores: files run one at a time so timing-sensitive
          // tests (rebalances, lag) are not starved by their neighbours.
          fileParallelism: false,
        },
      },
    ],
  },
});
