/**
 * Frequencies of the metrics tiers, in ms: ingest writes the first; rollup turns each into the
 * next. The last tier is only compacted.
 */
export const DEFAULT_TIERS = [10_000, 60_000, 300_000, 1_200_000, 3_600_000] as const;

export function nextTier(tiers: readonly number[], frequencyMs: number): number | undefined {
  const i = tiers.indexOf(frequencyMs);
  return i >= 0 ? tiers[i + 1] : undefined;
}
