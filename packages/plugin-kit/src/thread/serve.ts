import { type Codec, serveThreadTasks } from '@lakerunner/core';
import { runCompactTask } from '../compact/merge-task.js';
import { runIngestTask } from '../ingest/decode-task.js';
import type { SignalEncoding } from '../segments/encoding.js';
import type { SignalTask, TaskResult } from './tasks.js';

/**
 * The body of a signal plugin's worker-thread script: decodes and encodes for the signal's
 * ingest and compaction. The script is the only module a thread loads, so it names the
 * plugin's codecs and encoding itself; the deployment's codecs arrive by module URL per task.
 */
export function serveSignalTasks<R, Row>(options: {
  encoding: SignalEncoding<R, Row>;
  codecs: readonly Codec<R>[];
}): void {
  serveThreadTasks<SignalTask, TaskResult>(async (task) => {
    const result =
      task.kind === 'ingest'
        ? await runIngestTask(task, options.encoding, options.codecs)
        : await runCompactTask(task, options.encoding);
    return { result, transfer: result.files.map((f) => f.parquet.buffer as ArrayBuffer) };
  });
}
