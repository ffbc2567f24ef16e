import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { WrittenSegment } from '../segments/encode.js';
import type { SignalEncoding } from '../segments/encoding.js';
import { InputError } from './input-error.js';
import { type MergeOptions, mergeInputs } from './merge-inputs.js';
import type { SegmentFile } from './segment-file.js';
import { type MergeSource, writeSortedRun } from './sorted-run.js';
import { unionColumns } from './union-columns.js';

/**
 * Inputs merged at once by default. Each open input costs about 4.5 MB of decoder state in wasm
 * memory besides its decoded batch; 16 keeps a merge near 450 MB in all, where 24 measured over
 * 512 MB. Every pass reads and writes all rows once more, so a larger fan-in is faster.
 */
const DEFAULT_FAN_IN = 16;

/**
 * Merges any number of sorted inputs (undefined: left out) with at most `fanIn` of them open at
 * once, so memory follows `fanIn`, not the number of inputs: consecutive groups of inputs are
 * merged into sorted runs on disk in `dir`, groups of those runs into further runs, until at
 * most `fanIn` remain, which mergeInputs merges into the outputs. Groups are consecutive so
 * rows of equal key keep the inputs' order, the order a single merge keeps; runs are removed
 * as soon as they are merged. An InputError names an input of the caller's; runs are ours, so
 * a run that cannot be read fails the merge.
 */
export async function mergeBounded<R, Row>(
  inputs: readonly (SegmentFile | undefined)[],
  encoding: SignalEncoding<R, Row>,
  options: MergeOptions & { fanIn?: number },
  dir: string,
  written: WrittenSegment[],
): Promise<void> {
  const fanIn = Math.max(2, options.fanIn ?? DEFAULT_FAN_IN);
  let level: MergeSource[] = inputs.flatMap((input, index) => (input ? [{ input, index }] : []));
  if (level.length <= fanIn) return mergeInputs(inputs, encoding, options, dir, written);
  const columns = unionColumns(level.map((s) => s.input));
  const runs: string[] = [];
  try {
    for (let depth = 0; level.length > fanIn; depth++) {
      const next: MergeSource[] = [];
      for (const group of consecutiveGroups(level, fanIn)) {
        const path = join(dir, `run-${depth}-${next.length}.parquet`);
        runs.push(path);
        const run = await ours(depth > 0, () => writeSortedRun(group, columns, encoding, path));
        if (run) next.push({ input: run, index: next.length });
      }
      if (depth > 0) await Promise.all(level.map((s) => rm(s.input.path, { force: true })));
      level = next;
    }
    const runInputs = level.map((s) => s.input);
    await ours(true, () => mergeInputs(runInputs, encoding, options, dir, written));
  } finally {
    await Promise.all(runs.map((path) => rm(path, { force: true })));
  }
}

/** `items` in consecutive groups of at most `size`, as even as possible. */
function consecutiveGroups<T>(items: readonly T[], size: number): T[][] {
  const count = Math.ceil(items.length / size);
  const groups: T[][] = [];
  for (let g = 0, at = 0; g < count; g++) {
    const length = Math.floor(items.length / count) + (g < items.length % count ? 1 : 0);
    groups.push(items.slice(at, at + length));
    at += length;
  }
  return groups;
}

/** Runs `merge`; when it reads only runs, an InputError is a failure of ours, not of an input. */
async function ours<T>(runsOnly: boolean, merge: () => Promise<T>): Promise<T> {
  try {
    return await merge();
  } catch (err) {
    if (runsOnly && err instanceof InputError)
      throw new Error(`a sorted run of the merge is unreadable: ${err.message}`);
    throw err;
  }
}
