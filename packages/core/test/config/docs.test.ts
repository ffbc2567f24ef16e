import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configOptions, renderConfigDocs } from '../../src/config/docs.js';
import { ENV_BINDINGS } from '../../src/config/env.js';
import { ERROR_CODES } from '../../src/errors.js';
import { buildTopicRegistry } from '../../src/topics/registry.js';
import { logs, metrics, traces } from '../fixtures.js';

const repoFile = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const doc = (name: string) => repoFile(`docs/${name}`);

describe('generated documentation', () => {
  it('lists every leaf option once, with its env variable where one exists', () => {
    const paths = configOptions().map((o) => o.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain('kafka.brokers');
    expect(paths).toContain('kafkaTopics.defaults.partitionCount');
    for (const binding of ENV_BINDINGS) {
      const option = configOptions().find((o) => o.path === binding.path.join('.'));
      expect(option?.env, binding.env).toBe(binding.env);
    }
  });

  it('docs/configuration.md contains the options table generated from the schema', () => {
    expect(doc('configuration.md')).toContain(renderConfigDocs());
  });

  it('docs/errors.md documents every error code', () => {
    const text = doc('errors.md');
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(text).toContain(`| \`${code}\` | ${meaning} |`);
    }
  });

  it('the README topology table is the registry, row for row', () => {
    const readme = repoFile('README.md');
    for (const b of buildTopicRegistry([logs, metrics, traces], 'lakerunner').bindings) {
      expect(readme).toContain(
        `| \`${b.topic}\` | \`${b.consumerGroup}\` | ${b.reader} | ${b.writers.join(', ')} |`,
      );
    }
  });
});
