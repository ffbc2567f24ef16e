/** Enum value names of the OTLP .proto files, which OTLP/JSON may use instead of numbers. */

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export const SEVERITY_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...LEVELS.flatMap((level, i) =>
    ['', '2', '3', '4'].map((suffix, j): [string, number] => [
      `SEVERITY_NUMBER_${level}${suffix}`,
      i * 4 + j + 1,
    ]),
  ),
]);

export const SPAN_KINDS: ReadonlyMap<string, number> = new Map(
  ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map((name, i) => [
    `SPAN_KIND_${name}`,
    i,
  ]),
);

export const STATUS_CODES: ReadonlyMap<string, number> = new Map(
  ['UNSET', 'OK', 'ERROR'].map((name, i) => [`STATUS_CODE_${name}`, i]),
);

export const AGGREGATION_TEMPORALITIES: ReadonlyMap<string, number> = new Map(
  ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'].map((name, i) => [`AGGREGATION_TEMPORALITY_${name}`, i]),
);
