import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeScratchDir, removeOrphans } from '../../src/util/scratch-dir.js';

// The built package: a plain Node.js process cannot load the TypeScript source.
const scratchModule = new URL('../../dist/index.js', import.meta.url).href;

/** A process that makes a scratch directory under `parent`, says where, and waits. */
async function owner(parent: string): Promise<{ child: ChildProcess; dir: string }> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { makeScratchDir } = await import(${JSON.stringify(scratchModule)});
       console.log(await makeScratchDir('compact', ${JSON.stringify(parent)}));
       setInterval(() => {}, 60_000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const dir = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (line: Buffer) => resolve(line.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the owner exited with ${code}`)));
  });
  return { child, dir };
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('scratch directories', () => {
  const parents: string[] = [];
  const children: ChildProcess[] = [];
  const parent = () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratch-test-'));
    parents.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const dir of parents.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('are named for their purpose, host and process', async () => {
    const dir = await makeScratchDir('catalog-snapshot', parent());
    const host = hostname().replace(/[^A-Za-z0-9]/g, '_');
    expect(basename(dir)).toMatch(new RegExp(`^lakerunner-catalog-snapshot-${host}-${process.pid}-.{6}$`));
    expect(existsSync(dir)).toBe(true);
  });

  it("a killed process's directory is removed; a running one's, another host's and foreign ones are kept", async () => {
    const root = parent();
    const dead = await owner(root);
    const alive = await owner(root);
    children.push(alive.child);
    await killed(dead.child);
    const otherHost = join(root, `lakerunner-compact-elsewhere-${dead.child.pid}-abcdef`);
    const foreign = join(root, `other-compact-${dead.child.pid}-abcdef`);
    mkdirSync(otherHost);
    mkdirSync(foreign);

    expect(await removeOrphans(root)).toEqual([basename(dead.dir)]);
    expect(existsSync(dead.dir)).toBe(false);
    expect(existsSync(alive.dir)).toBe(true);
    expect(existsSync(otherHost)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });
});
