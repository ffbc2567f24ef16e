import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Real OTLP request bodies, written by the OpenTelemetry JS SDK's own exporters (http/protobuf
 * and http/json) to a local HTTP endpoint that keeps them: the bytes a collector or an S3
 * exporter would receive, to store in the bucket as objects.
 */
export interface CapturedRequest {
  path: string;
  contentType: string;
  body: Buffer;
}

async function capture(run: (url: string) => Promise<void>): Promise<CapturedRequest[]> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        contentType: String(req.headers['content-type']),
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': String(req.headers['content-type']) }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return requests;
}

export interface SdkLogOptions {
  encoding: 'protobuf' | 'json';
  service: string;
  /** Records to emit, with their time in ms. */
  records: {
    timeMs: number;
    body: string;
    severity?: SeverityNumber;
    attributes?: Record<string, unknown>;
  }[];
}

/** One export request per call (a single batch), as the exporter sent it. */
export async function sdkLogExport(options: SdkLogOptions): Promise<Buffer> {
  const [request] = await capture(async (url) => {
    const exporter =
      options.encoding === 'protobuf'
        ? new ProtoLogExporter({ url: `${url}/v1/logs` })
        : new JsonLogExporter({ url: `${url}/v1/logs` });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': options.service, 'deployment.environment': 'test' }),
      processors: [
        new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 100_000, maxQueueSize: 100_000 }),
      ],
    });
    const logger = provider.getLogger('lakerunner-tests', '1.0.0');
    for (const r of options.records) {
      logger.emit({
        timestamp: r.timeMs,
        observedTimestamp: r.timeMs + 1,
        severityNumber: r.severity ?? SeverityNumber.INFO,
        severityText: SeverityNumber[r.severity ?? SeverityNumber.INFO],
        body: r.body,
        attributes: r.attributes as never,
      });
    }
    await provider.forceFlush();
    await provider.shutdown();
  });
  if (!request) throw new Error('the SDK exported nothing');
  return request.body;
}

export interface SdkTraceOptions {
  encoding: 'protobuf' | 'json';
  service: string;
  /** Traces to record: each a root span with `children` child spans, starting at startMs. */
  traces: { startMs: number; children: number }[];
}

export async function sdkTraceExport(options: SdkTraceOptions): Promise<{ body: Buffer; spans: number }> {
  let spans = 0;
  const [request] = await capture(async (url) => {
    const exporter =
      options.encoding === 'protobuf'
        ? new ProtoTraceExporter({ url: `${url}/v1/traces` })
        : new JsonTraceExporter({ url: `${url}/v1/traces` });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': options.service }),
      spanProcessors: [
        new BatchSpanProcessor(exporter, { maxExportBatchSize: 100_000, maxQueueSize: 100_000 }),
      ],
    });
    const tracer = provider.getTracer('lakerunner-tests', '1.0.0');
    const { context, trace } = await import('@opentelemetry/api');
    for (const t of options.traces) {
      const root = tracer.startSpan('GET /checkout', {
        startTime: t.startMs,
        attributes: { 'http.request.method': 'GET' },
      });
      const parent = trace.setSpan(context.active(), root);
      for (let c = 0; c < t.children; c++) {
        const child = tracer.startSpan(`query ${c}`, { startTime: t.startMs + c + 1, kind: 2 }, parent);
        child.addEvent('row fetched', { rows: c }, t.startMs + c + 1);
        child.end(t.startMs + c + 2);
        spans++;
      }
      root.end(t.startMs + t.children + 5);
      spans++;
    }
    await provider.forceFlush();
    await provider.shutdown();
  });
  if (!request) throw new Error('the SDK exported nothing');
  return { body: request.body, spans };
}
