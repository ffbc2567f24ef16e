/**
 * Typed attribute values, as OpenTelemetry defines AnyValue: every codec produces these and the
 * column writer maps each to a Parquet type. Keeping the type (int64 as bigint, bytes as bytes)
 * is what lets an int64 attribute of 9007199254740993 stay exact.
 *
 *   string → Utf8 | boolean → Bool | bigint (int64) → Int64 | number (double) → Float64 |
 *   Uint8Array → Binary | AnyValue[] and KeyValueList → Utf8 holding JSON | null → absent
 */
export type AnyValue = string | boolean | bigint | number | Uint8Array | AnyValue[] | KeyValueList | null;

/** An OpenTelemetry kvlist: keys in their original order. */
export type KeyValueList = Map<string, AnyValue>;

/** Resource, scope, record and span attributes. */
export type Attributes = Map<string, AnyValue>;
