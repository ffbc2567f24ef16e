import {
  isLakerunnerError,
  LakerunnerError,
  type ObjectInput,
  objectIdentity,
  type StageFailure,
  type StageHandler,
} from '@lakerunner/core';
import { codecSuffix, unsupported } from './codecs/read-object.js';
import { DEFAULT_MAX_ROWS_PER_SEGMENT, ownBytes, storeLogFiles } from './store-files.js';
import { logsThreadPool } from './thread-pool.js';

/**
 * Ingest: raw log objects → sorted, day-split ZSTD Parquet segments. Reading and writing the
 * store happen here; decoding and encoding on a worker thread. An input that cannot be decoded
 * is reported as failed (and dead-lettered by the runtime); the others proceed.
 */
export function createLogsIngestHandler(options: { maxRowsPerSegment?: number } = {}): StageHandler {
  return async (context) => {
    const failures: StageFailure[] = [];
    const fetched: { input: ObjectInput; bytes: Uint8Array }[] = [];
    for (const input of context.inputs) {
      if (input.kind !== 'object') continue;
      if (!codecSuffix(input.key)) {
        const err = unsupported(input.key);
        failures.push({ input, code: err.code, reason: err.message });
        continue;
      }
      try {
        fetched.push({ input, bytes: ownBytes(await context.store.getBytes(input.key)) });
      } catch (err) {
        if (isLakerunnerError(err) && err.code === 'LR_STORAGE_NOT_FOUND') {
          const gone = new LakerunnerError('LR_INPUT_CORRUPT', `${input.key}: the object no longer exists`);
          failures.push({ input, code: gone.code, reason: gone.message });
          continue;
        }
        throw err;
      }
    }
    const result = await logsThreadPool().run(
      {
        kind: 'ingest',
        maxRows: options.maxRowsPerSegment ?? DEFAULT_MAX_ROWS_PER_SEGMENT,
        inputs: fetched.map((f) => ({ identity: objectIdentity(f.input), key: f.input.key, bytes: f.bytes })),
      },
      fetched.map((f) => f.bytes.buffer as ArrayBuffer),
    );
    for (const f of result.failures) {
      failures.push({
        input: (fetched[f.index] as { input: ObjectInput }).input,
        code: f.code,
        reason: f.reason,
      });
    }
    return { outputs: await storeLogFiles(context, result.files), failures };
  };
}
