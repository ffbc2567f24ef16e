import type { NewSegment } from '../catalog/catalog.js';
import type { BoxerPolicy } from './boxer-policy.js';
import type { StageHandler } from './stage-handler.js';

/**
 * A signal plugin declares one telemetry signal and the stages its data passes through. The
 * topic registry, consumer groups and service names are all derived from these declarations,
 * so a new signal needs no change in core.
 */

/** Stages every signal must have: raw objects become segments, segments get compacted. */
export const REQUIRED_STAGES = ['ingest', 'compact'] as const;

export interface StageDeclaration {
  /**
   * Stages whose boxer this stage's worker notifies about the segments it writes, e.g. metrics
   * `ingest` feeds `compact` and `rollup`. `ingest` cannot be fed: only pubsub writes to it.
   */
  feeds: readonly string[];
  /**
   * The stages one output is fed to, when that depends on the output (the last rollup tier
   * feeds compaction only); a subset of `feeds`. Default: all of `feeds`.
   */
  feedsFor?(output: NewSegment): readonly string[];
  /**
   * What consuming a segment means for this stage: `replace` (default) unpublishes its inputs,
   * whose place the outputs take (compaction); `mark` leaves them live and only records that
   * this stage consumed them (rollup). Ingest consumes raw objects and ignores it.
   */
  consumes?: 'replace' | 'mark';
  /** How the stage's boxer groups inputs; without one the stage cannot run. */
  boxer?: BoxerPolicy;
  /** The stage's worker logic; without one the stage cannot run. */
  handler?: StageHandler;
}

export interface SignalPluginDeclaration {
  /** Package (or module) name, used in error messages. */
  name: string;
  /** Signal name: lower-case letters, digits and "-"; it becomes part of topic names. */
  signal: string;
  /** semver range of @lakerunner/core this plugin works with. */
  core: string;
  /** Stage name → declaration, in pipeline order. Must include ingest and compact. */
  stages: Readonly<Record<string, StageDeclaration>>;
}

/**
 * A plain string tag rather than a class or unique symbol: a plugin built against one copy of
 * core (ESM or CJS, another version in node_modules) must still be recognised by another.
 */
const KIND = 'lakerunner/signal-plugin';

export interface SignalPlugin extends SignalPluginDeclaration {
  readonly kind: typeof KIND;
}

export function defineSignalPlugin(declaration: SignalPluginDeclaration): SignalPlugin {
  return Object.freeze({ ...declaration, kind: KIND });
}

export function isSignalPlugin(value: unknown): value is SignalPlugin {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === KIND;
}
