import { type Command, Option } from 'commander';
import { isLakerunnerError, LakerunnerError } from '../../errors.js';
import { withCatalogReader } from '../catalog-reader.js';
import { loadDeployment } from '../deployment.js';
import { type DuckDB, loadDuckDB } from '../duckdb.js';
import { parseCount } from '../duration.js';
import type { CliContext } from '../io.js';
import { type LakeView, liveViews, viewStatements } from '../lake-views.js';
import { localObjectPath } from '../local-lake.js';
import { QUERY_FORMATS, type QueryFormat, queryPrinter } from '../query-output.js';

interface QueryOptions {
  format: QueryFormat;
  limit: number;
}

type DuckDBResult = Awaited<ReturnType<InstanceType<DuckDB['DuckDBConnection']>['stream']>>;

export function registerQuery(program: Command, ctx: CliContext) {
  program
    .command('query')
    .description('run SQL (DuckDB) over the live segments, one view per signal: logs, metrics, traces, ...')
    .argument('<sql>', 'the SQL, e.g. "SELECT level, count(*) FROM logs GROUP BY level"')
    .addOption(
      new Option('--format <format>', 'table, json (one object per line) or csv')
        .choices(QUERY_FORMATS)
        .default('table'),
    )
    .option('--limit <n>', 'print at most n rows (0 = all)', parseCount, 1000)
    .addHelpText(
      'after',
      `
Each signal of the deployment is a view over exactly its live segments, as the catalog lists them
(lakerunner segments list): read_parquet([their files], union_by_name = true). A glob over the
bucket would also read the segments compaction replaced, which stay until the sweeper deletes
them, and count their rows twice. A signal without live segments has no view (yet). Views whose
signal has a "-" in its name need double quotes: SELECT * FROM "my-signal".
Metrics keep every rollup tier live, each complete on its own: filter on frequency_ms (10000 is
the first tier), or a sum counts each point once per tier.
Needs the local-directory store (storage-fs) and the optional package @duckdb/node-api. Works
while lakerunner run is running (the embedded PGlite catalog is read from a consistent copy).
A table ends with the row count; for json and csv, stdout holds only the rows and the note that
rows were left out past --limit goes to stderr.`,
    )
    .action(async (sql: string, opts: QueryOptions, command: Command) => {
      const deployment = await loadDeployment(command, ctx);
      // The checks that need no catalog come first: a copy of an embedded catalog takes a moment.
      const pathOf = localObjectPath(deployment.config, ctx.cwd);
      const duck = await loadDuckDB();
      const signals = deployment.plugins.map((p) => p.signal);
      const views = await withCatalogReader(deployment, (catalog) => liveViews(catalog, signals, pathOf));
      await run(duck, views, sql, opts, ctx);
    });
}

async function run(
  duck: DuckDB,
  views: readonly LakeView[],
  sql: string,
  opts: QueryOptions,
  ctx: CliContext,
) {
  const instance = await duck.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const statement of viewStatements(views)) await connection.run(statement);
    const result = await connection.stream(sql);
    const printer = queryPrinter(opts.format, result.deduplicatedColumnNames(), ctx.io);
    const limit = opts.limit === 0 ? Number.POSITIVE_INFINITY : opts.limit;
    let printed = 0;
    let more = false;
    for await (const chunk of opts.format === 'json' ? jsonRows(duck, result) : textRows(result)) {
      const room = limit - printed;
      printer.rows(chunk.length > room ? chunk.slice(0, room) : chunk);
      printed += Math.min(chunk.length, room);
      // Stop reading as soon as a row past the limit shows up: the rest is never computed.
      if (chunk.length > room) {
        more = true;
        break;
      }
    }
    printer.end(printed, more);
  } catch (err) {
    throw isLakerunnerError(err) ? err : queryFailed(err, views);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function* textRows(result: DuckDBResult): AsyncGenerator<(string | null)[][]> {
  for await (const chunk of result.yieldRows()) {
    yield chunk.map((row) => row.map((value) => (value === null ? null : String(value))));
  }
}

/**
 * DuckDB's JSON form, except that 64- and 128-bit integers (counts, sums) that a double holds
 * exactly become numbers rather than strings: `count(*)` should read as a number.
 */
async function* jsonRows(duck: DuckDB, result: DuckDBResult): AsyncGenerator<unknown[][]> {
  const { BIGINT, UBIGINT, HUGEINT, UHUGEINT } = duck.DuckDBTypeId;
  const wide = new Set<number>([BIGINT, UBIGINT, HUGEINT, UHUGEINT]);
  const isWide = Array.from({ length: result.columnCount }, (_, i) => wide.has(result.columnTypeId(i)));
  for await (const chunk of result.yieldRowsJson()) {
    yield chunk.map((row) =>
      row.map((value, i) =>
        isWide[i] && typeof value === 'string' && Number.isSafeInteger(Number(value)) ? Number(value) : value,
      ),
    );
  }
}

function queryFailed(err: unknown, views: readonly LakeView[]): LakerunnerError {
  const message = err instanceof Error ? err.message : String(err);
  // A view that is missing because its signal has no live segments is worth saying so.
  const empty = views.filter((v) => v.files.length === 0).map((v) => v.signal);
  const hint =
    /Catalog Error/.test(message) && empty.length > 0
      ? `\n(no live segments, so no view: ${empty.join(', ')})`
      : '';
  return new LakerunnerError('LR_QUERY_FAILED', `${message}${hint}`, { cause: err });
}
