export type {
  Catalog,
  CommitOutcome,
  CommitResult,
  InputFailure,
  NewSegment,
  ObjectVersionRef,
  OutboxEntry,
  OutboxRow,
  SegmentQuery,
  SegmentRow,
  UnitProgress,
  WorkUnitCommit,
} from './catalog/catalog.js';
export type { CliContext, CliIO } from './cli/io.js';
export { runCli } from './cli/program.js';
export { type ConfigOption, configOptions, renderConfigDocs } from './config/docs.js';
export { ENV_BINDINGS, type EnvBinding } from './config/env.js';
export { type LoadConfigOptions, type LoadedConfig, loadConfig, parseConfig } from './config/load.js';
export {
  configSchema,
  DEFAULT_TOPIC_CONFIGS,
  type KafkaConfig,
  type KafkaTopicsConfig,
  type LakerunnerConfig,
  type LakerunnerConfigInput,
  OFFICIAL_PLUGINS,
  type TopicSettings,
} from './config/schema.js';
export { createLakerunner, type Lakerunner } from './deployment/create-lakerunner.js';
export type {
  CatalogPart,
  LakerunnerOptions,
  ModuleSection,
  StorageObjects,
  StoragePart,
} from './deployment/options.js';
export { ERROR_CODES, type ErrorCode, isLakerunnerError, LakerunnerError } from './errors.js';
export { type KafkaSession, withKafka, withKafkaAdmin } from './kafka/admin.js';
export { createKafkaClient, type KafkaClientOptions } from './kafka/client.js';
export { commitGroupOffsets } from './kafka/cluster.js';
export {
  type ConsumedMessage,
  type ConsumerRunner,
  type ConsumerRunnerOptions,
  createConsumerRunner,
  type HandleContext,
} from './kafka/consumer-runner.js';
export {
  CONTROL_TOPIC_KEY,
  type ControlMessage,
  type FlushAck,
  type FlushRequest,
  parseControlMessage,
} from './kafka/control.js';
export {
  type ControlChannel,
  type ControlChannelOptions,
  createControlChannel,
} from './kafka/control-channel.js';
export { type PairLag, type PartitionLag, partitionLag } from './kafka/lag.js';
export { type LagStatus, partitionStatus } from './kafka/lag-status.js';
export { PartitionOffsets } from './kafka/offset-tracker.js';
export { createPartitionReader, type PartitionReader, type RawMessage } from './kafka/partition-reader.js';
export {
  syncTopics,
  type TopicState,
  type TopicSyncResult,
  type TopicSyncStatus,
} from './kafka/topic-sync.js';
export { waitForTopicLeaders } from './kafka/topics-ready.js';
export { type LogFields, type Logger, silentLogger } from './logger.js';
export { type DeadLetter, deadLetterSchema } from './messages/dead-letter.js';
export { decodeMessage, encodeMessage } from './messages/decode.js';
export {
  type ObjectNotification,
  objectIdentity,
  objectNotificationSchema,
} from './messages/object-notification.js';
export { type SegmentNotification, segmentNotificationSchema } from './messages/segment-notification.js';
export {
  inputIdentity,
  makeWorkUnit,
  type ObjectInput,
  type SegmentInput,
  type WorkInput,
  type WorkUnit,
  workUnitId,
  workUnitSchema,
} from './messages/work-unit.js';
export {
  type AdapterOption,
  type AdapterOptionsSpec,
  defineAdapterOptions,
  type OptionCheck,
  optionCheck,
  optionChecks,
  renderAdapterOptions,
} from './plugin/adapter-options.js';
export {
  type AdapterContext,
  type CatalogAdapter,
  defineCatalogAdapter,
  defineStorageAdapter,
  isCatalogAdapter,
  isStorageAdapter,
  type StorageAdapter,
} from './plugin/adapters.js';
export {
  type BoxerInput,
  type BoxerPolicy,
  compactBoxerPolicy,
  ingestBoxerPolicy,
} from './plugin/boxer-policy.js';
export {
  type Codec,
  type CodecDeclaration,
  type CodecFraming,
  type CodecPiece,
  DEFAULT_INPUT_LIMITS,
  defineCodec,
  type InputLimits,
  isCodec,
  type SniffResult,
} from './plugin/codec.js';
export { loadCodecs, loadDefinition, loadSignalPlugins } from './plugin/load.js';
export { registerCodecs, registerSignalPlugins } from './plugin/register.js';
export {
  defineSignalPlugin,
  isSignalPlugin,
  REQUIRED_STAGES,
  type SignalPlugin,
  type SignalPluginDeclaration,
  type StageDeclaration,
} from './plugin/signal-plugin.js';
export {
  type StageContext,
  type StageFailure,
  type StageHandler,
  type StageResult,
  segmentIdFor,
  segmentObjectKey,
} from './plugin/stage-handler.js';
export { type BoxerOptions, createBoxer } from './runtime/boxer.js';
export { createServices, type RuntimeParts, runnableServices, serviceNames } from './runtime/compose.js';
export { deadLetterFor } from './runtime/dead-letter.js';
export {
  createRuntimeEvents,
  type DeadLetterEvent,
  type RuntimeEventMap,
  type RuntimeEvents,
  type UnitDoneEvent,
} from './runtime/events.js';
export { backoffMs, classifyFailure, type Failure, type FailureKind } from './runtime/failure.js';
export {
  createHealthCheck,
  type HealthCheck,
  type HealthCheckOptions,
  type HealthReport,
  type Probe,
} from './runtime/health-check.js';
export { type HealthServer, type HealthServerOptions, startHealthServer } from './runtime/health-server.js';
export { createRuntimeMetrics, type RuntimeMetrics } from './runtime/metrics.js';
export { createMessageProducer, type MessageProducer, type OutgoingMessage } from './runtime/producer.js';
export { createPubsub, type PubsubOptions, type PubsubService, type PubsubStats } from './runtime/pubsub.js';
export { type Route, type RouteRule, routeObject } from './runtime/routing.js';
export type { Service } from './runtime/service.js';
export {
  createSweeper,
  SWEEPER_SERVICE,
  type SweeperOptions,
  sweepOrphanObjects,
  sweepReplacedSegments,
} from './runtime/sweeper.js';
export {
  createThreadPool,
  serveThreadTasks,
  type ThreadPool,
  type ThreadPoolOptions,
} from './runtime/thread-pool.js';
export { createWorker, type WorkerOptions } from './runtime/worker.js';
export { type EventGridEvents, parseEventGridEvents } from './storage/event-grid-events.js';
export { eventBucketName, eventObjectKey, isJsonObject } from './storage/event-key.js';
export { handOverMessage, type QueueMessageHandOver } from './storage/hand-over.js';
export { validateObjectKey } from './storage/keys.js';
export type {
  ListOptions,
  NotificationSource,
  ObjectEvent,
  ObjectInfo,
  ObjectStore,
  PutOptions,
} from './storage/object-store.js';
export { readAll } from './storage/read-all.js';
export { type ResolvedEvents, resolveEvents } from './storage/webhook-identity.js';
export { WebhookRejection } from './storage/webhook-rejection.js';
export {
  createWebhookSource,
  parseS3Event,
  type WebhookSource,
  type WebhookSourceOptions,
} from './storage/webhook-source.js';
export {
  boxerService,
  buildTopicRegistry,
  DEADLETTER_TOPIC_KEY,
  PUBSUB_SERVICE,
  type ServiceDescriptor,
  type ServiceRole,
  type SystemTopic,
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
export { isProcessRunning } from './util/process-running.js';
export { makeScratchDir } from './util/scratch-dir.js';
export { CORE_VERSION } from './version.js';
