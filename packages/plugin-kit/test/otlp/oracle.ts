import { createRequire } from 'node:module';

/**
 * The reference encoder: protobufjs's static module for opentelemetry-proto, as shipped by
 * @opentelemetry/otlp-transformer 0.208 (installed as `otlp-oracle`).
 */
interface ProtoType {
  fromObject(object: object): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
}

interface Root {
  opentelemetry: {
    proto: {
      collector: {
        logs: { v1: { ExportLogsServiceRequest: ProtoType } };
        trace: { v1: { ExportTraceServiceRequest: ProtoType } };
        metrics: { v1: { ExportMetricsServiceRequest: ProtoType } };
      };
    };
  };
}

const root = createRequire(import.meta.url)('otlp-oracle/build/src/generated/root') as Root;
const { collector } = root.opentelemetry.proto;

function encoder(type: ProtoType): (object: object) => Uint8Array {
  return (object) => type.encode(type.fromObject(object)).finish();
}

export const encodeLogs = encoder(collector.logs.v1.ExportLogsServiceRequest);
export const encodeTraces = encoder(collector.trace.v1.ExportTraceServiceRequest);
export const encodeMetrics = encoder(collector.metrics.v1.ExportMetricsServiceRequest);
