/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as a signed 64-bit integer (a Parquet INT64):
 *
 *   h = 0xcbf29ce484222325
 *   for each byte b of UTF-8(text):   // a lone surrogate encodes as U+FFFD (EF BF BD), as TextEncoder does
 *     h = ((h XOR b) * 0x00000100000001b3) mod 2^64
 *   result = h read as two's complement (h >= 2^63 ? h - 2^64 : h)
 *
 * Published test vectors: '' → 0xcbf29ce484222325 (-3750763034362895579),
 * 'a' → 0xaf63dc4c8601ec8c (-5808556873153909620), 'foobar' → 0x85944171f73967e8.
 *
 * BigInt arithmetic per byte would be slow on the ingest path, so the state is two 32-bit halves.
 * The prime is 2^40 + 0x1b3, so h * prime = h * 0x1b3 + (h << 40) mod 2^64: the low half times 0x1b3
 * is done in 16-bit pieces (every intermediate stays a small integer), its carry and the high half
 * times 0x1b3 go to the high half, and h << 40 adds the low half shifted left by 8 to the high half.
 */
export function fnv1a64(text: string): bigint {
  let hi = 0xcbf29ce4 | 0;
  let lo = 0x84222325 | 0;
  const mix = (byte: number): void => {
    lo ^= byte;
    const low16 = (lo & 0xffff) * 0x1b3;
    const high16 = (lo >>> 16) * 0x1b3 + (low16 >>> 16);
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + (high16 >>> 16)) | 0;
    lo = (high16 << 16) | (low16 & 0xffff);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      mix(c);
      continue;
    }
    if (c < 0x800) {
      mix(0xc0 | (c >> 6));
      mix(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = text.charCodeAt(i + 1);
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        const codePoint = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        mix(0xf0 | (codePoint >> 18));
        mix(0x80 | ((codePoint >> 12) & 0x3f));
        mix(0x80 | ((codePoint >> 6) & 0x3f));
        mix(0x80 | (codePoint & 0x3f));
        i++;
        continue;
      }
      c = 0xfffd;
    }
    mix(0xe0 | (c >> 12));
    mix(0x80 | ((c >> 6) & 0x3f));
    mix(0x80 | (c & 0x3f));
  }
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}
