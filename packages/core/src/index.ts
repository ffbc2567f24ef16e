export { ERROR_CODES, type ErrorCode, LakerunnerError, isLakerunnerError } from './errors.js';
export { CORE_VERSION } from './version.js';

export {
  configSchema,
  DEFAULT_TOPIC_CONFIGS,
  OFFICIAL_PLUGINS,
  type KafkaConfig,
  type KafkaTopicsConfig,
  type LakerunnerConfig,
  type TopicSettings,
} from './config/schema.js';
export { ENV_BINDINGS, type EnvBinding } from './config/env.js';
export { loadConfig, type LoadConfigOptions, type LoadedConfig } from './config/load.js';
export { configOptions, renderConfigDocs, type ConfigOption } from './config/docs.js';

export {
  defineSignalPlugin,
  isSignalPlugin,
  REQUIRED_STAGES,
  type SignalPlugin,
  type SignalPluginDeclaration,
  type StageDeclaration,
} from './plugin/signal-plugin.js';
export { registerSignalPlugins } from './plugin/register.js';
export { loadSignalPlugins } from './plugin/load.js';

export {
  boxerService,
  buildTopicRegistry,
  PUBSUB_SERVICE,
  workerService,
  type ServiceDescriptor,
  type ServiceRole,
  type TopicBinding,
  type TopicKind,
  type TopicRegistry,
} from './topics/registry.js';
export {
  desiredTopics,
  readTopicOverrides,
  topicOverridesSchema,
  type DesiredTopic,
  type TopicOverrides,
} from './topics/settings.js';

export { createKafkaClient, type KafkaClientOptions } from './kafka/client.js';
export { withKafkaAdmin } from './kafka/admin.js';
export {
  syncTopics,
  type TopicState,
  type TopicSyncResult,
  type TopicSyncStatus,
} from './kafka/topic-sync.js';

export { runCli } from './cli/program.js';
export type { CliContext, CliIO } from './cli/io.js';
