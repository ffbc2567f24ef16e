import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { LakerunnerError } from '../errors.js';
import { readEnvOverrides } from './env.js';
import { configSchema, type LakerunnerConfig } from './schema.js';
import { readYamlMapping } from './yaml-file.js';

export interface LoadConfigOptions {
  /** Config file; otherwise $LAKERUNNER_CONFIG, otherwise lakerunner.yaml/.yml in `cwd` if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedConfig {
  config: LakerunnerConfig;
  /** Absolute path of the file that was read, if any. */
  file?: string;
  /** Directory relative paths in the config resolve against. */
  baseDir: string;
  /** Problems that do not stop start-up, such as unrecognised LAKERUNNER_* variables. */
  warnings: string[];
}

const DEFAULT_FILES = ['lakerunner.yaml', 'lakerunner.yml'];

/** Keys the Go implementation's config files use, accepted so those files keep working. */
const KEY_ALIASES: Record<string, string> = { kafka_topics: 'kafkaTopics' };

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = locateFile(options.file ?? env.LAKERUNNER_CONFIG, cwd);
  const fileLabel = file ? `file ${relative(cwd, file) || file}` : undefined;
  const fromFile = file
    ? applyAliases(await readYamlMapping(file, fileLabel ?? file, 'LR_CONFIG_PARSE'), fileLabel ?? file)
    : {};
  const overrides = readEnvOverrides(env);
  const raw = deepMerge(fromFile, overrides.values);

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const origin = (path: readonly PropertyKey[]) => originOf(path, overrides.origins, fromFile, fileLabel);
    throw new LakerunnerError('LR_CONFIG_INVALID', formatIssues(result.error.issues, raw, origin));
  }
  const warnings = overrides.unknown.map(
    (name) => `environment variable ${name} is not a lakerunner setting and was ignored`,
  );
  return { config: result.data, file, baseDir: file ? dirname(file) : cwd, warnings };
}

/**
 * Validates a config given in code (the same schema as lakerunner.yaml, defaults filled in);
 * problems are one LR_CONFIG_INVALID naming each path, as for a file.
 */
export function parseConfig(raw: unknown, label = 'the options'): LakerunnerConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new LakerunnerError(
    'LR_CONFIG_INVALID',
    formatIssues(result.error.issues, raw, () => label),
  );
}

function locateFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      throw new LakerunnerError('LR_CONFIG_PARSE', `config file ${explicit} does not exist`);
    }
    return path;
  }
  return DEFAULT_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

function applyAliases(value: Record<string, unknown>, label: string): Record<string, unknown> {
  const out = { ...value };
  for (const [alias, canonical] of Object.entries(KEY_ALIASES)) {
    if (!(alias in out)) continue;
    if (canonical in out) {
      throw new LakerunnerError(
        'LR_CONFIG_INVALID',
        `${label}: both "${alias}" and "${canonical}" are set; keep only "${canonical}"`,
      );
    }
    out[canonical] = out[alias];
    delete out[alias];
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function originOf(
  path: readonly PropertyKey[],
  envOrigins: Map<string, string>,
  fromFile: Record<string, unknown>,
  fileLabel: string | undefined,
): string {
  for (let n = path.length; n > 0; n--) {
    const hit = envOrigins.get(path.slice(0, n).join('.'));
    if (hit) return hit;
  }
  if (fileLabel && valueAt(fromFile, path) !== undefined) return fileLabel;
  return fileLabel && path.length > 0 && valueAt(fromFile, path.slice(0, 1)) !== undefined
    ? fileLabel
    : 'default';
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  origin: (path: readonly PropertyKey[]) => string,
): string {
  const lines = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return `  ${formatPath(issue.path)}: unknown key ${keys} (from ${origin([...issue.path, issue.keys[0] ?? ''])})`;
    }
    const value = valueAt(raw, issue.path);
    const got = value === undefined ? 'nothing' : JSON.stringify(value);
    return `  ${formatPath(issue.path)}: ${issue.message}; got ${got} (from ${origin(issue.path)})`;
  });
  return `invalid configuration:\n${lines.join('\n')}`;
}
