/**
 * The raw image being written: created sparse at the volume's full size (blocks never written stay
 * holes and read as zeros), written block by block at their offsets in any order, re-read for
 * blocks a resumed run reuses.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import fsp from 'node:fs/promises';
import { AppError } from '../../../../shared/errors.js';

/** An open image file of `size` bytes. */
export class ImageFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /**
   * Opens the image: creates it sparse when `fresh` (it must not exist), or reopens a partial image
   * from an earlier run, which must already have exactly `size` bytes.
   */
  static async open(file: string, size: number, fresh: boolean): Promise<ImageFile> {
    if (fresh) {
      let handle: FileHandle;
      try {
        // O_EXCL: never overwrite anything, and never follow a link planted at the destination.
        handle = await fsp.open(file, 'wx', 0o600);
      } catch (err) {
        throw fileError(err, file, 'create');
      }
      try {
        await handle.truncate(size);
      } catch (err) {
        await handle.close().catch(() => undefined);
        await fsp.rm(file, { force: true }).catch(() => undefined);
        throw fileError(err, file, 'size');
      }
      return new ImageFile(file, handle, size);
    }
    let handle: FileHandle;
    try {
      // O_NOFOLLOW where the platform has it: a resumed image is ours, never a link to something else.
      handle = await fsp.open(file, fs.constants.O_RDWR | (fs.constants.O_NOFOLLOW ?? 0));
    } catch (err) {
      throw fileError(err, file, 'reopen');
    }
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size !== size) {
      await handle.close();
      throw new AppError(
        'CONFLICT',
        `${file} is not the partial image of this snapshot (${stat.isFile() ? `${stat.size} bytes, expected ${size}` : 'not a regular file'}); it was left untouched.`,
      );
    }
    return new ImageFile(file, handle, size);
  }

  /** Writes `data` at `offset`, all of it. */
  async write(data: Buffer, offset: number): Promise<void> {
    let done = 0;
    try {
      while (done < data.length) {
        const { bytesWritten } = await this.handle.write(data, done, data.length - done, offset + done);
        done += bytesWritten;
      }
    } catch (err) {
      throw fileError(err, this.path, 'write');
    }
  }

  /** Reads `length` bytes at `offset` into `into` (or a new buffer). */
  async read(offset: number, length: number, into?: Buffer): Promise<Buffer> {
    const buffer = into?.length === length ? into : Buffer.allocUnsafe(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw fileError(err, this.path, 'read');
    }
    // A short read leaves the tail as zeros; the SHA-256 check then rejects the block.
    buffer.fill(0, done);
    return buffer;
  }

  /** Makes the written blocks durable. */
  async sync(): Promise<void> {
    try {
      await this.handle.sync();
    } catch (err) {
      throw fileError(err, this.path, 'sync');
    }
  }

  /** Closes the file (idempotent, never throws). */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

function fileError(err: unknown, file: string, what: 'create' | 'size' | 'reopen' | 'write' | 'read' | 'sync'): AppError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  if (what === 'create' && code === 'EEXIST') {
    return new AppError('EXISTS', `${file} already exists and has no download manifest, so it cannot be resumed; it was left untouched.`);
  }
  if (code === 'ENOSPC') return new AppError('UNREADABLE', `The disk holding ${file} is full: ${detail}`, { cause: err });
  const verbs = { create: 'create', size: 'size', reopen: 'reopen', write: 'write to', read: 'read back', sync: 'flush' };
  return new AppError('UNREADABLE', `Could not ${verbs[what]} the image ${file}: ${detail}`, { cause: err });
}
