import type { StageHandler } from '@lakerunner/core';
import { createIngestHandler } from '@lakerunner/plugin-kit';
import { METRIC_CODECS } from '../codecs/index.js';
import { metricsThreads } from '../threads.js';
import { DEFAULT_TIERS } from '../tiers.js';

/** Raw OTLP metric objects → one row per series and 10 s window, in ZSTD Parquet segments. */
export function createMetricsIngestHandler(
  options: { maxRowsPerSegment?: number; maxBatchBytes?: number } = {},
): StageHandler {
  return createIngestHandler({
    codecs: METRIC_CODECS,
    threads: metricsThreads,
    frequencyMs: DEFAULT_TIERS[0],
    ...options,
  });
}
