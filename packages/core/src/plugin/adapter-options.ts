import { LakerunnerError } from '../errors.js';

/**
 * Says what a value should have been, or undefined when it is fine. `expects` says the same for
 * every value, so the documentation's tables come from the checks that validate.
 */
export interface OptionCheck {
  (value: unknown): string | undefined;
  readonly expects: string;
}

/** A check from what it expects and the test a value must pass. */
export function optionCheck(expects: string, ok: (value: unknown) => boolean): OptionCheck {
  return Object.assign((value: unknown) => (ok(value) ? undefined : expects), { expects });
}

/** The checks adapters' options are made of. */
export const optionChecks = {
  nonEmptyString: optionCheck('a non-empty string', (v) => typeof v === 'string' && v.length > 0),
  boolean: optionCheck('true or false', (v) => typeof v === 'boolean'),
  stringList: optionCheck(
    'a list of strings',
    (v) => Array.isArray(v) && v.every((p) => typeof p === 'string'),
  ),
  integer: (min: number, max: number, unit = ''): OptionCheck =>
    optionCheck(
      `a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`,
      (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
    ),
  url: optionCheck('an http(s) URL', (v) => {
    if (typeof v !== 'string') return false;
    try {
      const { protocol } = new URL(v);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }),
};

/** One option an adapter takes: how it is checked and what the documentation says of it. */
export interface AdapterOption {
  check: OptionCheck;
  description: string;
  /** The default as a reader should see it (`64 MiB`, `AWS_REGION, else us-east-1`). */
  default?: string;
  /** Set when the option must be given: the error's reason when it is missing. */
  required?: string;
}

/** Every option of an adapter, validated by `parse` and documented by `renderAdapterOptions`. */
export interface AdapterOptionsSpec<T> {
  readonly adapter: string;
  /** The config section whose `options` these are (`storage`, `catalog`). */
  readonly section: string;
  readonly options: { readonly [K in keyof T]-?: AdapterOption };
  /** An unknown, mistyped or missing option is LR_CONFIG_INVALID naming `<section>.options.<key>`. */
  parse(given: object): T;
}

export function defineAdapterOptions<T>(
  adapter: string,
  section: string,
  options: { [K in keyof T]-?: AdapterOption },
): AdapterOptionsSpec<T> {
  const known = options as Record<string, AdapterOption | undefined>;
  const invalid = (key: string, why: string) =>
    new LakerunnerError('LR_CONFIG_INVALID', `${section}.options.${key}: ${why}`);
  const parse = (given: object): T => {
    const values = given as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      const option = known[key];
      if (!option)
        throw invalid(key, `unknown option of ${adapter} (known: ${Object.keys(known).join(', ')})`);
      const expected = value === undefined ? undefined : option.check(value);
      if (expected) throw invalid(key, `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
    }
    for (const [key, option] of Object.entries(known)) {
      if (option?.required && values[key] === undefined) throw invalid(key, option.required);
    }
    return values as T;
  };
  return Object.freeze({ adapter, section, options, parse });
}

/** The options as a Markdown table (option | expects | default | description). */
export function renderAdapterOptions(spec: AdapterOptionsSpec<unknown>): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = Object.entries(spec.options as Record<string, AdapterOption>).map(
    ([key, o]) =>
      `| \`${key}\` | ${cell(o.check.expects)} | ${o.required ? '**required**' : cell(o.default ?? '—')} | ${cell(o.description)} |`,
  );
  return [
    `| \`${spec.section}.options\` | Expects | Default | Description |`,
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
