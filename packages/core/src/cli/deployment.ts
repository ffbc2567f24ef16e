import type { Command } from 'commander';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import type { Codec } from '../plugin/codec.js';
import { loadCodecs, loadSignalPlugins } from '../plugin/load.js';
import { registerCodecs, registerSignalPlugins } from '../plugin/register.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import { buildTopicRegistry, type TopicRegistry } from '../topics/registry.js';
import type { CliContext } from './io.js';

/** Everything a CLI command needs to know about the deployment it operates on. */
export interface Deployment extends LoadedConfig {
  plugins: readonly SignalPlugin[];
  codecs: readonly Codec[];
  registry: TopicRegistry;
}

/**
 * Loads the deployment a command runs against (its --config, the environment, the working
 * directory) and reports config warnings, on stderr unless the command logs them itself.
 */
export async function loadDeployment(
  command: Command,
  ctx: CliContext,
  onWarning: (warning: string) => void = (w) => ctx.io.err(`warning: ${w}`),
): Promise<Deployment> {
  const { config: file } = command.optsWithGlobals<{ config?: string }>();
  const loaded = await loadConfig({ file, env: ctx.env, cwd: ctx.cwd });
  for (const warning of loaded.warnings) onWarning(warning);
  const plugins = registerSignalPlugins(await loadSignalPlugins(loaded.config.plugins, loaded.baseDir));
  const codecs = registerCodecs(await loadCodecs(loaded.config.codecs, loaded.baseDir), plugins);
  const registry = buildTopicRegistry(plugins, loaded.config.kafkaTopics.topicPrefix);
  return { ...loaded, plugins, codecs, registry };
}
