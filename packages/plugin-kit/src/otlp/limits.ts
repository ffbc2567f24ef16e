import { LakerunnerError } from '@lakerunner/core';

export interface OtlpLimits {
  /** Maximum nesting of AnyValue arrays and kvlists (a scalar attribute is depth 0). */
  maxDepth: number;
}

export const DEFAULT_OTLP_LIMITS: OtlpLimits = { maxDepth: 64 };

/**
 * AnyValue trees are decoded recursively (a few stack frames per level), so the depth limit is
 * also what keeps hostile input from overflowing the stack; capping the setting keeps that true
 * whatever a configuration says.
 */
const MAX_SUPPORTED_DEPTH = 1000;

/** Returns the depth limit after checking it, so a bad setting fails before any input is read. */
export function maxDepthOf(limits: OtlpLimits): number {
  const { maxDepth } = limits;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_SUPPORTED_DEPTH) {
    throw new LakerunnerError(
      'LR_CONFIG_INVALID',
      `OTLP maxDepth must be an integer from 0 to ${MAX_SUPPORTED_DEPTH}, got ${String(maxDepth)}`,
    );
  }
  return maxDepth;
}

export function depthLimitError(maxDepth: number, where: string): LakerunnerError {
  return new LakerunnerError(
    'LR_INPUT_LIMIT',
    `OTLP value nested deeper than the maxDepth limit of ${maxDepth} at ${where}`,
  );
}
