/**
 * A snapshot's content backed by a disk image file. The file is read one 512 KiB block at a time
 * and never loaded whole, so a multi-GiB image costs no memory. Blocks past the end of the file are
 * zeros. Listed blocks are the blocks holding any non-zero byte (a sparse image therefore yields
 * unlisted blocks, as an EBS snapshot of a mostly empty volume does), unless a list is given.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';

/** EBS direct block size: 512 KiB. */
export const EBS_BLOCK_SIZE = 524288;
/** Blocks per GiB at the EBS block size. */
export const BLOCKS_PER_GIB = 2048;
const GIB = 1024 ** 3;

/** Lazily-read image content of one snapshot. Shared by copies of the snapshot. */
export class BlockSource {
  private handle: Promise<fs.promises.FileHandle> | undefined;
  private listed: Promise<number[]> | undefined;
  private readonly checksums = new Map<number, string>();
  readonly fileSize: number;

  constructor(
    readonly imagePath: string,
    readonly volumeSizeGiB: number,
    listedBlocks?: readonly number[],
  ) {
    this.fileSize = fs.statSync(imagePath).size;
    if (this.fileSize > volumeSizeGiB * GIB) {
      throw new Error(`image ${imagePath} (${this.fileSize} bytes) is larger than the volume (${volumeSizeGiB} GiB)`);
    }
    if (listedBlocks) this.listed = Promise.resolve([...new Set(listedBlocks)].sort((a, b) => a - b));
  }

  /** Smallest whole GiB that holds a file of `size` bytes (at least 1, as EBS volumes are). */
  static volumeSizeFor(size: number): number {
    return Math.max(1, Math.ceil(size / GIB));
  }

  /** Number of block indexes on the volume (listed or not). */
  get totalBlocks(): number {
    return this.volumeSizeGiB * BLOCKS_PER_GIB;
  }

  private file(): Promise<fs.promises.FileHandle> {
    this.handle ??= fs.promises.open(this.imagePath, 'r');
    return this.handle;
  }

  /** The block's bytes, zero-filled past the end of the image. Always EBS_BLOCK_SIZE long. */
  async read(index: number): Promise<Buffer> {
    // Unzeroed allocation, then zeros only past what was read: this runs once per block served.
    const buf = Buffer.allocUnsafe(EBS_BLOCK_SIZE);
    const offset = index * EBS_BLOCK_SIZE;
    let done = 0;
    if (offset < this.fileSize) {
      const fh = await this.file();
      while (done < EBS_BLOCK_SIZE && offset + done < this.fileSize) {
        const { bytesRead } = await fh.read(buf, done, EBS_BLOCK_SIZE - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    }
    if (done < EBS_BLOCK_SIZE) buf.fill(0, done);
    return buf;
  }

  /** Base64 SHA-256 of the block, as EBS puts in x-amz-Checksum. Cached per block. */
  async checksum(index: number, data?: Buffer): Promise<string> {
    const cached = this.checksums.get(index);
    if (cached) return cached;
    const sum = createHash('sha256')
      .update(data ?? (await this.read(index)))
      .digest('base64');
    this.checksums.set(index, sum);
    return sum;
  }

  /**
   * Computes the checksums of `indexes` now, as AWS stores them with the snapshot, so serving
   * costs no hashing (benches). With `cacheFile`, checksums are read from it when it matches the
   * image's size and mtime, else computed and written there.
   */
  async primeChecksums(indexes: readonly number[], cacheFile?: string): Promise<'cached' | 'computed'> {
    const st = fs.statSync(this.imagePath);
    const stamp = `${st.size}:${st.mtimeMs}`;
    if (cacheFile && fs.existsSync(cacheFile)) {
      const saved = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { stamp: string; sums: Record<string, string> };
      if (saved.stamp === stamp && indexes.every((i) => saved.sums[i] !== undefined)) {
        for (const i of indexes) this.checksums.set(i, saved.sums[i]!);
        return 'cached';
      }
    }
    for (const i of indexes) await this.checksum(i);
    if (cacheFile) {
      const sums = Object.fromEntries(indexes.map((i) => [i, this.checksums.get(i)!]));
      fs.writeFileSync(cacheFile, JSON.stringify({ stamp, sums }));
    }
    return 'computed';
  }

  /** Sorted indexes of listed blocks; the first call scans the image once. */
  listedBlocks(): Promise<number[]> {
    this.listed ??= this.scan();
    return this.listed;
  }

  private async scan(): Promise<number[]> {
    const out: number[] = [];
    const fh = await fs.promises.open(this.imagePath, 'r');
    const buf = Buffer.alloc(EBS_BLOCK_SIZE);
    try {
      const blocks = Math.ceil(this.fileSize / EBS_BLOCK_SIZE);
      for (let i = 0; i < blocks; i += 1) {
        const { bytesRead } = await fh.read(buf, 0, EBS_BLOCK_SIZE, i * EBS_BLOCK_SIZE);
        if (!isZero(buf, bytesRead)) out.push(i);
      }
    } finally {
      await fh.close();
    }
    return out;
  }

  /** Releases the file handle. */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (h) await (await h).close().catch(() => undefined);
  }
}

const ZEROS = Buffer.alloc(EBS_BLOCK_SIZE);

function isZero(buf: Buffer, length: number): boolean {
  return buf.subarray(0, length).equals(ZEROS.subarray(0, length));
}
