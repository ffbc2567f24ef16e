// kafkajs is CommonJS; Node's ESM loader cannot see all of its named exports, so its runtime
// values are taken from the default export here, once, for the whole package.
import kafkajs from 'kafkajs';
import './idle-request-queue.js';

export const { Kafka, logLevel, ConfigResourceTypes, AssignerProtocol, Partitioners } = kafkajs;
export type {
  Admin,
  Consumer,
  Kafka as KafkaClient,
  KafkaConfig as KafkajsConfig,
  Producer,
  SASLOptions,
} from 'kafkajs';
