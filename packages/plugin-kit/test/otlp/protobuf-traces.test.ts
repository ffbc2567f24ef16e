import { describe, expect, it } from 'vitest';
import { decodeOtlpTracesProtobuf } from '../../src/otlp/index.js';
import { encodeTraces } from './oracle.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const PARENT_ID = '53995c3f42cd8ad8';
const LINKED_TRACE = 'ffffffffffffffffffffffffffffffff';
const LINKED_SPAN = '0102030405060708';

describe('decodeOtlpTracesProtobuf', () => {
  it('decodes every field of what the oracle encodes', () => {
    const bytes = encodeTraces({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          scopeSpans: [
            {
              scope: { name: 'http', version: '2.0.0' },
              schemaUrl: 'https://example.com/scope',
              spans: [
                {
                  traceId: Buffer.from(TRACE_ID, 'hex'),
                  spanId: Buffer.from(SPAN_ID, 'hex'),
                  traceState: 'vendor=1',
                  parentSpanId: Buffer.from(PARENT_ID, 'hex'),
                  flags: 0x301,
                  name: 'GET /cart',
                  kind: 2,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000250000000',
                  attributes: [{ key: 'http.status_code', value: { intValue: 500 } }],
                  droppedAttributesCount: 1,
                  events: [
                    {
                      timeUnixNano: '1700000000100000000',
                      name: 'exception',
                      attributes: [{ key: 'exception.type', value: { stringValue: 'Timeout' } }],
                      droppedAttributesCount: 2,
                    },
                  ],
                  droppedEventsCount: 3,
                  links: [
                    {
                      traceId: Buffer.from(LINKED_TRACE, 'hex'),
                      spanId: Buffer.from(LINKED_SPAN, 'hex'),
                      traceState: 'other=2',
                      attributes: [{ key: 'link.kind', value: { stringValue: 'follows' } }],
                      droppedAttributesCount: 4,
                      flags: 0x100,
                    },
                  ],
                  droppedLinksCount: 5,
                  status: { code: 2, message: 'deadline exceeded' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decodeOtlpTracesProtobuf(bytes)).toEqual({
      resourceSpans: [
        {
          resource: {
            attributes: new Map([['service.name', 'cart']]),
            droppedAttributesCount: 0,
            schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          },
          scopeSpans: [
            {
              scope: {
                name: 'http',
                version: '2.0.0',
                attributes: new Map(),
                droppedAttributesCount: 0,
                schemaUrl: 'https://example.com/scope',
              },
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  traceState: 'vendor=1',
                  parentSpanId: PARENT_ID,
                  flags: 0x301,
                  name: 'GET /cart',
                  kind: 2,
                  startTimeUnixNano: 1_700_000_000_000_000_000n,
                  endTimeUnixNano: 1_700_000_000_250_000_000n,
                  attributes: new Map([['http.status_code', 500n]]),
                  droppedAttributesCount: 1,
                  events: [
                    {
                      timeUnixNano: 1_700_000_000_100_000_000n,
                      name: 'exception',
                      attributes: new Map([['exception.type', 'Timeout']]),
                      droppedAttributesCount: 2,
                    },
                  ],
                  droppedEventsCount: 3,
                  links: [
                    {
                      traceId: LINKED_TRACE,
                      spanId: LINKED_SPAN,
                      traceState: 'other=2',
                      attributes: new Map([['link.kind', 'follows']]),
                      droppedAttributesCount: 4,
                      flags: 0x100,
                    },
                  ],
                  droppedLinksCount: 5,
                  status: { code: 2, message: 'deadline exceeded' },
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('gives a span without fields the protobuf defaults', () => {
    const bytes = encodeTraces({ resourceSpans: [{ scopeSpans: [{ spans: [{}] }] }] });
    expect(decodeOtlpTracesProtobuf(bytes).resourceSpans[0]?.scopeSpans[0]?.spans[0]).toEqual({
      traceId: '',
      spanId: '',
      traceState: '',
      parentSpanId: '',
      flags: 0,
      name: '',
      kind: 0,
      startTimeUnixNano: 0n,
      endTimeUnixNano: 0n,
      attributes: new Map(),
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    });
  });
});
