// Python tools the repo runs (moto, the deployment files' validators), each pinned and installed
// from PyPI once into a virtualenv of its own in the git-ignored cache.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandExists, ensureDir, run, stateRoot } from './process.mjs';

export const venvBin = (venv, name) => join(venv, 'bin', name);

/**
 * The virtualenv `cache/<name>/venv` holding `requirements` (pinned `pkg==version` strings),
 * installed on first use; a re-run reuses it.
 * @param {string} name the cache directory, which should change with the pins
 * @param {string[]} requirements
 * @param {{ what: string, log?: (line: string) => void }} options what the tools are for, for messages
 */
export function ensureVenv(name, requirements, { what, log = () => {} }) {
  const venv = join(stateRoot, 'cache', name, 'venv');
  const complete = join(venv, '.complete');
  if (existsSync(complete) && spawnSync(venvBin(venv, 'python'), ['--version']).status === 0) return venv;
  if (!commandExists('python3')) {
    throw new Error(
      `Python 3.9 or newer (python3, with its venv module) is needed for ${what}. Install it ` +
        '(Debian: apt-get install python3 python3-venv).',
    );
  }
  // A virtualenv left half-made by an interrupted install is made again from scratch.
  rmSync(venv, { recursive: true, force: true });
  ensureDir(join(venv, '..'));
  log(`installing ${requirements.join(', ')} (${what}) from PyPI into ${venv}…`);
  try {
    run('python3', ['-m', 'venv', venv]);
  } catch (err) {
    throw new Error(
      `${err.message}\nCould not create a Python virtualenv (Debian: apt-get install python3-venv).`,
    );
  }
  run(venvBin(venv, 'python'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-input',
    ...requirements,
  ]);
  writeFileSync(complete, `${new Date().toISOString()}\n`);
  return venv;
}
