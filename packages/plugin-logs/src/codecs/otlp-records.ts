import type { OtlpLogs } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';

/**
 * Log records of an OTLP request, each positioned by `<prefix><resource>.<scope>.<record>`, so
 * row ids are the same whether the request came in one piece or one resource at a time.
 */
export function* otlpLogRecords(request: OtlpLogs, prefix: string, firstResource = 0): Generator<LogRecord> {
  for (let r = 0; r < request.resourceLogs.length; r++) {
    const rl = request.resourceLogs[r];
    if (!rl) continue;
    for (let s = 0; s < rl.scopeLogs.length; s++) {
      const sl = rl.scopeLogs[s];
      if (!sl) continue;
      for (let k = 0; k < sl.logRecords.length; k++) {
        const lr = sl.logRecords[k];
        if (!lr) continue;
        yield {
          position: `${prefix}${firstResource + r}.${s}.${k}`,
          time: lr.timeUnixNano,
          observedTime: lr.observedTimeUnixNano,
          severityText: lr.severityText,
          severityNumber: lr.severityNumber,
          ...(lr.body !== undefined ? { body: lr.body } : {}),
          traceId: lr.traceId,
          spanId: lr.spanId,
          flags: lr.flags,
          eventName: lr.eventName,
          resource: rl.resource,
          scope: sl.scope,
          attributes: lr.attributes,
        };
      }
    }
  }
}
