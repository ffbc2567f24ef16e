export type { CliContext, CliIO } from './cli/io.js';
export { runCli } from './cli/program.js';
export { type ConfigOption, configOptions, renderConfigDocs } from './config/docs.js';
export { ENV_BINDINGS, type EnvBinding } from './config/env.js';
export { type LoadConfigOptions, type LoadedConfig, loadConfig } from './config/load.js';
export {
  configSchema,
  DEFAULT_TOPIC_CONFIGS,
  type KafkaConfig,
  type KafkaTopicsConfig,
  type LakerunnerConfig,
  OFFICIAL_PLUGINS,
  type TopicSettings,
} from './config/schema.js';
export { ERROR_CODES, type ErrorCode, isLakerunnerError, LakerunnerError } from './errors.js';
export { withKafkaAdmin } from './kafka/admin.js';
export { createKafkaClient, type KafkaClientOptions } from './kafka/client.js';
export {
  syncTopics,
  type TopicState,
  type TopicSyncResult,
  type TopicSyncStatus,
} from './kafka/topic-sync.js';
export { waitForTopicLeaders } from './kafka/topics-ready.js';
export { loadSignalPlugins } from './plugin/load.js';
export { registerSignalPlugins } from './plugin/register.js';
export {
  defineSignalPlugin,
  isSignalPlugin,
  REQUIRED_STAGES,
  type SignalPlugin,
  type SignalPluginDeclaration,
  type StageDeclaration,
} from './plugin/signal-plugin.js';
export {
  boxerService,
  buildTopicRegistry,
  PUBSUB_SERVICE,
  type ServiceDescriptor,
  type ServiceRole,
  type TopicBinding,
  type TopicKind,
  type TopicRegistry,
  workerService,
} from './topics/registry.js';
export {
  type DesiredTopic,
  desiredTopics,
  readTopicOverrides,
  type TopicOverrides,
  topicOverridesSchema,
} from './topics/settings.js';
export { CORE_VERSION } from './version.js';
