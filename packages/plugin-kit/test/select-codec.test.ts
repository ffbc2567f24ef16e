import { type Codec, defineCodec, isLakerunnerError, type SniffResult } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import { selectCodec } from '../src/select-codec.js';

function codec(name: string, suffixes: string[], sniff: SniffResult | ((head: Uint8Array) => SniffResult)) {
  return defineCodec<string>({
    name,
    signals: ['logs'],
    suffixes,
    framing: 'lines',
    sniff: typeof sniff === 'function' ? sniff : () => sniff,
    decode: () => [],
  });
}

const head = Buffer.from('{"a":1}\n');

function unsupported(codecs: readonly Codec<string>[], key: string, bytes: Uint8Array): string {
  try {
    selectCodec(codecs, key, bytes);
  } catch (err) {
    if (isLakerunnerError(err) && err.code === 'LR_INPUT_UNSUPPORTED') return err.message;
    throw err;
  }
  throw new Error('expected LR_INPUT_UNSUPPORTED');
}

describe('selectCodec by suffix', () => {
  it('takes the codec claiming the longest suffix, wherever it is declared', () => {
    const json = codec('json', ['.json'], 'maybe');
    const otlp = codec('otlp-json', ['.otlp.json'], 'maybe');
    expect(selectCodec([json, otlp], 'a/b.otlp.json', head)).toEqual({ codec: otlp });
    expect(selectCodec([otlp, json], 'a/b.otlp.json', head)).toEqual({ codec: otlp });
    expect(selectCodec([json, otlp], 'a/b.json', head)).toEqual({ codec: json });
  });

  it('breaks a tie by declaration order (a deployment codec comes first and takes over)', () => {
    const mine = codec('mine', ['.log'], 'maybe');
    const theirs = codec('theirs', ['.log'], 'yes');
    expect(selectCodec([mine, theirs], 'x.log', head).codec).toBe(mine);
    expect(selectCodec([theirs, mine], 'x.log', head).codec).toBe(theirs);
  });

  it('matches suffixes regardless of case', () => {
    const json = codec('json', ['.Json'], 'maybe');
    expect(selectCodec([json], 'A/B.JSON', head).codec).toBe(json);
  });

  it('trusts a suffix the content does not deny, even when another codec is sure', () => {
    const text = codec('text', ['.log'], 'maybe');
    const sure = codec('sure', [], 'yes');
    expect(selectCodec([sure, text], 'x.log', head)).toEqual({ codec: text });
  });

  it('passes over a suffix codec whose sniff says no, to the next claimant of the suffix', () => {
    const otlp = codec('otlp-json', ['.otlp.json'], 'no');
    const json = codec('json', ['.json'], 'maybe');
    expect(selectCodec([otlp, json], 'x.otlp.json', head)).toEqual({ codec: json });
  });

  it('lets the content decide when every claimant says no, yes before maybe, and reports the mismatch', () => {
    const binpb = codec('otlp-protobuf', ['.binpb'], 'no');
    const maybe = codec('text', [], 'maybe');
    const yes = codec('json-lines', [], 'yes');
    expect(selectCodec([binpb, maybe, yes], 'x.binpb', head)).toEqual({
      codec: yes,
      suffixMismatch: 'otlp-protobuf claims the suffix, but the content is json-lines',
    });
    expect(selectCodec([binpb, maybe], 'x.binpb', head)).toEqual({
      codec: maybe,
      suffixMismatch: 'otlp-protobuf claims the suffix, but the content is text',
    });
  });

  it('names the longest-suffix claimant in the mismatch', () => {
    const json = codec('json', ['.json'], 'no');
    const otlp = codec('otlp-json', ['.otlp.json'], 'no');
    const text = codec('text', [], 'maybe');
    expect(selectCodec([json, otlp, text], 'x.otlp.json', head).suffixMismatch).toBe(
      'otlp-json claims the suffix, but the content is text',
    );
  });
});

describe('selectCodec by content', () => {
  it('sniffs when no suffix matches: the first yes, else the first maybe, with no mismatch', () => {
    const a = codec('a', ['.a'], 'maybe');
    const b = codec('b', ['.b'], 'yes');
    const c = codec('c', ['.c'], 'yes');
    expect(selectCodec([a, b, c], 'noext', head)).toEqual({ codec: b });
    expect(selectCodec([a, codec('n', [], 'no')], 'x.txt', head)).toEqual({ codec: a });
  });

  it('hands the sniffers the head it was given', () => {
    const seen: Uint8Array[] = [];
    const spy = codec('spy', [], (h) => {
      seen.push(h);
      return 'yes';
    });
    selectCodec([spy], 'k', head);
    expect(seen).toEqual([head]);
  });

  it('treats a sniffer that throws as no, with or without a suffix', () => {
    const broken = codec('broken', ['.log'], () => {
      throw new TypeError('bug in sniff');
    });
    const text = codec('text', [], 'maybe');
    expect(selectCodec([broken, text], 'x.log', head)).toEqual({
      codec: text,
      suffixMismatch: 'broken claims the suffix, but the content is text',
    });
    expect(() => selectCodec([broken], 'x.txt', head)).toThrow(/no codec recognises this input/);
  });
});

describe('selectCodec with nothing recognising the input', () => {
  const codecs = [codec('a', ['.a', '.json'], 'no'), codec('b', ['.json', '.b'], 'no')];

  it('fails with LR_INPUT_UNSUPPORTED quoting printable first bytes and listing known suffixes once', () => {
    expect(unsupported(codecs, 'logs/x.txt', Buffer.from('hello\tworld\n'))).toBe(
      'logs/x.txt: no codec recognises this input (first bytes "hello\\tworld\\n"); known suffixes: .a, .json, .b, optionally compressed (.gz, .zst)',
    );
  });

  it('shows at most 16 bytes', () => {
    expect(unsupported(codecs, 'k', Buffer.from('0123456789abcdefXYZ'))).toContain(
      '(first bytes "0123456789abcdef")',
    );
  });

  it('shows binary (and non-ASCII) bytes as hex', () => {
    expect(unsupported(codecs, 'k', new Uint8Array([0x00, 0x01, 0xff, 0x41]))).toContain(
      '(first bytes 0x0001ff41)',
    );
    expect(unsupported(codecs, 'k', Buffer.from('é'))).toContain('(first bytes 0xc3a9)');
    expect(unsupported(codecs, 'k', new Uint8Array(20).fill(0x7f))).toContain(
      `(first bytes 0x${'7f'.repeat(16)})`,
    );
  });

  it('says when the object is empty', () => {
    expect(unsupported(codecs, 'k', new Uint8Array())).toContain('(first bytes (empty))');
  });

  it('fails the same with no codecs at all', () => {
    expect(unsupported([], 'k', head)).toContain(
      'k: no codec recognises this input (first bytes "{\\"a\\":1}\\n")',
    );
  });
});
