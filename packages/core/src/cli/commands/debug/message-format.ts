import type { RawMessage } from '../../../kafka/partition-reader.js';
import type { TopicKind, TopicRegistry } from '../../../topics/registry.js';

/** How `tail` shows a message: as one JSON line, or as a readable block for people. */

const LABELS: Record<TopicKind | 'control' | 'deadletter', string> = {
  objstore: 'object notification',
  segments: 'work unit',
  boxer: 'segment notification',
  control: 'control message',
  deadletter: 'dead-letter record',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(buffer: Buffer | null | undefined): string | undefined {
  if (!buffer) return undefined;
  try {
    return utf8.decode(buffer);
  } catch {
    return undefined;
  }
}

function headersOf(message: RawMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(message.headers).map(([k, v]) => [k, v ? (asText(v) ?? `0x${v.toString('hex')}`) : '']),
  );
}

export function messageJson(message: RawMessage): string {
  const text = asText(message.value);
  const value =
    message.value === null
      ? { value: null }
      : text !== undefined
        ? { value: text }
        : { value: message.value.toString('base64'), valueEncoding: 'base64' };
  return JSON.stringify({
    topic: message.topic,
    partition: message.partition,
    offset: Number(message.offset),
    timestamp: new Date(message.timestamp).toISOString(),
    key: message.key === null ? null : (asText(message.key) ?? message.key.toString('base64')),
    headers: headersOf(message),
    ...value,
  });
}

export function messageText(message: RawMessage, registry: TopicRegistry): string {
  const key =
    message.key === null ? '' : `  key=${asText(message.key) ?? `0x${message.key.toString('hex')}`}`;
  const lines = [
    `--- ${message.topic} [${message.partition}] @${message.offset}  ${new Date(message.timestamp).toISOString()}${key}`,
  ];
  const headers = Object.entries(headersOf(message));
  if (headers.length > 0) lines.push(`headers: ${headers.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  lines.push(describeValue(message, registry));
  return lines.join('\n');
}

function describeValue(message: RawMessage, registry: TopicRegistry): string {
  if (message.value === null) return '(null value: tombstone)';
  const text = asText(message.value);
  if (text === undefined) {
    const shown = message.value
      .subarray(0, 256)
      .toString('hex')
      .replace(/(.{64})/g, '$1\n');
    const more = message.value.length > 256 ? `\n… ${message.value.length} bytes in all` : '';
    return `binary value (hex):\n${shown.trimEnd()}${more}`;
  }
  const kind =
    registry.find(message.topic)?.kind ??
    (registry.systemTopics.some((t) => t.topic === message.topic) ? 'control' : undefined);
  try {
    const parsed = JSON.parse(text);
    const label = kind ? LABELS[kind] : 'JSON';
    return `${label}:\n${JSON.stringify(parsed, null, 2)}`;
  } catch {
    return text;
  }
}
