#!/usr/bin/env node
// A release without publishing (run after `npm run build`): `changeset version` on a copy of the
// workspace's manifests and pending changesets, then `npm pack --dry-run` of every public
// package. Fails when a changeset would not apply, the fixed group would drift apart, a package
// would depend on an unreleased version of another, or a tarball lacks its build or README.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { repoRoot } from './services/process.mjs';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const packageDirs = readdirSync(join(repoRoot, 'packages')).map((d) => join('packages', d));
const problems = [];
const major = (version) => Number(version.split('.')[0]);
/** The changesets waiting in `dir`/.changeset (its README is not one). */
const changesets = (dir) =>
  readdirSync(join(dir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');

// 1. `changeset version` where it cannot touch the checkout.
const scratch = mkdtempSync(join(tmpdir(), 'lakerunner-release-'));
try {
  cpSync(join(repoRoot, 'package.json'), join(scratch, 'package.json'));
  cpSync(join(repoRoot, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  for (const dir of packageDirs) {
    for (const file of ['package.json', 'CHANGELOG.md']) {
      if (existsSync(join(repoRoot, dir, file))) cpSync(join(repoRoot, dir, file), join(scratch, dir, file));
    }
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const pending = changesets(scratch);
  // Packages some changeset asks a major release of; any other major would be a side effect
  // (a peer dependency range that the new version leaves, say).
  const majors = new Set(
    pending.flatMap((f) =>
      [...readFileSync(join(scratch, '.changeset', f), 'utf8').matchAll(/^"([^"]+)":\s*major\s*$/gm)].map(
        (m) => m[1],
      ),
    ),
  );
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: scratch,
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const before = new Map(packageDirs.map((d) => [d, readJson(join(repoRoot, d, 'package.json'))]));
  const after = new Map(packageDirs.map((d) => [d, readJson(join(scratch, d, 'package.json'))]));
  const versionOf = new Map([...after.values()].map((p) => [p.name, p.version]));
  const config = readJson(join(repoRoot, '.changeset/config.json'));
  console.log(`${pending.length} pending changesets would release:`);
  for (const [dir, next] of after) {
    const prev = before.get(dir);
    if (prev.version !== next.version) console.log(`  ${next.name} ${prev.version} → ${next.version}`);
    if (major(next.version) > major(prev.version) && !majors.has(next.name)) {
      problems.push(`${next.name} would go to ${next.version}, a major release no changeset asked for`);
    }
    for (const [dep, range] of Object.entries({ ...next.dependencies, ...next.peerDependencies })) {
      const released = versionOf.get(dep);
      if (released && !semver.satisfies(released, range)) {
        problems.push(`${next.name} would depend on ${dep}@${range}, but ${dep} is released as ${released}`);
      }
    }
    if (prev.version !== next.version && !existsSync(join(scratch, dir, 'CHANGELOG.md'))) {
      problems.push(`${next.name} was bumped without a CHANGELOG.md`);
    }
  }
  for (const group of config.fixed ?? []) {
    const versions = new Set(group.map((name) => versionOf.get(name)));
    if (versions.size > 1)
      problems.push(`the fixed group ${group.join(', ')} would drift apart: ${[...versions]}`);
  }
  const left = changesets(scratch);
  if (left.length > 0) problems.push(`changesets not consumed: ${left.join(', ')}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 2. What each public package's tarball would hold.
for (const dir of packageDirs) {
  const manifest = readJson(join(repoRoot, dir, 'package.json'));
  if (manifest.private) continue;
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: join(repoRoot, dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  const files = new Set(packed.files.map((f) => f.path));
  const entry = [manifest.main, manifest.module, manifest.types].map((p) => p.replace(/^\.\//, ''));
  for (const needed of [...entry, 'README.md', 'package.json']) {
    if (!files.has(needed)) problems.push(`${manifest.name}: the tarball lacks ${needed}`);
  }
  const stray = [...files].filter((f) => /^(src|test)\//.test(f) || f.endsWith('.tsbuildinfo'));
  if (stray.length > 0) problems.push(`${manifest.name}: the tarball holds ${stray.slice(0, 3).join(', ')}`);
  if (!manifest.license || !manifest.engines?.node)
    problems.push(`${manifest.name}: license or engines missing`);
  console.log(`  ${packed.id}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB packed`);
}

if (problems.length > 0) {
  console.error(`release dry run failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('release dry run: every changeset applies and every package packs');
