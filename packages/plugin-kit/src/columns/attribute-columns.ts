import { anyValueToJson } from '../any-value.js';
import type { AnyValue, Attributes } from '../values.js';
import type { ColumnSource } from './column.js';

/**
 * Attribute maps become one typed column per key: `<prefix><name>`, where the name is the key
 * lower-cased with every character outside a-z and 0-9 replaced by `_` (`http.method` →
 * `attr_http_method`), the naming the Go implementation and its queries use. Each namespace has
 * its own prefix, so a record attribute can never land in a resource column or a system column.
 *
 * Two keys of one namespace that map to the same name (`http.method` and `http_method`) both
 * keep their values: the first in key order gets the plain name, the others the name plus `__`
 * and 8 hex digits of the key's FNV-1a hash. The Parquet metadata `lakerunner.columns` maps every
 * attribute column back to its namespace and original key.
 *
 * A name a fixed column of the signal uses (say `scope_name`) is reserved the same way: a
 * scope attribute `name` becomes `scope_name__<hash>`.
 *
 * A file keeps at most `maxColumns` attribute columns (the most frequent keys); the values of the
 * rest go, as JSON by namespace and original key, into the `attributes_overflow` column, so ten
 * thousand distinct keys cost one column rather than ten thousand.
 */
export interface AttributeNamespace<Row> {
  /** e.g. 'resource_', 'scope_', 'attr_'. */
  prefix: string;
  /** The namespace's name in `attributes_overflow`, e.g. 'resource'. */
  name: string;
  get(row: Row): Attributes | undefined;
}

export interface AttributeColumn<Row> extends ColumnSource<Row> {
  namespace: string;
  key: string;
}

export const OVERFLOW_COLUMN = 'attributes_overflow';

export function columnName(prefix: string, key: string): string {
  const name = key.toLowerCase().replace(/[^a-z0-9]/g, '_');
  return prefix + (name === '' ? '_' : name);
}

export function attributeColumns<Row>(
  rows: readonly Row[],
  namespaces: readonly AttributeNamespace<Row>[],
  maxColumns: number,
  /** Names fixed columns use: an attribute that would take one gets the hashed name instead. */
  reserved: ReadonlySet<string> = new Set(),
): ColumnSource<Row>[] {
  const candidates: { namespace: AttributeNamespace<Row>; key: string; rows: number }[] = [];
  for (const namespace of namespaces) {
    for (const [key, count] of keyFrequencies(rows, namespace))
      candidates.push({ namespace, key, rows: count });
  }
  const kept = new Set(
    [...candidates]
      .sort((a, b) => b.rows - a.rows || (a.namespace.prefix + a.key < b.namespace.prefix + b.key ? -1 : 1))
      .slice(0, maxColumns),
  );
  const columns: ColumnSource<Row>[] = [];
  for (const namespace of namespaces) {
    const keys = candidates.filter((c) => c.namespace === namespace && kept.has(c)).map((c) => c.key);
    for (const [name, key] of namedKeys(namespace.prefix, keys, reserved)) {
      const column: AttributeColumn<Row> = {
        name,
        namespace: namespace.name,
        key,
        get: (row) => namespace.get(row)?.get(key),
      };
      columns.push(column);
    }
  }
  const overflow = candidates.filter((c) => !kept.has(c));
  if (overflow.length > 0) columns.push(overflowColumn(namespaces, overflow));
  return columns;
}

/** How many rows carry each key; shared maps (a resource's attributes) are counted once per row. */
function keyFrequencies<Row>(rows: readonly Row[], namespace: AttributeNamespace<Row>): Map<string, number> {
  const maps = new Map<Attributes, number>();
  for (const row of rows) {
    const attributes = namespace.get(row);
    if (attributes && attributes.size > 0) maps.set(attributes, (maps.get(attributes) ?? 0) + 1);
  }
  const counts = new Map<string, number>();
  for (const [attributes, uses] of maps) {
    for (const [key, value] of attributes) {
      if (value !== null) counts.set(key, (counts.get(key) ?? 0) + uses);
    }
  }
  return counts;
}

/**
 * Column name → key, with colliding names disambiguated by a hash of the key (and, should even
 * that be taken, a counter): every key of the namespace gets a name of its own.
 */
function namedKeys(
  prefix: string,
  keys: readonly string[],
  reserved: ReadonlySet<string>,
): Map<string, string> {
  const sorted = [...keys].sort();
  const plain = new Map<string, string>();
  for (const key of sorted) if (!plain.has(columnName(prefix, key))) plain.set(columnName(prefix, key), key);
  const used = new Set<string>(reserved);
  const named = new Set<string>();
  const out = new Map<string, string>();
  // Plain names first, so a key never loses its plain name to another key's hashed one.
  for (const [name, key] of plain) {
    if (used.has(name)) continue;
    used.add(name);
    named.add(key);
    out.set(name, key);
  }
  for (const key of sorted) {
    if (named.has(key)) continue;
    const hashed = `${columnName(prefix, key)}__${fnv1a32(key).toString(16).padStart(8, '0')}`;
    let name = hashed;
    for (let n = 2; used.has(name) || plain.has(name); n++) name = `${hashed}_${n}`;
    used.add(name);
    out.set(name, key);
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

function overflowColumn<Row>(
  namespaces: readonly AttributeNamespace<Row>[],
  overflow: readonly { namespace: AttributeNamespace<Row>; key: string }[],
): ColumnSource<Row> {
  const keysOf = new Map(
    namespaces.map((n) => [n, new Set(overflow.filter((o) => o.namespace === n).map((o) => o.key))]),
  );
  return {
    name: OVERFLOW_COLUMN,
    type: 'string',
    get(row) {
      const parts: string[] = [];
      for (const [namespace, keys] of keysOf) {
        const attributes = namespace.get(row);
        if (!attributes || keys.size === 0) continue;
        const entries: string[] = [];
        for (const [key, value] of attributes) {
          if (keys.has(key) && value !== null)
            entries.push(`${JSON.stringify(key)}:${anyValueToJson(value as AnyValue)}`);
        }
        if (entries.length > 0) parts.push(`${JSON.stringify(namespace.name)}:{${entries.join(',')}}`);
      }
      return parts.length > 0 ? `{${parts.join(',')}}` : null;
    },
  };
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

export function isAttributeColumn<Row>(column: ColumnSource<Row>): column is AttributeColumn<Row> {
  return 'key' in column && 'namespace' in column;
}

const withoutCache = new WeakMap<Attributes, Map<string, Attributes>>();

/**
 * The attributes minus one key that has a fixed column of its own (service.name), cached per
 * map: resource maps are shared by many rows, and their copies must be too.
 */
export function attributesWithout(attributes: Attributes | undefined, key: string): Attributes | undefined {
  if (!attributes?.has(key)) return attributes;
  let copies = withoutCache.get(attributes);
  if (!copies) {
    copies = new Map();
    withoutCache.set(attributes, copies);
  }
  let copy = copies.get(key);
  if (!copy) {
    copy = new Map(attributes);
    copy.delete(key);
    copies.set(key, copy);
  }
  return copy;
}
