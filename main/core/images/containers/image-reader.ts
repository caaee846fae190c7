import { AppError } from '../../../../shared/errors.js';

/** Random-access, read-only view of a disk image's logical bytes. */
export interface ImageReader {
  readonly size: number; // logical size in bytes
  readonly description: string; // e.g. "raw image /path (3 segments)" or "EWF image /path.E01"
  read(offset: number, length: number): Promise<Buffer>; // exactly `length` bytes unless past the end (then shorter); never modifies anything
  close(): Promise<void>;
}

/** A view of `size` bytes of `parent` starting at `offset` (a partition); closing it leaves the parent open. */
export function sliceReader(parent: ImageReader, offset: number, size: number, description: string): ImageReader {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0) {
    throw new AppError('INVALID_INPUT', `Invalid slice ${offset}+${size} of ${parent.description}`);
  }
  if (offset + size > parent.size) {
    throw new AppError('INVALID_INPUT', `Slice ${offset}+${size} runs past the end of ${parent.description} (${parent.size} bytes)`);
  }
  return {
    size,
    description,
    async read(at: number, length: number): Promise<Buffer> {
      checkRange(at, length);
      if (at >= size || length === 0) return Buffer.alloc(0);
      return parent.read(offset + at, Math.min(length, size - at));
    },
    async close(): Promise<void> {
      // The parent belongs to whoever opened it; a partition view has nothing of its own to release.
    },
  };
}

/** Rejects negative or non-integer read requests with a clear error. */
export function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new AppError('INVALID_INPUT', `Invalid read of ${length} bytes at ${offset}`);
  }
}
