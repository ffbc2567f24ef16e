import { DEFAULT_INPUT_LIMITS } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import {
  firstChar,
  isParquet,
  isText,
  pieceLines,
  sniffJsonDocument,
  sniffJsonLines,
  sniffOtlpProtobuf,
} from '../src/codec-helpers.js';

const piece = (text: string, first = 0) => ({
  key: 'k',
  bytes: Buffer.from(text),
  first,
  limits: DEFAULT_INPUT_LIMITS,
  reject: () => {},
});

describe('pieceLines', () => {
  it('numbers lines from first + 1, skipping blank ones but counting them, without CR', () => {
    expect([...pieceLines(piece('a\r\n\n  \nb\nc', 10))]).toEqual([
      { text: 'a', number: 11 },
      { text: 'b', number: 14 },
      { text: 'c', number: 15 },
    ]);
    expect([...pieceLines(piece(''))]).toEqual([]);
  });

  it('reads a piece that is a view into a larger buffer', () => {
    const big = Buffer.from('xxxxa\nb\nyyyy');
    const view = { ...piece(''), bytes: new Uint8Array(big.buffer, big.byteOffset + 4, 4) };
    expect([...pieceLines(view)].map((l) => l.text)).toEqual(['a', 'b']);
  });
});

describe('sniffers', () => {
  const b = (s: string) => Buffer.from(s);

  it('isText accepts UTF-8 text cut mid-character and refuses NULs and control bytes', () => {
    expect(isText(b('plain\ttext\r\n'))).toBe(true);
    expect(isText(b('é').subarray(0, 1))).toBe(true);
    expect(isText(new Uint8Array([0x61, 0x00]))).toBe(false);
    expect(isText(new Uint8Array([0xff, 0xfe, 0x41]))).toBe(false);
    expect(isText(new Uint8Array([0x01, ...b('a'.repeat(50))]))).toBe(false);
    expect(isText(new Uint8Array([0x01, ...b('a'.repeat(150))]))).toBe(true);
  });

  it('firstChar skips blanks and a byte-order mark', () => {
    expect(firstChar(b('\ufeff  \n{"a":1}'))).toBe('{');
    expect(firstChar(b(' \t\r\n'))).toBe('');
  });

  it('sniffJsonLines says yes to an object line followed by more', () => {
    expect(sniffJsonLines(b('{"a":1}\n{"a":2}\n'))).toBe('yes');
    expect(sniffJsonLines(b('  {"a":1}'))).toBe('yes');
    expect(sniffJsonLines(b('{"a":'))).toBe('maybe');
    expect(sniffJsonLines(b('{"a":\n1}'))).toBe('no');
    expect(sniffJsonLines(b('[1,2]\n'))).toBe('no');
    expect(sniffJsonLines(b('plain text'))).toBe('no');
  });

  it('sniffJsonDocument looks for the signal’s OTLP top-level key', () => {
    expect(sniffJsonDocument(b('{\n  "resourceLogs": []\n}'), 'Logs')).toBe('yes');
    expect(sniffJsonDocument(b('{"resource_spans":[]}'), 'Spans')).toBe('yes');
    expect(sniffJsonDocument(b('{"resourceSpans":[]}'), 'Logs')).toBe('maybe');
    expect(sniffJsonDocument(b('[{"a":1}]'), 'Logs')).toBe('maybe');
    expect(sniffJsonDocument(b('{"resourceLogs":[]}\n{"resourceLogs":[]}\n'), 'Logs')).toBe('no');
    expect(sniffJsonDocument(b('text'), 'Logs')).toBe('no');
  });

  it('sniffOtlpProtobuf checks field 1 holding a message that starts with field 1 or 2', () => {
    expect(sniffOtlpProtobuf(new Uint8Array([0x0a, 0x05, 0x0a]))).toBe('yes');
    expect(sniffOtlpProtobuf(new Uint8Array([0x0a, 0x85, 0x01, 0x12]))).toBe('yes');
    expect(sniffOtlpProtobuf(new Uint8Array([0x0a, 0x05, 0x1a]))).toBe('no');
    expect(sniffOtlpProtobuf(new Uint8Array([0x12, 0x05, 0x0a]))).toBe('no');
    expect(sniffOtlpProtobuf(new Uint8Array([0x0a, 0x85]))).toBe('maybe');
    expect(sniffOtlpProtobuf(new Uint8Array())).toBe('maybe');
  });

  it('isParquet checks the PAR1 magic', () => {
    expect(isParquet(b('PAR1xxxx'))).toBe(true);
    expect(isParquet(b('PAR'))).toBe(false);
    expect(isParquet(b('par1'))).toBe(false);
  });
});
