import { describe, expect, it } from 'vitest';
import {
  type AttributeNamespace,
  attributeColumns,
  attributesWithout,
  columnName,
  isAttributeColumn,
  OVERFLOW_COLUMN,
} from '../src/columns/attribute-columns.js';
import type { ColumnSource } from '../src/columns/column.js';
import type { AnyValue, Attributes } from '../src/values.js';

interface Row {
  resource?: Attributes;
  attrs?: Attributes;
}

const NAMESPACES: AttributeNamespace<Row>[] = [
  { prefix: 'resource_', name: 'resource', get: (r) => r.resource },
  { prefix: 'attr_', name: 'attributes', get: (r) => r.attrs },
];

const attrs = (entries: Record<string, AnyValue>): Attributes => new Map(Object.entries(entries));

/** FNV-1a (32 bit) of the key's UTF-8 bytes, as 8 hex digits: the disambiguating suffix. */
function fnv(key: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

function describeColumns(columns: ColumnSource<Row>[], rows: Row[]) {
  return columns.map((c) => ({
    name: c.name,
    ...(isAttributeColumn(c) ? { namespace: c.namespace, key: c.key } : { type: c.type }),
    values: rows.map((r) => c.get(r)),
  }));
}

describe('columnName', () => {
  it.each([
    ['http.method', 'attr_http_method'],
    ['HTTP.Method', 'attr_http_method'],
    ['http_method', 'attr_http_method'],
    ['k8s.pod.name', 'attr_k8s_pod_name'],
    ['a-b c/d:e', 'attr_a_b_c_d_e'],
    ['Ünïcode', 'attr__n_code'],
    ['日本', 'attr___'],
    ['', 'attr__'],
    ['__', 'attr___'],
  ])('%j → %s', (key, want) => {
    expect(columnName('attr_', key)).toBe(want);
  });
});

describe('fnv oracle', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv('')).toBe('811c9dc5');
    expect(fnv('a')).toBe('e40c292c');
    expect(fnv('foobar')).toBe('bf9cf968');
  });
});

