import { gunzipSync } from 'node:zlib';
import { LakerunnerError } from '@lakerunner/core';
import { parseJsonLines } from './json-lines.js';
import { isOtlpLogs, parseOtlpLogs } from './otlp-json.js';
import type { RecordDraft } from './record-draft.js';

/**
 * Codecs are chosen by key suffix (after an optional .gz): .json (an OTLP request, or JSON
 * lines), .jsonl / .ndjson (JSON lines, each line possibly an OTLP request). Decoding problems
 * are LR_INPUT_CORRUPT, unknown formats LR_INPUT_UNSUPPORTED: both permanent for that input.
 */
export const SUPPORTED_SUFFIXES = ['.json', '.jsonl', '.ndjson'];

export function codecSuffix(key: string): string | undefined {
  const base = key.endsWith('.gz') ? key.slice(0, -3) : key;
  return SUPPORTED_SUFFIXES.find((s) => base.endsWith(s));
}

export function unsupported(key: string): LakerunnerError {
  return new LakerunnerError(
    'LR_INPUT_UNSUPPORTED',
    `${key}: no logs codec for this format (supported: ${SUPPORTED_SUFFIXES.join(', ')}, optionally .gz)`,
  );
}

export function decodeLogObject(key: string, raw: Uint8Array): RecordDraft[] {
  const suffix = codecSuffix(key);
  if (!suffix) throw unsupported(key);
  let bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (key.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new LakerunnerError('LR_INPUT_CORRUPT', `${key}: cannot gunzip: ${(err as Error).message}`);
    }
  }
  const text = bytes.toString('utf8');
  try {
    if (suffix === '.json') {
      const whole = tryParse(text);
      if (isOtlpLogs(whole)) return [...parseOtlpLogs(whole, '0.')];
    }
    return [...parseJsonLines(text)];
  } catch (err) {
    throw new LakerunnerError('LR_INPUT_CORRUPT', `${key}: ${(err as Error).message}`);
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
