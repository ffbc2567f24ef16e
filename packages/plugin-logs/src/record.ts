import type { AnyValue, Attributes } from '@lakerunner/plugin-kit';

/**
 * A log record as a codec reads it: what every logs codec produces, the deployment's own too.
 * Times are raw candidates (the first valid one wins, see schema/row.ts); resource and scope
 * objects are shared by the records they describe.
 */
export interface LogRecord {
  /**
   * Where the record sits in its object: the line, and the index within an OTLP request
   * (`12`, `3.0.0.7`). Row ids are built from it, so it must not depend on how the object was cut.
   */
  position: string;
  time?: unknown;
  /** The input field the time came from, kept as an attribute when it is not a valid time. */
  timeField?: string;
  observedTime?: unknown;
  severityText?: string;
  severityNumber?: number;
  /** undefined: the record has no body (not the same as an empty one). */
  body?: AnyValue;
  traceId?: string;
  spanId?: string;
  flags?: number;
  eventName?: string;
  resource?: LogResource;
  scope?: LogScope;
  attributes?: Attributes;
}

export interface LogResource {
  attributes: Attributes;
  schemaUrl: string;
}

export interface LogScope {
  name: string;
  version: string;
  attributes: Attributes;
  schemaUrl: string;
}
