import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import {
  DEPLOY,
  effectiveConfig,
  expectPinned,
  imageRef,
  REPO,
  readText,
  workspaceDirs,
} from './deploy-files.js';

/**
 * deploy/Dockerfile and .dockerignore, read as Docker would read them. No Docker engine runs
 * here, so this checks the structure: stages, pinned bases, what is installed and copied where,
 * the user, the entrypoint and the health check.
 */

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions with line continuations joined and comments (also inside continuations) dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || (buffer === '' && trimmed === '')) return;
    if (buffer === '') start = i + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1)} `;
      return;
    }
    buffer += line;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(buffer.trim());
    if (match)
      out.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line: start });
    buffer = '';
  });
  return out;
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [image = '', as, name] = ins.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const current = stages.at(-1);
      if (!current) throw new Error(`line ${ins.line}: ${ins.keyword} before FROM`);
      current.instructions.push(ins);
    }
  }
  return stages;
}

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

function copyOf(ins: Instruction): Copy {
  const words = ins.args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
}

const copies = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'COPY').map(copyOf);
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const execForm = (stage: Stage, keyword: string) => {
  const ins = stage.instructions.filter((i) => i.keyword === keyword).at(-1);
  return ins ? (JSON.parse(ins.args) as string[]) : undefined;
};
const envOf = (stage: Stage): Record<string, string> =>
  Object.fromEntries(
    stage.instructions
      .filter((i) => i.keyword === 'ENV')
      .flatMap((i) => [...i.args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)])
      .map((m) => [m[1] ?? '', (m[2] ?? '').replace(/^"|"$/g, '')]),
  );

/** .dockerignore semantics: the last matching pattern wins, `!` re-includes, a match covers a directory's contents. */
function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charAt(i);
        if (c === '*' && pattern.charAt(i + 1) === '*') {
          i++;
          if (pattern.charAt(i + 1) === '/') {
            i++;
            re += '(?:.*/)?';
          } else re += '.*';
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, re: new RegExp(`^${re}(?:/.*)?$`) };
    });
  return (path) => rules.reduce((ignored, r) => (r.re.test(path) ? !r.negate : ignored), false);
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === '.turbo') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield relative(REPO, path);
  }
}

const stages = stagesOf(parseDockerfile(readText(join(DEPLOY, 'Dockerfile'))));
const final = stages.at(-1) as Stage;
const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name as string, s]));
const workspaces = workspaceDirs();
const manifest = (dir: string) =>
  JSON.parse(readText(join(REPO, dir, 'package.json'))) as {
    name: string;
    files?: string[];
    engines?: { node?: string };
  };
/** A library for adapter authors' tests (it depends on vitest), not part of any deployment. */
const NOT_SHIPPED = ['packages/adapter-testing'];
const shipped = workspaces.filter((d) => d.startsWith('packages/') && !NOT_SHIPPED.includes(d));
const npmCi = (stage: Stage) => runs(stage).find((r) => /\bnpm ci\b/.test(r));
const prodStage = stages.find((s) => npmCi(s)?.includes('--omit=dev'));

describe('deploy/Dockerfile', () => {
  it('is multi-stage, every base pinned to one exact Node.js release that the packages support', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expectPinned(stage.image);
    // Build and runtime must agree on the Node ABI and release.
    expect(new Set(stages.map((s) => s.image)).size).toBe(1);
    const { repository, tag = '' } = imageRef(final.image);
    expect(repository).toMatch(/^(docker\.io\/)?(library\/)?node$/);
    const version = /^(\d+\.\d+\.\d+)(-|$)/.exec(tag)?.[1];
    expect(version, `${tag} is not an exact release`).toBeDefined();
    for (const dir of workspaces) {
      const range = manifest(dir).engines?.node;
      if (range) expect(semver.satisfies(version as string, range), `${dir} needs node ${range}`).toBe(true);
    }
    // The image runs the Node.js release CI's LTS pass tests on (read, not imported: importing
    // the script installs that Node.js).
    const lts = /NODE_LTS_VERSION = '([^']+)'/.exec(readText(join(REPO, 'scripts/node-lts.mjs')))?.[1];
    expect(version, 'deploy/Dockerfile and scripts/node-lts.mjs name different Node.js releases').toBe(lts);
  });

  it('copies from named stages only, and the runtime stage from the production install', () => {
    for (const stage of stages) {
      for (const c of copies(stage).filter((c) => c.from)) expect(byName.has(c.from as string)).toBe(true);
    }
    expect(runs(final).some((r) => /\bnpm\b/.test(r))).toBe(false);
    const fromStages = new Set(copies(final).flatMap((c) => (c.from ? [c.from] : [])));
    expect([...fromStages]).toEqual([prodStage?.name]);
  });

  it('installs with npm ci after copying the lockfile and every workspace manifest', () => {
    const installing = stages.filter((s) => npmCi(s));
    expect(installing.length).toBeGreaterThanOrEqual(2);
    for (const stage of installing) {
      const ciAt = stage.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
      const before = stage.instructions
        .slice(0, ciAt)
        .filter((i) => i.keyword === 'COPY')
        .map(copyOf)
        .filter((c) => !c.from)
        .flatMap((c) => c.sources);
      expect(before).toContain('package.json');
      expect(before).toContain('package-lock.json');
      for (const dir of workspaces) expect(before, `${stage.name}: ${dir}`).toContain(`${dir}/package.json`);
    }
    // The build stage builds (turbo, as the repo does); the runtime gets production deps only.
    const build = installing.find((s) => s !== prodStage);
    expect(runs(build as Stage).some((r) => /turbo\.mjs run build|npm run build/.test(r))).toBe(true);
  });

  it('ships every runtime package as published (its "files") with production dependencies only', () => {
    expect(prodStage).toBeDefined();
    const stage = prodStage as Stage;
    const install = npmCi(stage) as string;
    const flagged = [...install.matchAll(/--workspace=(\S+)/g)].map((m) => m[1]).sort();
    expect(flagged).toEqual(shipped.map((d) => manifest(d).name).sort());
    const destinations = copies(stage).map((c) => c.dest.replace(/\/$/, ''));
    for (const dir of shipped) {
      for (const entry of manifest(dir).files ?? []) {
        if (entry.endsWith('.md')) continue;
        expect(destinations, `${dir}/${entry}`).toContain(`${dir}/${entry}`);
      }
    }
  });

  it('runs the CLI as a non-root user by number, with run --all as the default command', () => {
    const users = final.instructions.filter((i) => i.keyword === 'USER');
    const user = users.at(-1)?.args ?? '';
    // Numeric, so Kubernetes' runAsNonRoot can verify it; and not root.
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(user.split(':')[0]).not.toBe('0');
    const userAt = final.instructions.indexOf(users.at(-1) as Instruction);
    const entryAt = final.instructions.findIndex((i) => i.keyword === 'ENTRYPOINT');
    expect(userAt).toBeLessThan(entryAt);
    expect(execForm(final, 'ENTRYPOINT')).toEqual(['node', 'packages/core/dist/cli.js']);
    expect(execForm(final, 'CMD')).toEqual(['run', '--all']);
    expect(final.instructions.find((i) => i.keyword === 'WORKDIR')?.args).toBe('/app');
  });

  it('serves health on an exposed port the HEALTHCHECK asks with node (no curl in slim images)', async () => {
    const env = envOf(final);
    const port = env.LAKERUNNER_HEALTH_PORT;
    expect(port).toMatch(/^\d+$/);
    expect(env.LAKERUNNER_HEALTH_HOST).toBe('0.0.0.0');
    const exposed = final.instructions
      .filter((i) => i.keyword === 'EXPOSE')
      .flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toContain(port);
    const check = final.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    const command = JSON.parse(check.slice(check.indexOf('CMD') + 3).trim()) as string[];
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/livez');
    expect(command.join(' ')).toContain('LAKERUNNER_HEALTH_PORT');
    expect(check).not.toMatch(/curl|wget/);
    const startPeriod = /--start-period=(\d+)s/.exec(check)?.[1];
    // The server starts after start-up (broker, topics), which may retry for startupTimeoutMs.
    const { config, unknown } = await effectiveConfig(undefined, env);
    expect(unknown).toEqual([]);
    expect(Number(startPeriod) * 1000).toBeGreaterThan(config.runtime.startupTimeoutMs);
    expect(config.runtime.healthPort).toBe(Number(port));
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignore(readText(join(REPO, '.dockerignore')));

  it('keeps local installs, builds and the git directory out of the context', () => {
    for (const path of [
      '.git/HEAD',
      'node_modules/yaml/package.json',
      'packages/core/node_modules/x/index.js',
      'packages/core/dist/cli.js',
      'packages/core/test/config.test.ts',
      '.lakerunner/kafka/broker.log',
      'bench/ingest-logs.mjs',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('keeps everything the Dockerfile copies from the context', () => {
    const sources = stages.flatMap((s) => copies(s).filter((c) => !c.from)).flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(ignored(source), source).toBe(false);
      if (source === 'packages') {
        for (const file of filesUnder(join(REPO, 'packages'))) {
          if (/^packages\/[^/]+\/(src\/|package\.json$|tsconfig\.json$)/.test(file)) {
            expect(ignored(file), file).toBe(false);
          }
        }
      }
    }
  });
});