describe('attributeColumns', () => {
  it('gives each key a column under its namespace prefix, reading the row’s value', () => {
    const rows: Row[] = [
      { resource: attrs({ 'service.name': 'api' }), attrs: attrs({ 'http.method': 'GET', n: 1n }) },
      { attrs: attrs({ 'http.method': 'POST' }) },
    ];
    expect(describeColumns(attributeColumns(rows, NAMESPACES, 100), rows)).toEqual([
      {
        name: 'resource_service_name',
        namespace: 'resource',
        key: 'service.name',
        values: ['api', undefined],
      },
      { name: 'attr_http_method', namespace: 'attributes', key: 'http.method', values: ['GET', 'POST'] },
      { name: 'attr_n', namespace: 'attributes', key: 'n', values: [1n, undefined] },
    ]);
  });

  it('gives colliding keys of one namespace distinct columns: the first in key order plain, the others hashed', () => {
    const rows: Row[] = [{ attrs: attrs({ http_method: 1n, 'http.method': 2n, 'HTTP-Method': 3n }) }];
    const columns = attributeColumns(rows, NAMESPACES, 100);
    // Sorted by UTF-16 code units: 'HTTP-Method' < 'http.method' < 'http_method'.
    expect(describeColumns(columns, rows)).toEqual([
      { name: 'attr_http_method', namespace: 'attributes', key: 'HTTP-Method', values: [3n] },
      {
        name: `attr_http_method__${fnv('http.method')}`,
        namespace: 'attributes',
        key: 'http.method',
        values: [2n],
      },
      {
        name: `attr_http_method__${fnv('http_method')}`,
        namespace: 'attributes',
        key: 'http_method',
        values: [1n],
      },
    ]);
  });

  it('always hashes a reserved name, even without a collision', () => {
    const rows: Row[] = [{ attrs: attrs({ a: 'x', b: 'y' }) }];
    const columns = attributeColumns(rows, NAMESPACES, 100, new Set(['attr_a']));
    expect(columns.map((c) => c.name)).toEqual(['attr_a__e40c292c', 'attr_b']);
    const both = attributeColumns([{ attrs: attrs({ A: 1n, a: 2n }) }], NAMESPACES, 100, new Set(['attr_a']));
    expect(both.map((c) => c.name)).toEqual([`attr_a__${fnv('A')}`, 'attr_a__e40c292c']);
  });

  it('never lets one namespace collide with another', () => {
    const rows: Row[] = [
      {
        resource: attrs({ x: 'r', 'service.name': 'svc' }),
        attrs: attrs({ x: 'a', resource: 'not the resource', 'resource.service.name': 'n' }),
      },
    ];
    expect(
      describeColumns(attributeColumns(rows, NAMESPACES, 100), rows).map((c) => [c.name, c.values]),
    ).toEqual([
      ['resource_service_name', ['svc']],
      ['resource_x', ['r']],
      ['attr_resource', ['not the resource']],
      ['attr_resource_service_name', ['n']],
      ['attr_x', ['a']],
    ]);
  });

  it('keeps every key of a namespace when a hashed name equals another key’s name', () => {
    // 'a.b' takes attr_a_b, so 'a_b' gets attr_a_b__<fnv('a_b')>: exactly the plain name of the third key.
    const third = `a_b__${fnv('a_b')}`;
    const rows: Row[] = [{ attrs: attrs({ 'a.b': 1n, a_b: 2n, [third]: 3n }) }];
    const columns = attributeColumns(rows, NAMESPACES, 100);
    expect(new Set(columns.map((c) => c.name)).size).toBe(3);
    expect(columns.map((c) => (isAttributeColumn(c) ? c.key : c.name)).sort()).toEqual(['a.b', 'a_b', third]);
  });

  it('keeps both keys when two colliding keys share an FNV-1a hash', () => {
    // Both map to attr_x________ and hash to cfe89b00; the name is reserved, so neither is plain.
    const rows: Row[] = [{ attrs: attrs({ 'x.@:-_-..': 1n, 'x:@-@-#..': 2n }) }];
    expect(fnv('x.@:-_-..')).toBe(fnv('x:@-@-#..'));
    const columns = attributeColumns(rows, NAMESPACES, 100, new Set(['attr_x________']));
    expect(columns.map((c) => c.get(rows[0] as Row)).sort()).toEqual([1n, 2n]);
  });

  it('keeps the maxColumns most frequent keys and puts the rest in attributes_overflow as JSON', () => {
    const shared = attrs({ host: 'h1' });
    const rows: Row[] = [
      { resource: shared, attrs: attrs({ common: 1n, rare: 'r', big: 9007199254740993n }) },
      { resource: shared, attrs: attrs({ common: 2n, list: [1n, 'x'] }) },
      { resource: shared, attrs: attrs({ common: 3n }) },
      { attrs: attrs({ common: 4n }) },
    ];
    const columns = attributeColumns(rows, NAMESPACES, 2);
    expect(describeColumns(columns, rows)).toEqual([
      { name: 'resource_host', namespace: 'resource', key: 'host', values: ['h1', 'h1', 'h1', undefined] },
      { name: 'attr_common', namespace: 'attributes', key: 'common', values: [1n, 2n, 3n, 4n] },
      {
        name: OVERFLOW_COLUMN,
        type: 'string',
        values: [
          '{"attributes":{"rare":"r","big":9007199254740993}}',
          '{"attributes":{"list":[1,"x"]}}',
          null,
          null,
        ],
      },
    ]);
    expect(OVERFLOW_COLUMN).toBe('attributes_overflow');
  });

  it('writes the overflow by namespace and original key, in the maps’ key order', () => {
    const rows: Row[] = [
      {
        resource: attrs({ 'service.name': 'a', z: true }),
        attrs: attrs({ 'b.c': new Uint8Array([1]), a: 1.5 }),
      },
    ];
    const [overflow, ...rest] = attributeColumns(rows, NAMESPACES, 0);
    expect(rest).toEqual([]);
    expect(overflow?.name).toBe(OVERFLOW_COLUMN);
    expect(overflow?.get(rows[0] as Row)).toBe(
      '{"resource":{"service.name":"a","z":true},"attributes":{"b.c":"AQ==","a":1.5}}',
    );
  });

  it('counts a shared map once for every row that uses it', () => {
    const shared = attrs({ r: 'x' });
    const rows: Row[] = [
      { resource: shared },
      { resource: shared },
      { resource: shared, attrs: attrs({ a: 1n }) },
      { attrs: attrs({ a: 2n }) },
    ];
    // r is on 3 rows, a on 2: with one column, r keeps it.
    expect(attributeColumns(rows, NAMESPACES, 1).map((c) => c.name)).toEqual(['resource_r', OVERFLOW_COLUMN]);
    rows.push({ attrs: attrs({ a: 3n }) }, { attrs: attrs({ a: 4n }) });
    expect(attributeColumns(rows, NAMESPACES, 1).map((c) => c.name)).toEqual(['attr_a', OVERFLOW_COLUMN]);
  });

  it('breaks frequency ties by prefix and key', () => {
    const rows: Row[] = [{ resource: attrs({ a: 1n }), attrs: attrs({ z: 1n, y: 1n }) }];
    expect(attributeColumns(rows, NAMESPACES, 1).map((c) => c.name)).toEqual(['attr_y', OVERFLOW_COLUMN]);
    expect(attributeColumns(rows, NAMESPACES, 2).map((c) => c.name)).toEqual([
      'attr_y',
      'attr_z',
      OVERFLOW_COLUMN,
    ]);
  });

  it('ignores null values: a key only ever null has no column, and nulls do not count', () => {
    const rows: Row[] = [
      { attrs: attrs({ never: null, sometimes: null, often: 1n }) },
      { attrs: attrs({ sometimes: 1n, often: 2n }) },
      { attrs: attrs({ often: 3n }) },
    ];
    expect(attributeColumns(rows, NAMESPACES, 100).map((c) => c.name)).toEqual([
      'attr_often',
      'attr_sometimes',
    ]);
    const limited = attributeColumns(rows, NAMESPACES, 1);
    expect(limited.map((c) => c.name)).toEqual(['attr_often', OVERFLOW_COLUMN]);
    expect(rows.map((r) => limited[1]?.get(r))).toEqual([null, '{"attributes":{"sometimes":1}}', null]);
  });

  it('has no columns for rows without attributes', () => {
    expect(attributeColumns([{}, { attrs: new Map() }], NAMESPACES, 10)).toEqual([]);
  });
});

describe('attributesWithout', () => {
  it('returns the same map when the key is absent, and undefined for undefined', () => {
    const map = attrs({ a: 1n });
    expect(attributesWithout(map, 'b')).toBe(map);
    expect(attributesWithout(undefined, 'b')).toBeUndefined();
  });

  it('returns a copy without the key, leaving the original untouched', () => {
    const map = attrs({ 'service.name': 'api', a: 1n });
    const copy = attributesWithout(map, 'service.name');
    expect(copy).toEqual(new Map([['a', 1n]]));
    expect(map.get('service.name')).toBe('api');
  });

  it('hands back the same copy for the same map and key, so shared maps stay shared', () => {
    const map = attrs({ 'service.name': 'api', a: 1n });
    const copy = attributesWithout(map, 'service.name');
    expect(attributesWithout(map, 'service.name')).toBe(copy);
    expect(attributesWithout(map, 'a')).not.toBe(copy);
    expect(attributesWithout(map, 'a')).toEqual(new Map([['service.name', 'api']]));
    expect(attributesWithout(attrs({ 'service.name': 'api', a: 1n }), 'service.name')).not.toBe(copy);
  });
});
