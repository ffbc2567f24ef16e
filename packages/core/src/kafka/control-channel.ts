import { setTimeout as sleep } from 'node:timers/promises';
import { type Logger, silentLogger } from '../logger.js';
import { encodeControlMessage, type FlushAck, type FlushRequest, parseControlMessage } from './control.js';
import { partitionRanges } from './group-state.js';
import type { Admin, KafkaClient, Producer } from './kafkajs.js';
import { createPartitionReader, type PartitionReader } from './partition-reader.js';

/** What a listener needs to carry out a flush: offsets of its topics, and a way to answer. */
export interface ControlTools {
  admin: Admin;
  acknowledge(ack: FlushAck): Promise<void>;
}

export type FlushListener = (request: FlushRequest, tools: ControlTools) => Promise<void>;

/**
 * The process's one reader of the control topic. Every consumer group of the process listens
 * through it, so a process running ten services keeps one long poll, one admin client and one
 * producer for control traffic instead of ten of each. It reads from the topic's end (requests
 * made while nobody listened are moot), and runs only while at least one group listens.
 */
export interface ControlChannel {
  readonly topic: string;
  /**
   * Hands flush requests addressed to `groupId` to `onFlush` from now on; resolves once
   * listening, with the function that stops listening.
   */
  listen(groupId: string, onFlush: FlushListener): Promise<() => Promise<void>>;
}

export interface ControlChannelOptions {
  /**
   * How long each read waits at the broker when no request is there, in ms (default 5000, as
   * kafka.fetchMaxWaitMs): an idle process reads once per wait, and the last group to stop
   * listening may wait this long for the read in flight.
   */
  maxWaitMs?: number;
}

export function createControlChannel(
  kafka: KafkaClient,
  topic: string,
  log: Logger = silentLogger,
  options: ControlChannelOptions = {},
): ControlChannel {
  const maxWaitMs = options.maxWaitMs ?? 5000;
  const listeners = new Map<symbol, { groupId: string; onFlush: FlushListener }>();
  /** The flush each listener is carrying out now: leaving waits for it. */
  const inFlight = new Map<symbol, Promise<void>>();
  let running: Promise<{ stop(): Promise<void> }> | undefined;
  // Starting and stopping the reader are serialized, so a listener that arrives while the
  // last one leaves never sees a half-stopped reader.
  let transitions: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = transitions.then(work, work);
    transitions = next.catch(() => {});
    return next;
  };

  async function startReading() {
    const admin = kafka.admin();
    const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    let reader: PartitionReader | undefined;
    let position: bigint;
    try {
      await admin.connect();
      await producer.connect();
      reader = await createPartitionReader(kafka);
      position = await controlTopicEnd(admin, topic);
    } catch (err) {
      // Nothing stays connected when the reader cannot start.
      await reader?.close().catch(() => {});
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
      throw err;
    }
    const connected = reader;
    const tools: ControlTools = {
      admin,
      async acknowledge(ack) {
        await producer.send({
          topic,
          acks: -1,
          messages: [{ key: ack.group, value: encodeControlMessage(ack) }],
        });
      },
    };
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        try {
          // A long poll: the broker answers when a request arrives or after maxWaitMs, so an
          // idle process costs one request per wait, and stopping waits at most that long.
          const messages = await reader.fetch([{ topic, partition: 0, offset: position }], { maxWaitMs });
          for (const m of messages) {
            position = m.offset + 1n;
            const request = parseControlMessage(m.value);
            if (request?.type !== 'flush') continue;
            for (const [id, { groupId, onFlush }] of [...listeners]) {
              // A group that stopped listening meanwhile is not flushed any more.
              if (request.group !== groupId || !listeners.has(id)) continue;
              log.info('live flush requested', { groupId, id: request.id });
              const flushing = onFlush(request, tools).catch((err) =>
                log.error('live flush failed', { groupId, id: request.id, error: String(err) }),
              );
              inFlight.set(id, flushing);
              await flushing;
              inFlight.delete(id);
            }
          }
        } catch (err) {
          if (stopped) break;
          log.warn('control topic read failed; retrying', { topic, error: String(err) });
          await sleep(1000);
        }
      }
    })();
    return {
      async stop() {
        stopped = true;
        await loop;
        await connected.close();
        await producer.disconnect();
        await admin.disconnect();
      },
    };
  }

  return {
    topic,
    async listen(groupId, onFlush) {
      const id = Symbol(groupId);
      await serially(async () => {
        running ??= startReading();
        try {
          await running;
        } catch (err) {
          running = undefined;
          throw err;
        }
        listeners.set(id, { groupId, onFlush });
      });
      return () =>
        serially(async () => {
          const known = listeners.delete(id);
          // The group's consumer stops after this: not while its flush still seeks and commits.
          await inFlight.get(id);
          if (!known || listeners.size > 0 || !running) return;
          const reading = await running;
          running = undefined;
          await reading.stop();
        });
    },
  };
}

/**
 * Where the control topic ends now. Right after `topics sync` the broker may still answer "not
 * the leader" for a new topic's offsets; that passes within seconds, so it is retried.
 */
async function controlTopicEnd(admin: Admin, topic: string): Promise<bigint> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await partitionRanges(admin, topic)).find((r) => r.partition === 0)?.high ?? 0n;
    } catch (err) {
      const retriable = (err as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= 30) throw err;
      await sleep(500);
    }
  }
}
