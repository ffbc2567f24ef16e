import { type Codec, LakerunnerError } from '@lakerunner/core';

/**
 * Which codec reads an object: the codecs claiming its key's suffix first (longest suffix
 * first), unless the content says otherwise; then any codec the content convinces ('yes' before
 * 'maybe'). A deployment's own codecs come before the plugin's, so they can take over a suffix.
 * An object nothing recognises is unsupported, with the first bytes in the message.
 */
export interface CodecChoice<R> {
  codec: Codec<R>;
  /** Set when the suffix named another format than the content turned out to be. */
  suffixMismatch?: string;
}

export function selectCodec<R>(codecs: readonly Codec<R>[], key: string, head: Uint8Array): CodecChoice<R> {
  const lower = key.toLowerCase();
  const claims = (c: Codec<R>) =>
    Math.max(-1, ...c.suffixes.filter((s) => lower.endsWith(s.toLowerCase())).map((s) => s.length));
  const bySuffix = codecs
    .map((codec, order) => ({ codec, order, length: claims(codec) }))
    .filter((c) => c.length >= 0)
    .sort((a, b) => b.length - a.length || a.order - b.order)
    .map((c) => c.codec);
  const verdicts = new Map(codecs.map((c) => [c, safeSniff(c, head)]));
  const trusted = bySuffix.find((c) => verdicts.get(c) !== 'no');
  if (trusted) return { codec: trusted };
  const sniffed =
    codecs.find((c) => verdicts.get(c) === 'yes') ?? codecs.find((c) => verdicts.get(c) === 'maybe');
  if (sniffed) {
    return bySuffix.length > 0
      ? {
          codec: sniffed,
          suffixMismatch: `${bySuffix[0]?.name} claims the suffix, but the content is ${sniffed.name}`,
        }
      : { codec: sniffed };
  }
  const suffixes = [...new Set(codecs.flatMap((c) => c.suffixes))].join(', ');
  throw new LakerunnerError(
    'LR_INPUT_UNSUPPORTED',
    `${key}: no codec recognises this input (first bytes ${describeHead(head)}); known suffixes: ${suffixes}, optionally compressed (.gz, .zst)`,
  );
}

/** A sniffer that throws is a codec bug; it must not make the input look like its format. */
function safeSniff(codec: Codec, head: Uint8Array) {
  try {
    return codec.sniff(head);
  } catch {
    return 'no';
  }
}

function describeHead(head: Uint8Array): string {
  if (head.length === 0) return '(empty)';
  const sample = head.subarray(0, 16);
  const printable = sample.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  return printable
    ? JSON.stringify(Buffer.from(sample).toString('latin1'))
    : `0x${Buffer.from(sample).toString('hex')}`;
}
