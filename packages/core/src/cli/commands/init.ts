import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LakerunnerError } from '../../errors.js';
import type { CliContext } from '../io.js';
import { STARTER_CONFIG } from './init/starter-config.js';

/** `lakerunner init`: a commented lakerunner.yaml for the embedded default, to edit from. */
export function registerInit(program: Command, ctx: CliContext) {
  program
    .command('init')
    .description('write a commented lakerunner.yaml for the embedded default (local directory, PGlite)')
    .option('--file <path>', 'where to write it', 'lakerunner.yaml')
    .option('--force', 'overwrite an existing file')
    .addHelpText(
      'after',
      `
Then: start a Kafka broker (or point kafka.brokers at one), create the topics with
\`lakerunner topics sync\`, and run the services with \`lakerunner run --all\`. Files dropped under
./data/bucket/otel-raw/<org>/<collector>/ (named logs_…, metrics_… or traces_…) are ingested.`,
    )
    .action((opts: { file: string; force?: boolean }) => {
      const path = resolve(ctx.cwd, opts.file);
      if (existsSync(path) && !opts.force) {
        throw new LakerunnerError('LR_CONFIG_EXISTS', `${opts.file} exists; pass --force to overwrite it`);
      }
      writeFileSync(path, STARTER_CONFIG);
      ctx.io.out(`wrote ${opts.file}; next: lakerunner topics sync, then lakerunner run --all`);
    });
}
