import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';
import { LruCache } from '../containers/lru-cache.js';

/** Block-addressed, bounds-checked reads from the image, with a small cache for metadata blocks. */
export class BlockDevice {
  private readonly cache = new LruCache<number, Buffer>(4096);
  /** Whole blocks the image really holds (fewer than the file system claims when it was truncated). */
  readonly imageBlocks: number;

  constructor(
    readonly reader: ImageReader,
    readonly blockSize: number,
    readonly blocksCount: number,
  ) {
    this.imageBlocks = Math.floor(reader.size / blockSize);
  }

  /** Throws a clear error when blocks [block, block+count) are not inside the file system and the image. */
  check(block: number, count: number, what: string): void {
    if (!Number.isSafeInteger(block) || block < 0 || block + count > this.blocksCount) {
      throw new AppError('UNREADABLE', `${what}: block ${block} is past the end of the file system (${this.blocksCount} blocks)`);
    }
    if (block + count > this.imageBlocks) {
      throw new AppError(
        'UNREADABLE',
        `${what}: block ${block + count - 1} is past the end of the image (${this.imageBlocks} blocks; truncated image?)`,
      );
    }
  }

  /**
   * One block, cached; for metadata (inode tables, extent and indirect blocks). On a miss, up to `ahead`
   * following blocks come in the same read: a listing touches inode tables in order, and one read per
   * 4 KiB block was most of its cost.
   */
  async block(n: number, what: string, ahead = 1): Promise<Buffer> {
    const hit = this.cache.get(n);
    if (hit) return hit;
    const count = Math.max(1, Math.min(ahead, this.blocksCount - n, this.imageBlocks - n));
    const buf = await this.blocks(n, count, what);
    for (let i = count - 1; i >= 0; i--) this.cache.set(n + i, buf.subarray(i * this.blockSize, (i + 1) * this.blockSize));
    return this.cache.get(n)!;
  }

  /** `count` consecutive blocks in one read, uncached; for file data. */
  async blocks(n: number, count: number, what: string): Promise<Buffer> {
    this.check(n, count, what);
    const len = count * this.blockSize;
    const buf = await this.reader.read(n * this.blockSize, len);
    if (buf.length !== len) {
      throw new AppError('UNREADABLE', `${what}: short read of block ${n} (${buf.length} of ${len} bytes)`);
    }
    return buf;
  }
}
