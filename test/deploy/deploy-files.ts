import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../packages/core/src/index.js';
import { lakerunner } from '../support/cli.js';

/**
 * Reading deploy/ for the tests beside this file. There is no Docker engine, cluster or Grafana
 * where the suite runs, so these tests check what can be checked offline: the artefacts against
 * each other and against what the built CLI and the code say.
 */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const DEPLOY = join(REPO, 'deploy');

export const readText = (path: string) => readFileSync(path, 'utf8');

/** One YAML document; merge keys (`<<: *anchor`) on, as Docker Compose reads them. */
export function readYaml<T>(path: string): T {
  return parse(readText(path), { merge: true }) as T;
}

/** Every document of a multi-document YAML file, failing on any parse error. */
export function readYamlDocuments<T>(path: string): T[] {
  return parseAllDocuments(readText(path)).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as T;
  });
}

export interface TopicEntry {
  topic: string;
  consumerGroup?: string;
  readerService?: string;
  writerServices?: string[];
}

/** `lakerunner topics list --json` of the built CLI for a config file, as a user would run it. */
export async function listTopics(configFile: string): Promise<TopicEntry[]> {
  const run = await lakerunner(['--config', configFile, 'topics', 'list', '--json']);
  if (run.code !== 0) throw new Error(`topics list failed (${run.code}): ${run.stderr}`);
  expect(run.stderr).not.toMatch(/warning/i);
  return JSON.parse(run.stdout) as TopicEntry[];
}

/** Every service name the topology has (readers and writers of its topics). */
export function topologyServices(topics: readonly TopicEntry[]): Set<string> {
  const names = new Set<string>();
  for (const t of topics) {
    if (t.readerService) names.add(t.readerService);
    for (const w of t.writerServices ?? []) names.add(w);
  }
  return names;
}

/**
 * The effective config a process gets from `file` plus the LAKERUNNER_* variables in `env`,
 * and the variables it would ignore (a misspelt name silently does nothing in a manifest).
 */
export async function effectiveConfig(file: string | undefined, env: Record<string, string>) {
  const { LAKERUNNER_CONFIG: _config, ...rest } = env;
  const loaded = await loadConfig({ file, env: rest, cwd: REPO });
  const unknown = loaded.warnings.filter((w) => w.includes('not a lakerunner setting'));
  return { config: loaded.config, unknown };
}

/** An image reference split into repository, tag and digest. */
export function imageRef(ref: string): { repository: string; tag?: string; digest?: string } {
  const [nameTag, digest] = ref.split('@');
  const slash = (nameTag ?? '').lastIndexOf('/');
  const colon = (nameTag ?? '').lastIndexOf(':');
  if (colon > slash) {
    return { repository: (nameTag ?? '').slice(0, colon), tag: (nameTag ?? '').slice(colon + 1), digest };
  }
  return { repository: nameTag ?? '', digest };
}

/** Pinned: an explicit tag that is not `latest` (a digest as well is welcome). */
export function expectPinned(ref: string) {
  const { tag } = imageRef(ref);
  expect(tag, `${ref} has no tag`).toBeDefined();
  expect(tag, `${ref} floats`).not.toBe('latest');
}

/** The workspace package directories of the root package.json (globs of the form `dir/*` or `dir`). */
export function workspaceDirs(): string[] {
  const root = JSON.parse(readText(join(REPO, 'package.json'))) as { workspaces: string[] };
  return root.workspaces.flatMap((w) =>
    w.endsWith('/*')
      ? readdirSync(join(REPO, w.slice(0, -2)), { withFileTypes: true })
          .filter((d) => d.isDirectory() && d.name !== 'node_modules')
          .map((d) => `${w.slice(0, -2)}/${d.name}`)
          .filter((dir) => {
            try {
              readFileSync(join(REPO, dir, 'package.json'));
              return true;
            } catch {
              return false;
            }
          })
      : [w],
  );
}
