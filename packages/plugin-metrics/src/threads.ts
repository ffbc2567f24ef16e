import { lazySignalThreadPool } from '@lakerunner/plugin-kit';

/**
 * The metrics stages' worker threads. Under the test runner this module is TypeScript source,
 * which worker threads cannot load, so the built script is used.
 */
export const metricsThreads = lazySignalThreadPool(
  import.meta.url.endsWith('.ts')
    ? new URL('../dist/thread.js', import.meta.url)
    : new URL('./thread.js', import.meta.url),
);
