// A local single-node Apache Kafka (KRaft, combined broker + controller) owned by the repo:
// broker jars of a pinned release are resolved from Maven Central into a git-ignored cache,
// storage is formatted once, and the broker runs detached until `stopKafka`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  commandExists,
  ensureDir,
  freePortBlock,
  isOurProcess,
  portIsFree,
  readJson,
  removeFile,
  repoRoot,
  run,
  stateRoot,
  stopProcess,
  waitFor,
  writeJson,
} from './process.mjs';

/** Releases verified against kafkajs by this repo's test suite. */
export const SUPPORTED_KAFKA_VERSIONS = ['3.9.1', '4.1.1'];
export const DEFAULT_KAFKA_VERSION = '3.9.1';
export const DEFAULT_KAFKA_PORT = 9092;

/** SCRAM credentials created at format time for the SASL_PLAINTEXT listener (local use only). */
export const LOCAL_SCRAM_USER = { username: 'lakerunner', password: 'lakerunner-local-secret' };

const MARKER = 'kafka.Kafka';

function paths(port) {
  const dir = join(stateRoot, 'kafka', String(port));
  return {
    dir,
    data: join(dir, 'data'),
    properties: join(dir, 'server.properties'),
    logConfig: join(dir, 'logging.properties'),
    log: join(dir, 'broker.log'),
    state: join(dir, 'state.json'),
  };
}

function javaMajorVersion() {
  if (!commandExists('java')) return undefined;
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/**
 * Downloads (once) every runtime jar of the broker release into the cache, with the release's
 * command-line tools (kafka-tools) beside them as in the distribution's libs/; returns its dir.
 * @param {string} version
 * @param {(line: string) => void} [log]
 */
export function resolveBrokerJars(version, log = () => {}) {
  const libs = join(stateRoot, 'cache', `kafka-${version}`, 'libs');
  const complete = join(libs, '.complete');
  // A cache filled before the tools were part of it lacks their jar: resolving again adds it
  // (copying skips the jars already there).
  if (existsSync(complete) && existsSync(join(libs, `kafka-tools-${version}.jar`))) return libs;
  if (!commandExists('mvn')) {
    throw new Error(
      'Maven (mvn) is needed once to fetch the Kafka broker jars from Maven Central. ' +
        'Install it (Debian: apt-get install maven) or point KAFKA_BROKERS at an existing cluster.',
    );
  }
  log(`resolving Apache Kafka ${version} broker jars from Maven Central…`);
  run(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(repoRoot, 'scripts', 'kafka', 'pom.xml'),
      `-Dkafka.version=${version}`,
      `-Dkafka.major=${version.split('.')[0]}`,
      `-Dkafka.libs=${libs}`,
      `-Dkafka.buildDir=${join(stateRoot, 'cache', 'maven-target')}`,
      'package',
    ],
    { cwd: ensureDir(stateRoot) },
  );
  writeFileSync(complete, `${new Date().toISOString()}\n`);
  return libs;
}

function serverProperties({ port, data }) {
  const controller = port + 1;
  const sasl = port + 2;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller},SASL_PLAINTEXT://127.0.0.1:${sasl}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${sasl}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512',
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    `log.dirs=${data}`,
    // Single node: internal topics cannot be replicated, and nothing should wait for peers.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=8',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'min.insync.replicas=1',
    'group.initial.rebalance.delay.ms=0',
    // Like most production clusters: topics exist because `lakerunner topics sync` made them.
    'auto.create.topics.enable=false',
    'num.partitions=1',
    '',
  ].join('\n');
}

function loggingConfig(major) {
  if (major >= 4) {
    return [
      'rootLogger.level = WARN',
      'rootLogger.appenderRef.stdout.ref = STDOUT',
      'appender.stdout.type = Console',
      'appender.stdout.name = STDOUT',
      'appender.stdout.layout.type = PatternLayout',
      'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
      'logger.started.name = kafka.server.BrokerServer',
      'logger.started.level = INFO',
      '',
    ].join('\n');
  }
  return [
    'log4j.rootLogger=WARN, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.server.BrokerServer=INFO',
    '',
  ].join('\n');
}

function loggingFlag(major, file) {
  return major >= 4 ? `-Dlog4j2.configurationFile=${file}` : `-Dlog4j.configuration=file:${file}`;
}

