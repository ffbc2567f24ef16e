import type { Command } from 'commander';
import type { SegmentRow } from '../../catalog/catalog.js';
import { withCatalogReader } from '../catalog-reader.js';
import { formatDay, parseDay } from '../day.js';
import { loadDeployment } from '../deployment.js';
import { parseCount } from '../duration.js';
import type { CliContext } from '../io.js';
import { renderTable } from '../table.js';

interface ListOptions {
  all?: boolean;
  signal?: string;
  org?: string;
  day?: number;
  frequency?: number;
  json?: boolean;
}

interface Totals {
  segments: number;
  rows: number;
  bytes: number;
}

export function registerSegmentsCommands(program: Command, ctx: CliContext) {
  const segments = program
    .command('segments')
    .description('inspect the segments of the lake, as the catalog records them');

  segments
    .command('list')
    .description('list the live segments: the Parquet objects that together hold every row once')
    .option('--all', 'also list replaced segments whose objects the sweeper has not deleted yet')
    .option('--signal <name>', 'only this signal (default: every signal of the deployment)')
    .option('--org <org>', 'only this organization')
    .option('--day <day>', 'only this day (UTC), as YYYY-MM-DD or YYYYMMDD', parseDay)
    .option(
      '--frequency <ms>',
      'only this aggregation frequency in ms (metrics tiers; 0 = raw rows)',
      parseCount,
    )
    .option(
      '--json',
      'print JSON: { segments: [{ signal, org, day, frequencyMs, records, bytes, createdBy, live, objectKey, ... }], ' +
        'totals: { live, replaced } }',
    )
    .addHelpText(
      'after',
      `
Compaction replaces segments with bigger ones; the replaced ones stay in the bucket until the
sweeper deletes them (runtime.sweeperGraceMs later), so the bucket holds some rows twice. The live
segments hold each row once: read those (lakerunner query does), never a glob over the bucket.
Metrics keep every rollup tier live, each tier complete on its own: pick one with --frequency.
CREATED BY is the stage that wrote the segment (ingest, compact, rollup). FREQUENCY MS is - for
raw rows (--frequency 0). With --all, STATE says live or replaced, and the totals count each apart.
Works while lakerunner run is running, on PostgreSQL and on the embedded PGlite catalog (read from
a consistent copy of its directory).`,
    )
    .action(async (opts: ListOptions, command: Command) => {
      const deployment = await loadDeployment(command, ctx);
      const signals = opts.signal ? [opts.signal] : deployment.plugins.map((p) => p.signal);
      const rows = await withCatalogReader(deployment, async (catalog) => {
        const found: SegmentRow[] = [];
        for (const signal of signals) {
          found.push(
            ...(await catalog.segments({
              signal,
              org: opts.org,
              dateint: opts.day,
              frequencyMs: opts.frequency,
              publishedOnly: !opts.all,
            })),
          );
        }
        return found;
      });
      const totals = {
        live: total(rows.filter((s) => s.published)),
        replaced: total(rows.filter((s) => !s.published)),
      };
      if (opts.json) {
        ctx.io.out(JSON.stringify({ segments: rows.map(segmentJson), totals }, null, 2));
        return;
      }
      ctx.io.out(
        renderTable(
          [
            'SIGNAL',
            'ORG',
            'DAY',
            'FREQUENCY MS',
            'ROWS',
            'BYTES',
            'CREATED BY',
            ...(opts.all ? ['STATE'] : []),
            'OBJECT KEY',
          ],
          rows.map((s) => [
            s.signal,
            s.org,
            formatDay(s.dateint),
            s.frequencyMs === 0 ? '-' : String(s.frequencyMs),
            String(s.records),
            String(s.bytes),
            s.createdBy,
            ...(opts.all ? [s.published ? 'live' : 'replaced'] : []),
            s.objectKey,
          ]),
        ),
      );
      const live = `${count(totals.live.segments, 'live segment')}, ${count(totals.live.rows, 'row')}, ${count(totals.live.bytes, 'byte')}`;
      ctx.io.out(
        opts.all
          ? `total: ${live}; ${count(totals.replaced.segments, 'replaced segment')} not yet swept, ` +
              `${count(totals.replaced.rows, 'row')}, ${count(totals.replaced.bytes, 'byte')}`
          : `total: ${live}`,
      );
    });
}

function total(rows: readonly SegmentRow[]): Totals {
  return {
    segments: rows.length,
    rows: rows.reduce((n, s) => n + s.records, 0),
    bytes: rows.reduce((n, s) => n + s.bytes, 0),
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function segmentJson(s: SegmentRow) {
  return {
    signal: s.signal,
    org: s.org,
    day: formatDay(s.dateint),
    dateint: s.dateint,
    frequencyMs: s.frequencyMs,
    records: s.records,
    bytes: s.bytes,
    createdBy: s.createdBy,
    live: s.published,
    replacedAt: s.unpublishedAt?.toISOString() ?? null,
    objectKey: s.objectKey,
    segmentId: s.segmentId,
    workUnitId: s.workUnitId,
    createdAt: s.createdAt.toISOString(),
    minTs: s.minTs,
    maxTs: s.maxTs,
  };
}
