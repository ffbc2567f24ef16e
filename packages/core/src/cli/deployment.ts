import { type LoadedConfig, loadConfig } from '../config/load.js';
import { loadSignalPlugins } from '../plugin/load.js';
import { registerSignalPlugins } from '../plugin/register.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import { buildTopicRegistry, type TopicRegistry } from '../topics/registry.js';

/** Everything a CLI command needs to know about the deployment it operates on. */
export interface Deployment extends LoadedConfig {
  plugins: readonly SignalPlugin[];
  registry: TopicRegistry;
}

export async function loadDeployment(options: { config?: string; env?: NodeJS.ProcessEnv; cwd?: string }) {
  const loaded = await loadConfig({ file: options.config, env: options.env, cwd: options.cwd });
  const plugins = registerSignalPlugins(await loadSignalPlugins(loaded.config.plugins, loaded.baseDir));
  const registry = buildTopicRegistry(plugins, loaded.config.kafkaTopics.topicPrefix);
  return { ...loaded, plugins, registry } satisfies Deployment;
}
