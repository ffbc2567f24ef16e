import { Command, CommanderError } from 'commander';
import { isLakerunnerError } from '../errors.js';
import { CORE_VERSION } from '../version.js';
import { registerDeadletterCommands } from './commands/deadletter.js';
import { registerDebugCommands } from './commands/debug.js';
import { registerInit } from './commands/init.js';
import { registerQuery } from './commands/query.js';
import { registerRun } from './commands/run.js';
import { registerSegmentsCommands } from './commands/segments.js';
import { registerTopicsCommands } from './commands/topics.js';
import { type CliContext, confirmOnTerminal, EXIT, processIO } from './io.js';

const HELP_WIDTH = 100;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('lakerunner')
    .description('Turn an object store into a telemetry data lake coordinated by Kafka.')
    .version(CORE_VERSION, '-V, --version', 'print the lakerunner core version')
    .option('-c, --config <file>', 'config file (default: $LAKERUNNER_CONFIG or ./lakerunner.yaml)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      // A fixed width keeps help identical everywhere, so its documented copy can be tested.
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
    });
  registerInit(program, ctx);
  registerTopicsCommands(program, ctx);
  registerSegmentsCommands(program, ctx);
  registerQuery(program, ctx);
  registerDeadletterCommands(program, ctx);
  registerDebugCommands(program, ctx);
  registerRun(program, ctx);
  return program;
}

/** Runs the CLI and returns its exit code: 0 success, 1 error, 2 bad usage. */
export async function runCli(
  argv: readonly string[],
  ctx: CliContext = {
    io: processIO,
    env: process.env,
    cwd: process.cwd(),
    confirm: process.stdin.isTTY && process.stderr.isTTY ? confirmOnTerminal : undefined,
  },
): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with a CommanderError too; anything else is bad usage.
      const benign = ['commander.helpDisplayed', 'commander.version'];
      return benign.includes(err.code) ? EXIT.ok : EXIT.usage;
    }
    if (isLakerunnerError(err)) {
      ctx.io.err(`error ${err.code}: ${err.message}`);
    } else {
      ctx.io.err(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    return EXIT.error;
  }
}
