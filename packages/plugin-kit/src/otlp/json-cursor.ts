import { LakerunnerError } from '@lakerunner/core';
import { depthLimitError, maxDepthOf, type OtlpLimits } from './limits.js';

/**
 * Where the JSON decoders are in the document, kept as a stack of keys and indexes so that naming
 * a position costs nothing until an error needs it: `resourceLogs[0].scopeLogs`.
 */
export class JsonCursor {
  readonly maxDepth: number;
  private readonly parts: (string | number)[] = [];

  constructor(limits: OtlpLimits) {
    this.maxDepth = maxDepthOf(limits);
  }

  enter(key: string | number): void {
    this.parts.push(key);
  }

  leave(): void {
    this.parts.pop();
  }

  /** An LR_INPUT_CORRUPT error about `key`, a field or index of the current position. */
  corrupt(key: string | number, problem: string): LakerunnerError {
    return new LakerunnerError('LR_INPUT_CORRUPT', `OTLP/JSON ${this.where(key)}: ${problem}`);
  }

  /** Throws when an AnyValue container at `depth` (1 for the outermost) is past the limit. */
  checkDepth(key: string | number, depth: number): void {
    if (depth > this.maxDepth) throw depthLimitError(this.maxDepth, this.where(key));
  }

  private where(key: string | number): string {
    let where = '';
    for (const part of [...this.parts, key]) {
      if (typeof part === 'number') where += `[${part}]`;
      else where += where === '' ? part : `.${part}`;
    }
    return where;
  }
}
