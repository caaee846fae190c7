import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../../../../shared/errors.js';

/** Reads exactly `length` bytes at `position`, or throws: a short read means the file is truncated. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw new AppError('UNREADABLE', `Unexpected end of file at ${position + got}`);
    got += bytesRead;
  }
  return buf;
}
