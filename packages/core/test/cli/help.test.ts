import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { cli } from './run.js';

/**
 * Every command's --help is kept in docs/cli/, and this test compares the two: a change to a
 * command's options shows up as a failing test until the documented copy is regenerated
 * (npx vitest run --project unit -u).
 */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [path, ...commandPaths(c, path)];
  });
}

const program = buildProgram({ io: { out: () => {}, err: () => {} }, env: {}, cwd: process.cwd() });
const paths = [[], ...commandPaths(program)].filter((p) => p.at(-1) !== 'help');

describe('--help', () => {
  it.each(paths.map((p) => [p.join(' ') || '(top level)', p] as const))(
    '%s matches docs/cli',
    async (_, path) => {
      const { code, stdout } = await cli([...path, '--help']);
      expect(code).toBe(0);
      const name = ['lakerunner', ...path].join('-');
      await expect(stdout).toMatchFileSnapshot(`../../../../docs/cli/${name}.txt`);
    },
  );

  it('debug kafka --help lists every subcommand with one line each', async () => {
    const { stdout } = await cli(['debug', 'kafka', '--help']);
    for (const sub of ['consumer-lag', 'flush-consumer', 'tail', 'groups', 'topics']) {
      expect(stdout).toMatch(new RegExp(`\\n {2}${sub} [^\\n]+\\n(?! {20})`));
    }
  });
});
