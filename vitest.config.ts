import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure logic, no services, packages/*\/test), `integration` (real
 * Kafka broker and PostgreSQL started by test/setup/services.ts, test/**) and `chaos` (fault
 * injection, test/chaos). `npm test` runs the first two; `npx vitest run --project unit` is the
 * fast inner loop; `npm run test:chaos` the third.
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
          exclude: ['test/chaos/**'],
          environment: 'node',
          globalSetup: ['test/setup/services.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One broker and one database on 2 cores: files run one at a time so timing-sensitive
          // tests (rebalances, lag) are not starved by their neighbours.
          fileParallelism: false,
        },
      },
      {
        // `npm run test:chaos`: faults injected into one ingest (kills, broker restart, database
        // and bucket outages); minutes long, so not part of `npm test`.
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/services.ts'],
          testTimeout: 900_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
