import type { OtlpResource, OtlpScope, OtlpSpan } from '@lakerunner/plugin-kit';

/** A span as a traces codec reads it: the OTLP span with its resource and scope. */
export interface SpanRecord {
  /** `<request>.<resource>.<scope>.<span>` within its object; row ids are built from it. */
  position: string;
  span: OtlpSpan;
  resource: OtlpResource;
  scope: OtlpScope;
}
