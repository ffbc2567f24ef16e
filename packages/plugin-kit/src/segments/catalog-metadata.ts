const MAX_METADATA_VALUES = 1000;

/**
 * The distinct values of one column in one file, as catalog metadata lists them: the first
 * 1,001 distinct values met (then it stops looking), sorted, at most 1,000 kept.
 */
export class DistinctValues {
  private readonly values = new Set<string>();

  /** False once enough values were seen: later values change nothing. */
  get open(): boolean {
    return this.values.size <= MAX_METADATA_VALUES;
  }

  add(value: unknown): void {
    if (value !== null && value !== undefined && this.open) this.values.add(String(value));
  }

  list(): string[] {
    return [...this.values].sort().slice(0, MAX_METADATA_VALUES);
  }
}
