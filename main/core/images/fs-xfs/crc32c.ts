// CRC32c (Castagnoli), the checksum XFS v5 puts on every metadata block. Node 20 has no built-in.
const table = (() => {
  const t = new Uint32Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  // Slicing-by-4 tables: inode checksums run once per stat, so this stays on the listing's hot path.
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 4; s++) t[s * 256 + i] = (t[(s - 1) * 256 + i]! >>> 8) ^ t[t[(s - 1) * 256 + i]! & 0xff]!;
  }
  return t;
})();

/** CRC32c of `buf`, treating the 4 bytes at `skipAt` (the stored checksum) as zeros when given. */
export function crc32c(buf: Buffer, skipAt = -1): number {
  let c = 0xffffffff;
  let i = 0;
  const n = buf.length;
  const byte = (b: number): void => {
    c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
  };
  while (i < n) {
    if (i === skipAt) {
      for (let k = 0; k < 4; k++) byte(0);
      i += 4;
      continue;
    }
    if (i + 4 <= n && (skipAt < i || skipAt >= i + 4)) {
      c ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      c = table[768 + (c & 0xff)]! ^ table[512 + ((c >>> 8) & 0xff)]! ^ table[256 + ((c >>> 16) & 0xff)]! ^ table[(c >>> 24) & 0xff]!;
      i += 4;
      continue;
    }
    byte(buf[i]!);
    i++;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** True when the little-endian CRC32c stored at `at` matches the buffer's contents (XFS convention). */
export function xfsCrcOk(buf: Buffer, at: number): boolean {
  return crc32c(buf, at) === buf.readUInt32LE(at);
}
