import type { BigIntStats } from 'node:fs';
import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../shared/errors.js';

/** A source file opened for one hashing pass, with what it looked like when opened. */
export interface SourceFile {
  path: string;
  handle: FileHandle;
  size: number;
  stat: BigIntStats;
}

/** Turns a Node file-system error about `filePath` into an error an examiner can act on. */
export function fileError(err: unknown, filePath: string, doing: 'reading' | 'writing'): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return doing === 'reading'
        ? new AppError('FILE_MISSING', `File not found: ${filePath}`, { cause: err })
        : new AppError('FILE_MISSING', `The folder for ${filePath} does not exist.`, { cause: err });
    case 'EISDIR':
      return new AppError('NOT_A_FILE', `${filePath} is a folder, not a file.`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return doing === 'reading'
        ? new AppError('UNREADABLE', `Permission denied: this account cannot read ${filePath}.`, { cause: err })
        : new AppError('FORBIDDEN', `Permission denied: this account cannot write ${filePath}.`, { cause: err });
    case 'EROFS':
      return new AppError('FORBIDDEN', `Cannot write ${filePath}: the file system is read-only.`, { cause: err });
    case 'EEXIST':
      return new AppError('EXISTS', `${filePath} already exists; it was left as it is, not overwritten.`, {
        cause: err,
      });
    case 'ENOSPC':
      return new AppError('INTERNAL', `No space left on the device while writing ${filePath}.`, { cause: err });
    case 'EIO':
      return new AppError('UNREADABLE', `Input/output error ${doing} ${filePath}; the medium may be damaged.`, {
        cause: err,
      });
    default:
      return new AppError('INTERNAL', `Error ${doing} ${filePath}: ${detail}`, { cause: err });
  }
}

function kindOf(stat: BigIntStats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isCharacterDevice()) return 'a character device';
  return 'not a regular file';
}

function notAFile(filePath: string, stat: BigIntStats): AppError {
  return new AppError('NOT_A_FILE', `${filePath} is ${kindOf(stat)}; only regular files can be hashed.`);
}

// O_NOATIME keeps the source's access time as it was (Linux, owner or CAP_FOWNER only); O_NONBLOCK
// keeps a FIFO swapped in after the stat from blocking the open forever. Both are 0 where unknown.
const O_NOATIME = constants.O_NOATIME ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/** Opens a regular file for reading without touching its access time where the OS allows. */
export async function openSource(filePath: string): Promise<SourceFile> {
  let handle: FileHandle;
  try {
    // stat first: opening a FIFO for reading would wait for a writer.
    const before = await fs.stat(filePath, { bigint: true });
    if (!before.isFile()) throw notAFile(filePath, before);
    const flags = constants.O_RDONLY | O_NONBLOCK;
    try {
      handle = await fs.open(filePath, flags | O_NOATIME);
    } catch (err) {
      // EPERM: we do not own the file, so the kernel refuses O_NOATIME; read normally.
      if (O_NOATIME === 0 || (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
      handle = await fs.open(filePath, flags);
    }
  } catch (err) {
    throw fileError(err, filePath, 'reading');
  }
  try {
    const stat = await handle.stat({ bigint: true });
    if (!stat.isFile()) throw notAFile(filePath, stat);
    return { path: filePath, handle, size: Number(stat.size), stat };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw fileError(err, filePath, 'reading');
  }
}

/** Reads up to `length` bytes at `position` into `buffer`, stopping early only at end of file. */
export async function readFull(src: SourceFile, buffer: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  try {
    while (done < length) {
      const { bytesRead } = await src.handle.read(buffer, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
  } catch (err) {
    throw fileError(err, src.path, 'reading');
  }
  return done;
}

/** Writes all of `buffer` at `position`, looping over short writes. */
export async function writeAll(handle: FileHandle, destPath: string, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  try {
    while (done < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, position + done);
      done += bytesWritten;
    }
  } catch (err) {
    throw fileError(err, destPath, 'writing');
  }
}

/**
 * Proves the source did not change while it was read: every byte up to the size seen at open was
 * read, nothing lies beyond it, and size and modification time are the same now. Throws FILE_CHANGED.
 */
export async function assertUnchanged(src: SourceFile, bytesRead: number): Promise<void> {
  const hint = 'The hashes are not valid; hash it again once nothing is writing to it.';
  if (bytesRead < src.size) {
    throw new AppError(
      'FILE_CHANGED',
      `${src.path} shrank while being hashed: it was ${src.size} bytes when hashing started, but only ${bytesRead} bytes could be read. ${hint}`,
    );
  }
  const probe = Buffer.alloc(1);
  const beyond = await readFull(src, probe, 1, src.size);
  let after: BigIntStats;
  try {
    after = await src.handle.stat({ bigint: true });
  } catch (err) {
    throw fileError(err, src.path, 'reading');
  }
  const sizeAfter = Number(after.size);
  if (beyond > 0 || sizeAfter !== src.size) {
    throw new AppError(
      'FILE_CHANGED',
      `${src.path} changed size while being hashed: it was ${src.size} bytes when hashing started and ${sizeAfter} bytes when it ended. ${hint}`,
    );
  }
  if (after.mtimeNs !== src.stat.mtimeNs) {
    throw new AppError(
      'FILE_CHANGED',
      `${src.path} was modified while being hashed (size stayed ${src.size} bytes, modification time changed). ${hint}`,
    );
  }
}
