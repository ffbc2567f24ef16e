import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KAFKA_VERSION, kafkaStatus, resolveBrokerJars } from '../../../scripts/services/kafka.mjs';

/**
 * Apache Kafka's own command-line tools, run as the distribution's scripts run them: one JVM per
 * call with the release's libs/ on the classpath. scripts/services/kafka.mjs fetches the
 * kafka-tools jar of the broker release beside the broker jars, so the tools are those of the
 * Kafka version under test.
 */
export const TOOLS = {
  consumerGroups: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  consoleConsumer: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  topics: 'org.apache.kafka.tools.TopicCommand',
  offsets: 'org.apache.kafka.tools.GetOffsetShell',
} as const;

export interface ToolRun {
  stdout: Buffer;
  stderr: string;
}

export interface KafkaTools {
  version: string;
  run(tool: keyof typeof TOOLS, args: readonly string[]): Promise<ToolRun>;
}

export const javaAvailable = spawnSync('java', ['-version']).status === 0;

/** The tools of the release the test broker runs (ours when it is ours, else the configured one). */
export async function kafkaTools(brokers: readonly string[]): Promise<KafkaTools> {
  const version = await brokerVersion(brokers);
  const libs = resolveBrokerJars(version);
  const logging = loggingFlag(version);
  return {
    version,
    run: (tool, args) =>
      java(
        // Header keys are printed as Java strings: UTF-8 keeps non-ASCII ones intact (JDK 17 and 18+).
        [
          '-Xmx256m',
          logging,
          '-Dfile.encoding=UTF-8',
          '-Dsun.stdout.encoding=UTF-8',
          '-Dstdout.encoding=UTF-8',
        ],
        ['-cp', join(libs, '*'), TOOLS[tool], ...args],
      ),
  };
}

async function brokerVersion(brokers: readonly string[]): Promise<string> {
  const port = /^127\.0\.0\.1:(\d+)$/.exec(brokers[0] ?? '')?.[1];
  const ours = port ? await kafkaStatus({ port: Number(port) }) : undefined;
  if (ours && 'version' in ours && ours.version) return String(ours.version);
  return process.env.LAKERUNNER_DEV_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
}

/** The tools log to stderr only (at WARN), so stdout holds nothing but their output. */
function loggingFlag(version: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lakerunner-kafka-tools-')), 'logging.properties');
  if (Number(version.split('.')[0]) >= 4) {
    writeFileSync(
      file,
      [
        'rootLogger.level = WARN',
        'rootLogger.appenderRef.stderr.ref = STDERR',
        'appender.stderr.type = Console',
        'appender.stderr.name = STDERR',
        'appender.stderr.target = SYSTEM_ERR',
        'appender.stderr.layout.type = PatternLayout',
        'appender.stderr.layout.pattern = %p %m (%c)%n',
        '',
      ].join('\n'),
    );
    return `-Dlog4j2.configurationFile=${file}`;
  }
  writeFileSync(
    file,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=%p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return `-Dlog4j.configuration=file:${file}`;
}

function java(flags: readonly string[], command: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', [...flags, ...command]);
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else reject(new Error(`java ${command.slice(2).join(' ')} exited ${code}:\n${stderr}`));
    });
  });
}
