/** Adler-32 as EWF uses it for section descriptors, tables and uncompressed chunks (seed 1). */
export function adler32(buf: Uint8Array, start = 0, end = buf.length): number {
  let a = 1;
  let b = 0;
  // 3800 keeps b below 2^31 between reductions, so plain JS numbers stay exact.
  for (let i = start; i < end; ) {
    const stop = Math.min(end, i + 3800);
    for (; i < stop; i += 1) {
      a += buf[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3), as GPT headers and entry arrays use it. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i += 1) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
