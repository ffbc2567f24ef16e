import semver from 'semver';
import { LakerunnerError } from '../errors.js';
import { CORE_VERSION } from '../version.js';
import type { Codec } from './codec.js';
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

/**
 * Validates the codecs a deployment adds: each serves signals some plugin declares, claims at
 * least one suffix or can sniff, and no two codecs of a signal share a name.
 */
export function registerCodecs(codecs: readonly Codec[], plugins: readonly SignalPlugin[]): readonly Codec[] {
  const signals = new Set(plugins.map((p) => p.signal));
  const names = new Set<string>();
  for (const codec of codecs) {
    const who = `codec ${codec.name || '(unnamed)'}${codec.module ? ` (${codec.module})` : ''}`;
    if (!codec.name || typeof codec.decode !== 'function' || typeof codec.sniff !== 'function') {
      throw new LakerunnerError('LR_PLUGIN_INVALID', `${who}: a codec needs a name, sniff() and decode()`);
    }
    if (!Array.isArray(codec.signals) || codec.signals.length === 0) {
      throw new LakerunnerError('LR_PLUGIN_INVALID', `${who}: "signals" must name at least one signal`);
    }
    for (const signal of codec.signals) {
      if (!signals.has(signal)) {
        throw new LakerunnerError(
          'LR_PLUGIN_INVALID',
          `${who} serves signal "${signal}", but no plugin declares it (plugins: ${[...signals].join(', ')})`,
        );
      }
      const key = `${signal}/${codec.name}`;
      if (names.has(key)) {
        throw new LakerunnerError(
          'LR_PLUGIN_INVALID',
          `two codecs of signal "${signal}" are named "${codec.name}"`,
        );
      }
      names.add(key);
    }
  }
  return [...codecs];
}
