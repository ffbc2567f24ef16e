import type { Catalog } from '../catalog/catalog.js';

/** A signal's view: its name and the files of its live segments. */
export interface LakeView {
  signal: string;
  files: string[];
}

/**
 * The live segments of each signal, as files. Only the catalog knows which segments are live:
 * compaction leaves the segments it replaced in the bucket until the sweeper's grace period has
 * passed, so every Parquet file under the lake prefix would count their rows twice.
 */
export async function liveViews(
  catalog: Catalog,
  signals: readonly string[],
  pathOf: (key: string) => string,
): Promise<LakeView[]> {
  const views: LakeView[] = [];
  for (const signal of signals) {
    const segments = await catalog.segments({ signal, publishedOnly: true });
    views.push({ signal, files: segments.map((s) => pathOf(s.objectKey)) });
  }
  return views;
}

/**
 * One view per signal with segments, reading exactly its files. A signal without live segments
 * gets no view: an empty one would need the columns, which only the files know.
 */
export function viewStatements(views: readonly LakeView[]): string[] {
  return views
    .filter((v) => v.files.length > 0)
    .map(
      (v) =>
        `CREATE VIEW ${quoteIdentifier(v.signal)} AS SELECT * FROM read_parquet([${v.files
          .map(quoteLiteral)
          .join(', ')}], union_by_name = true)`,
    );
}

/** Signal names may hold "-", so views are always quoted. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
