import type { Command } from 'commander';
import type { CliContext } from '../io.js';
import { registerConsumerLag } from './debug/consumer-lag.js';
import { registerFlushConsumer } from './debug/flush-consumer.js';
import { registerGroups } from './debug/groups.js';
import { registerTail } from './debug/tail.js';
import { registerKafkaTopics } from './debug/topics.js';

export function registerDebugCommands(program: Command, ctx: CliContext) {
  const debug = program
    .command('debug')
    .description('operator tools for inspecting and repairing a deployment');
  const kafka = debug
    .command('kafka')
    .description('inspect consumer lag, flush consumer groups, tail topics');
  registerConsumerLag(kafka, ctx);
  registerFlushConsumer(kafka, ctx);
  registerTail(kafka, ctx);
  registerGroups(kafka, ctx);
  registerKafkaTopics(kafka, ctx);
}
