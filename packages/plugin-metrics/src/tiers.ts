import { LakerunnerError } from '@lakerunner/core';

/**
 * Frequencies of the metrics tiers, in ms: ingest writes the first; rollup turns each into the
 * next. The last tier is only compacted.
 */
export const DEFAULT_TIERS = [10_000, 60_000, 300_000, 1_200_000, 3_600_000] as const;

export function nextTier(tiers: readonly number[], frequencyMs: number): number | undefined {
  const i = tiers.indexOf(frequencyMs);
  return i >= 0 ? tiers[i + 1] : undefined;
}

/**
 * The tiers a deployment asked for after the first, checked: a window of one tier must be made of
 * whole windows of the one below (and a day of whole windows), or rollup could not be exact.
 */
export function checkTiers(after: readonly number[]): number[] {
  const tiers = [DEFAULT_TIERS[0], ...after];
  for (let i = 1; i < tiers.length; i++) {
    const [below, tier] = [tiers[i - 1] as number, tiers[i] as number];
    if (!Number.isInteger(tier) || tier <= below || tier % below !== 0 || 86_400_000 % tier !== 0) {
      throw new LakerunnerError(
        'LR_PLUGIN_INVALID',
        `metrics tiers: ${tier} ms is not a larger multiple of ${below} ms that divides a day`,
      );
    }
  }
  return tiers;
}
