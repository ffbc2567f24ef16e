import semver from 'semver';
import { LakerunnerError } from '../errors.js';
import { CORE_VERSION } from '../version.js';
import { REQUIRED_STAGES, type SignalPlugin } from './signal-plugin.js';

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Validates a deployment's signal plugins as a set and returns them in registration order.
 * Every mistake is a coded start-up error naming the plugin, never a surprise at run time.
 */
export function registerSignalPlugins(
  plugins: readonly SignalPlugin[],
  coreVersion: string = CORE_VERSION,
): readonly SignalPlugin[] {
  const seen = new Map<string, string>();
  for (const plugin of plugins) {
    validateOne(plugin, coreVersion);
    const previous = seen.get(plugin.signal);
    if (previous !== undefined) {
      throw new LakerunnerError(
        'LR_PLUGIN_DUPLICATE_SIGNAL',
        `signal "${plugin.signal}" is declared by both ${previous} and ${plugin.name}; keep one of them`,
      );
    }
    seen.set(plugin.signal, plugin.name);
  }
  return [...plugins];
}

function validateOne(plugin: SignalPlugin, coreVersion: string) {
  const who = `plugin ${plugin.name || '(unnamed)'}`;
  if (!plugin.name) throw new LakerunnerError('LR_PLUGIN_INVALID', `${who}: "name" is required`);
  if (!NAME.test(plugin.signal)) {
    throw new LakerunnerError(
      'LR_PLUGIN_INVALID',
      `${who}: signal "${plugin.signal}" must match ${NAME} (it becomes part of topic names)`,
    );
  }
  if (!semver.validRange(plugin.core)) {
    throw new LakerunnerError(
      'LR_PLUGIN_INVALID',
      `${who}: core range "${plugin.core}" is not a semver range`,
    );
  }
  if (!semver.satisfies(coreVersion, plugin.core, { includePrerelease: true })) {
    throw new LakerunnerError(
      'LR_PLUGIN_INCOMPATIBLE_CORE',
      `${who} needs @lakerunner/core ${plugin.core}, but ${coreVersion} is installed`,
    );
  }
  const stages = Object.keys(plugin.stages);
  for (const required of REQUIRED_STAGES) {
    if (!stages.includes(required)) {
      throw new LakerunnerError(
        'LR_PLUGIN_MISSING_STAGE',
        `${who}: signal "${plugin.signal}" has no "${required}" stage (every signal needs ${REQUIRED_STAGES.join(' and ')})`,
      );
    }
  }
  for (const [stage, declaration] of Object.entries(plugin.stages)) {
    if (!NAME.test(stage)) {
      throw new LakerunnerError('LR_PLUGIN_INVALID', `${who}: stage name "${stage}" must match ${NAME}`);
    }
    for (const fed of declaration.feeds) {
      if (fed === 'ingest' || !stages.includes(fed)) {
        const why = fed === 'ingest' ? 'only pubsub feeds ingest' : 'no such stage is declared';
        throw new LakerunnerError(
          'LR_PLUGIN_UNKNOWN_STAGE',
          `${who}: stage "${stage}" feeds "${fed}", but ${why}`,
        );
      }
    }
  }
}
