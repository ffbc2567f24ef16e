import { LakerunnerError } from '../errors.js';

/** Says what a value should have been, or undefined when it is fine. */
export type OptionCheck = (value: unknown) => string | undefined;

/** The checks adapters' options are made of. */
export const optionChecks = {
  nonEmptyString: ((v) =>
    typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string') as OptionCheck,
  boolean: ((v) => (typeof v === 'boolean' ? undefined : 'true or false')) as OptionCheck,
  stringList: ((v) =>
    Array.isArray(v) && v.every((p) => typeof p === 'string')
      ? undefined
      : 'a list of strings') as OptionCheck,
  integer:
    (min: number, max: number, unit = ''): OptionCheck =>
    (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
        ? undefined
        : `a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`,
  url: ((v) => {
    if (typeof v !== 'string') return 'a URL';
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'an http(s) URL';
    } catch {
      return 'a URL';
    }
  }) as OptionCheck,
};

/**
 * Validates an adapter's `options` against the checks it declares: an unknown, mistyped or
 * missing option is LR_CONFIG_INVALID naming `<section>.options.<key>`, never ignored.
 */
export function parseAdapterOptions<T>(
  adapter: string,
  given: object,
  checks: { [K in keyof T]-?: OptionCheck },
  required: { [K in keyof T]?: string },
  section = 'storage',
): T {
  const invalid = (key: string, why: string) =>
    new LakerunnerError('LR_CONFIG_INVALID', `${section}.options.${key}: ${why}`);
  const options = given as Record<string, unknown>;
  const known = checks as Record<string, OptionCheck | undefined>;
  for (const [key, value] of Object.entries(options)) {
    const check = known[key];
    if (!check) throw invalid(key, `unknown option of ${adapter} (known: ${Object.keys(known).join(', ')})`);
    const expected = value === undefined ? undefined : check(value);
    if (expected) throw invalid(key, `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  for (const [key, why] of Object.entries(required as Record<string, string>)) {
    if (options[key] === undefined) throw invalid(key, why);
  }
  return options as T;
}
