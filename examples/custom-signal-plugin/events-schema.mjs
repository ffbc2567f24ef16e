// How events become segment rows: fixed columns for the time, event name and user, one typed
// column per property (prop_*), sorted by event name then time; compaction uses the same layout.
import { attributeColumns } from '@lakerunner/plugin-kit';

const FIXED = [
  { name: 'timestamp', type: 'timestamp', get: (r) => r.timestamp },
  { name: 'id', type: 'string', get: (r) => r.id },
  { name: 'event', type: 'string', get: (r) => r.event },
  { name: 'user', type: 'string', get: (r) => r.user },
];

const NAMESPACES = [{ prefix: 'prop_', name: 'properties', get: (r) => r.properties }];

export const eventsEncoding = {
  layout: { sortColumns: ['event', 'timestamp', 'id'], timeColumn: 'timestamp', idColumn: 'id' },
  toRow(record, context) {
    const properties = new Map();
    for (const [key, value] of Object.entries(record.properties)) {
      properties.set(key, /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
    }
    return {
      timestamp: context.resolveTime(record.time),
      id: context.rowId(record.position),
      event: record.event,
      user: record.user ?? null,
      properties,
    };
  },
  columns: (rows) => [...FIXED, ...attributeColumns(rows, NAMESPACES, 200, new Set())],
};
