import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, in an empty directory unless `cwd` is given. */
export async function cli(
  args: string[],
  {
    env = {},
    cwd = mkdtempSync(join(tmpdir(), 'lakerunner-cli-')),
  }: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  const code = await runCli(args, {
    io: {
      out: (t) => {
        stdout += line(t);
      },
      err: (t) => {
        stderr += line(t);
      },
    },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}
