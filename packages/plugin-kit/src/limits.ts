import { type InputLimits, LakerunnerError } from '@lakerunner/core';

/** The error for an input past one of its limits: it names the limit, so an operator can raise it. */
export function limitExceeded(
  key: string,
  limit: keyof InputLimits,
  value: number,
  what: string,
): LakerunnerError {
  return new LakerunnerError('LR_INPUT_LIMIT', `${key}: ${what} exceeds limits.${limit} (${value})`);
}