async function servesMetadata(broker) {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({
    clientId: 'lakerunner-dev-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function describe(state) {
  return {
    brokers: `127.0.0.1:${state.port}`,
    saslBrokers: `127.0.0.1:${state.port + 2}`,
    scram: LOCAL_SCRAM_USER,
    version: state.version,
    pid: state.pid,
    log: state.log,
  };
}

/**
 * Starts the broker on `port` (no-op when ours is already running there).
 * @param {{ port?: number, version?: string, heapMb?: number, log?: (line: string) => void }} [options]
 */
export async function startKafka({
  port = DEFAULT_KAFKA_PORT,
  version = process.env.LAKERUNNER_DEV_KAFKA_VERSION || DEFAULT_KAFKA_VERSION,
  heapMb = 768,
  log = () => {},
} = {}) {
  const p = paths(port);
  const state = readJson(p.state);
  if (state && isOurProcess(state.pid, p.properties)) {
    await waitFor(() => servesMetadata(`127.0.0.1:${port}`), {
      timeoutMs: 60_000,
      what: `the running Kafka on port ${port} to serve metadata`,
    });
    return { ...describe(state), alreadyRunning: true };
  }

  const java = javaMajorVersion();
  if (!java || java < 17) {
    throw new Error(
      `Java 17 or newer is required to run the local Kafka broker (found: ${java ?? 'none'}). ` +
        'Install a JDK or point KAFKA_BROKERS at an existing cluster.',
    );
  }
  for (const candidate of [port, port + 1, port + 2]) {
    if (!(await portIsFree(candidate))) {
      throw new Error(
        `port ${candidate} on 127.0.0.1 is in use, so Kafka cannot start on ${port} ` +
          `(it needs ${port}, ${port + 1} for its controller and ${port + 2} for SASL). ` +
          'Choose another with --port, or stop whatever holds it.',
      );
    }
  }

  const libs = resolveBrokerJars(version, log);
  const major = Number(version.split('.')[0]);
  const formattedFor = readJson(join(p.dir, 'formatted.json'));
  if (formattedFor && formattedFor.version !== version) {
    log(`data directory was formatted by Kafka ${formattedFor.version}; reformatting for ${version}`);
    run('rm', ['-rf', p.data]);
  }
  ensureDir(p.data);
  writeFileSync(p.properties, serverProperties({ port, data: p.data }));
  writeFileSync(p.logConfig, loggingConfig(major));
  const classpath = `${libs}/*`;
  const logFlag = loggingFlag(major, p.logConfig);

  if (!existsSync(join(p.data, 'meta.properties'))) {
    const clusterId = run('java', [
      '-cp',
      classpath,
      logFlag,
      'kafka.tools.StorageTool',
      'random-uuid',
    ]).trim();
    const scram = `name=${LOCAL_SCRAM_USER.username},password=${LOCAL_SCRAM_USER.password}`;
    run('java', [
      '-cp',
      classpath,
      logFlag,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      p.properties,
      '--add-scram',
      `SCRAM-SHA-256=[${scram}]`,
      '--add-scram',
      `SCRAM-SHA-512=[${scram}]`,
    ]);
    writeJson(join(p.dir, 'formatted.json'), { version, clusterId });
  }

  const out = openSync(p.log, 'a');
  const child = spawn(
    'java',
    [
      `-Xms256m`,
      `-Xmx${heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      logFlag,
      '-cp',
      classpath,
      MARKER,
      p.properties,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  const next = { pid: child.pid, port, version, log: p.log, startedAt: new Date().toISOString() };
  writeJson(p.state, next);
  log(`starting Apache Kafka ${version} on 127.0.0.1:${port} (pid ${child.pid}, log ${p.log})`);

  try {
    await waitFor(
      async () => {
        if (!isOurProcess(child.pid, p.properties)) throw new Error(`broker exited; see ${p.log}`);
        return servesMetadata(`127.0.0.1:${port}`);
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `Kafka on 127.0.0.1:${port} to serve metadata` },
    );
  } catch (err) {
    await stopProcess(child.pid, { marker: p.properties }).catch(() => {});
    removeFile(p.state);
    throw err;
  }
  return { ...describe(next), alreadyRunning: false };
}

export async function stopKafka({ port = DEFAULT_KAFKA_PORT } = {}) {
  const p = paths(port);
  const state = readJson(p.state);
  const stopped = state ? await stopProcess(state.pid, { marker: p.properties }) : false;
  removeFile(p.state);
  return stopped;
}

/**
 * The port for a broker of ours: `preferred` when ours already runs there or it is free,
 * otherwise the next block of three free ports (client, controller, SASL).
 */
export async function chooseKafkaPort(preferred) {
  const state = readJson(paths(preferred).state);
  if (state && isOurProcess(state.pid, paths(preferred).properties)) return preferred;
  return freePortBlock(preferred, 3);
}

export async function kafkaStatus({ port = DEFAULT_KAFKA_PORT } = {}) {
  const p = paths(port);
  const state = readJson(p.state);
  if (!state || !isOurProcess(state.pid, p.properties)) return { running: false, port };
  const ready = await servesMetadata(`127.0.0.1:${port}`).catch(() => false);
  return { running: true, ready, ...describe(state) };
}
