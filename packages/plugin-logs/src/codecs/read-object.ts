import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { isLakerunnerError, LakerunnerError, type ObjectInput, type ObjectStore } from '@lakerunner/core';
import { parseJsonLines } from './json-lines.js';
import { isOtlpLogs, parseOtlpLogs } from './otlp-json.js';
import type { RecordDraft } from './record-draft.js';

const gunzipAsync = promisify(gunzip);

/**
 * Codecs are chosen by key suffix (after an optional .gz): .json (an OTLP request, or JSON
 * lines), .jsonl / .ndjson (JSON lines, each line possibly an OTLP request). Decoding problems
 * are LR_INPUT_CORRUPT, unknown formats LR_INPUT_UNSUPPORTED: both permanent for that input.
 * Storage trouble stays retriable and fails the whole unit, to be retried.
 */
export const SUPPORTED_SUFFIXES = ['.json', '.jsonl', '.ndjson'];

export async function readLogObject(store: ObjectStore, input: ObjectInput): Promise<RecordDraft[]> {
  const compressed = input.key.endsWith('.gz');
  const base = compressed ? input.key.slice(0, -3) : input.key;
  const suffix = SUPPORTED_SUFFIXES.find((s) => base.endsWith(s));
  if (!suffix) {
    throw new LakerunnerError(
      'LR_INPUT_UNSUPPORTED',
      `${input.key}: no logs codec for this format (supported: ${SUPPORTED_SUFFIXES.join(', ')}, optionally .gz)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await store.getBytes(input.key);
  } catch (err) {
    if (isLakerunnerError(err) && err.code === 'LR_STORAGE_NOT_FOUND') {
      throw new LakerunnerError('LR_INPUT_CORRUPT', `${input.key}: the object no longer exists`);
    }
    throw err;
  }
  if (compressed) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (err) {
      throw new LakerunnerError('LR_INPUT_CORRUPT', `${input.key}: cannot gunzip: ${(err as Error).message}`);
    }
  }
  const text = bytes.toString('utf8');
  try {
    if (suffix === '.json') {
      const whole = tryParse(text);
      if (isOtlpLogs(whole)) return [...parseOtlpLogs(whole)];
    }
    return [...parseJsonLines(text)];
  } catch (err) {
    throw new LakerunnerError('LR_INPUT_CORRUPT', `${input.key}: ${(err as Error).message}`);
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
