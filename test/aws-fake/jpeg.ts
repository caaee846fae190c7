/**
 * A minimal baseline JPEG encoder (greyscale, one flat tone per 8×8 block, i.e. DC coefficients
 * only) so GetConsoleScreenshot returns a real, decodable JPEG without a dependency. The picture
 * looks like a dark console with a few lines of "text", different per instance.
 */
import { createHash } from 'node:crypto';

// Standard luminance DC Huffman table (ITU T.81 Annex K.3): code lengths 1..16 and symbols.
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// Every block is flat, so the only AC symbol ever written is EOB (0x00): one code, "0".
const AC_COUNTS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_SYMBOLS = [0];

function huffmanCodes(counts: number[], symbols: number[]): Map<number, { code: number; length: number }> {
  const out = new Map<number, { code: number; length: number }>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len += 1) {
    for (let i = 0; i < counts[len - 1]!; i += 1) out.set(symbols[k++]!, { code: code++, length: len });
    code <<= 1;
  }
  return out;
}

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i -= 1) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      this.n += 1;
      if (this.n === 8) this.flushByte();
    }
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }

  finish(): number[] {
    if (this.n > 0) this.write(0x7f, 8 - this.n); // pad with 1-bits
    return this.bytes;
  }
}

function segment(marker: number, payload: number[]): number[] {
  const len = payload.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...payload];
}

/** Encodes a greyscale image given as one grey level (0..255) per 8×8 block, row-major. */
export function encodeBlockJpeg(blocksWide: number, blocksHigh: number, levels: number[]): Buffer {
  const width = blocksWide * 8;
  const height = blocksHigh * 8;
  const dc = huffmanCodes(DC_COUNTS, DC_SYMBOLS);
  const ac = huffmanCodes(AC_COUNTS, AC_SYMBOLS);
  const bits = new BitWriter();
  let previous = 0;
  for (let b = 0; b < blocksWide * blocksHigh; b += 1) {
    // With an all-ones quantisation table, DC = 8 × (level − 128) for a flat block.
    const value = 8 * ((levels[b] ?? 0) - 128);
    const diff = value - previous;
    previous = value;
    const magnitude = Math.abs(diff);
    const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
    const code = dc.get(category)!;
    bits.write(code.code, code.length);
    if (category > 0) bits.write(diff >= 0 ? diff : diff + (1 << category) - 1, category);
    const eob = ac.get(0)!;
    bits.write(eob.code, eob.length);
  }
  const bytes = [
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...DC_COUNTS, ...DC_SYMBOLS]),
    ...segment(0xc4, [0x10, ...AC_COUNTS, ...AC_SYMBOLS]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...bits.finish(),
    0xff, 0xd9,
  ];
  return Buffer.from(bytes);
}

/** A 256×160 "console" picture, deterministic for a seed such as an instance id. */
export function consoleScreenshotJpeg(seed: string): Buffer {
  const wide = 32;
  const high = 20;
  const hash = createHash('sha256').update(seed).digest();
  const levels: number[] = [];
  for (let y = 0; y < high; y += 1) {
    const lineLength = y % 2 === 1 && y < high - 2 ? 6 + (hash[y % hash.length]! % 22) : 0;
    for (let x = 0; x < wide; x += 1) levels.push(x >= 1 && x <= lineLength ? 200 : 24);
  }
  return encodeBlockJpeg(wide, high, levels);
}
