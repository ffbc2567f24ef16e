import type { FetchedMessage } from '../../../kafka/partition-reader.js';
import type { TopicRegistry } from '../../../topics/registry.js';
import { asText, jsonBytes, showBytes } from './message-bytes.js';
import { contractOf, judge } from './message-contract.js';
import { headersJson, headersText } from './message-headers.js';

/**
 * How `tail` shows a message: as one JSON line, or as a readable block for people. In JSON, key
 * and value are text when they are UTF-8 and base64 otherwise, with `keyEncoding` /
 * `valueEncoding: "base64"` saying so; headers list every value per key (see message-headers).
 */
export function messageJson(message: FetchedMessage): string {
  const key = jsonBytes(message.key);
  const value = jsonBytes(message.value);
  return JSON.stringify({
    topic: message.topic,
    partition: message.partition,
    offset: Number(message.offset),
    timestamp: new Date(message.timestamp).toISOString(),
    ...('base64' in key ? { key: key.base64, keyEncoding: 'base64' } : { key: key.text }),
    headers: headersJson(message.headers),
    ...('base64' in value ? { value: value.base64, valueEncoding: 'base64' } : { value: value.text }),
  });
}

export function messageText(message: FetchedMessage, registry: TopicRegistry): string {
  const key = message.key === null ? '' : `  key=${showBytes(message.key)}`;
  const lines = [
    `--- ${message.topic} [${message.partition}] @${message.offset}  ${new Date(message.timestamp).toISOString()}${key}`,
  ];
  const headers = headersText(message.headers);
  if (headers) lines.push(`headers: ${headers}`);
  lines.push(describeValue(message, registry));
  return lines.join('\n');
}

function describeValue(message: FetchedMessage, registry: TopicRegistry): string {
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const contract = contractOf(message.topic, registry);
  const verdict = contract ? judge(contract, parsed) : undefined;
  const heading =
    verdict && 'label' in verdict ? verdict.label : verdict ? `JSON (${verdict.problem})` : 'JSON';
  return `${heading}:\n${JSON.stringify(parsed, null, 2)}`;
}
