import type { OtlpTraces } from '@lakerunner/plugin-kit';
import type { SpanRecord } from '../record.js';

/** Spans of an OTLP request, positioned so row ids do not depend on how the object was cut. */
export function* otlpSpanRecords(
  request: OtlpTraces,
  prefix: string,
  firstResource = 0,
): Generator<SpanRecord> {
  for (let r = 0; r < request.resourceSpans.length; r++) {
    const rs = request.resourceSpans[r];
    if (!rs) continue;
    for (let s = 0; s < rs.scopeSpans.length; s++) {
      const ss = rs.scopeSpans[s];
      if (!ss) continue;
      for (let k = 0; k < ss.spans.length; k++) {
        const span = ss.spans[k];
        if (span)
          yield {
            position: `${prefix}${firstResource + r}.${s}.${k}`,
            span,
            resource: rs.resource,
            scope: ss.scope,
          };
      }
    }
  }
}
