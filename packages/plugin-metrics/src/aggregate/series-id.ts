import { type AnyValue, type Attributes, anyValueToJson, fnv1a64 } from '@lakerunner/plugin-kit';

/**
 * A series' identity, the same in every process and version: FNV-1a 64 (see the kit's
 * `fnv1a64`) over the JSON array
 *   [name, type, unit, temporality, monotonic, [[key, value]…resource, sorted], [[key, value]…point, sorted]]
 * with values as their AnyValue JSON. Any change here re-keys every series: golden tests pin it.
 */
export function seriesId(identity: {
  name: string;
  type: string;
  unit: string;
  temporality: string;
  monotonic: boolean;
  resource: Attributes;
  attributes: Attributes;
}): bigint {
  const sorted = (attributes: Attributes) =>
    `[${[...attributes]
      .filter(([, v]) => v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `[${JSON.stringify(k)},${anyValueToJson(v as AnyValue)}]`)
      .join(',')}]`;
  return fnv1a64(
    `[${JSON.stringify(identity.name)},${JSON.stringify(identity.type)},${JSON.stringify(identity.unit)},${JSON.stringify(identity.temporality)},${identity.monotonic},${sorted(identity.resource)},${sorted(identity.attributes)}]`,
  );
}
