import { serveThreadTasks } from '@lakerunner/core';
import { type CompactTask, type IngestTask, runCompact, runIngest, type TaskResult } from './log-files.js';

// Worker-thread entry: decoding and Parquet encoding for the logs stages.
serveThreadTasks<IngestTask | CompactTask, TaskResult>((task) => {
  const result = task.kind === 'ingest' ? runIngest(task) : runCompact(task);
  return { result, transfer: result.files.map((f) => f.parquet.buffer as ArrayBuffer) };
});
