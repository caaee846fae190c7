/** Read-only browsing of an opened image: listings, inode metadata, bytes, hashes, path lookup. */
import { createHash } from 'node:crypto';
import { AppError } from '../../../../shared/errors.js';
import type { ImageBytes, ImageEntry, ImageListing, ImageStat } from '../../../../shared/contract-images.js';
import type { FileSystem, FsEntry, FsStat } from '../fs-types.js';
import { fileSystemOf, volumeReader, type ImageSession } from './image-sessions.js';

/** Chunk size for streaming a file's content (hashing, export): bounded memory whatever the file size. */
export const STREAM_CHUNK = 1024 * 1024;

/** FAT keeps local wall-clock times with no zone; every other reader gives UTC instants. */
export function timeBasisOf(fsKind: string): 'utc' | 'local' {
  return fsKind.startsWith('fat') ? 'local' : 'utc';
}

/** The contract's view of an inode's metadata; `fsKind` is the reader's `kind` (fat12, ext4, ntfs…). */
export function toImageStat(s: FsStat, fsKind: string): ImageStat {
  return {
    inode: s.inode, type: s.type, size: s.size, mode: s.mode, uid: s.uid, gid: s.gid, nlink: s.nlink,
    mtime: s.mtime, atime: s.atime, ctime: s.ctime, crtime: s.crtime, symlinkTarget: s.symlinkTarget ?? null,
    bestEffort: s.bestEffort ?? false, attributes: s.attributes ?? [], timeBasis: timeBasisOf(fsKind),
    streams: s.streams ?? [],
  };
}

/** Size of alternate data stream `stream` of an inode; NOT_FOUND when the inode (or its file system) has no such stream. */
export function streamSize(fs: FileSystem, st: FsStat, stream: string): number {
  const hit = fs.readStream ? st.streams?.find((x) => x.name === stream) : undefined;
  if (!hit) {
    throw new AppError('NOT_FOUND', fs.readStream
      ? `Inode ${st.inode} has no alternate data stream named ${JSON.stringify(stream)}`
      : `Inode ${st.inode} has no stream named ${JSON.stringify(stream)}: ${fs.kind} has no alternate data streams`);
  }
  return hit.size;
}

/** Reads the main content of an inode, or its alternate data stream `stream` when given. */
function readContent(fs: FileSystem, inode: number, stream: string | undefined, offset: number, length: number): Promise<Buffer> {
  return stream === undefined ? fs.read(inode, offset, length) : fs.readStream!(inode, stream, offset, length);
}

/** A page of a directory, each entry with its inode's metadata; symlinks are described, never followed. */
export async function listDirectory(
  s: ImageSession, partition: number | null, inode: number | undefined, offset: number, limit: number,
): Promise<ImageListing> {
  const { fs } = fileSystemOf(s, partition);
  const dir = inode ?? fs.rootInode;
  const all = await fs.readDir(dir);
  const page = all.slice(offset, offset + limit);
  const entries: ImageEntry[] = [];
  for (const e of page) entries.push(await entryOf(fs, e));
  return { partition, inode: dir, total: all.length, offset, entries, timeBasis: timeBasisOf(fs.kind) };
}

async function entryOf(fs: FileSystem, e: FsEntry): Promise<ImageEntry> {
  const base = { name: e.name, inode: e.inode, type: e.type, deleted: e.deleted };
  try {
    if (e.inode === 0) throw new AppError('NOT_FOUND', 'the entry points to no inode');
    const st = await fs.stat(e.inode);
    return {
      ...base, size: st.size, mode: st.mode, uid: st.uid, gid: st.gid,
      mtime: st.mtime, atime: st.atime, ctime: st.ctime, crtime: st.crtime, symlinkTarget: st.symlinkTarget ?? null, error: null,
    };
  } catch (err) {
    // A deleted entry's inode may be reused or wiped: the name is still worth showing.
    return {
      ...base, size: null, mode: null, uid: null, gid: null,
      mtime: null, atime: null, ctime: null, crtime: null, symlinkTarget: null, error: (err as Error).message,
    };
  }
}

/** Metadata of one inode. */
export async function statInode(s: ImageSession, partition: number | null, inode: number): Promise<ImageStat> {
  const { fs } = fileSystemOf(s, partition);
  return toImageStat(await fs.stat(inode), fs.kind);
}

/** Up to `length` bytes of a file's content (or of its alternate data stream `stream`) from `offset`. */
export async function readFileBytes(
  s: ImageSession, partition: number | null, inode: number, offset: number, length: number, stream?: string,
): Promise<ImageBytes> {
  const { fs } = fileSystemOf(s, partition);
  const st = await fs.stat(inode);
  // A folder can carry a named stream too; only its main content is a listing.
  if (stream === undefined && st.type === 'dir') throw new AppError('INVALID_INPUT', `Inode ${inode} is a directory; list it instead`);
  const size = stream === undefined ? st.size : streamSize(fs, st, stream);
  const want = Math.max(0, Math.min(length, size - offset));
  const data = want > 0 ? await readContent(fs, inode, stream, offset, want) : Buffer.alloc(0);
  return { offset, length: data.length, totalSize: size, base64: data.toString('base64') };
}

/** Up to `length` raw bytes of a partition (or of the whole image for null) from `offset`. */
export async function readRawBytes(s: ImageSession, partition: number | null, offset: number, length: number): Promise<ImageBytes> {
  const reader = volumeReader(s, partition);
  const want = Math.max(0, Math.min(length, reader.size - offset));
  const data = want > 0 ? await reader.read(offset, want) : Buffer.alloc(0);
  return { offset, length: data.length, totalSize: reader.size, base64: data.toString('base64') };
}

/** Streams a file's content (or its alternate data stream `stream`) in bounded chunks to `sink`; returns the bytes passed. */
export async function streamFile(
  fs: FileSystem, inode: number, size: number, sink: (chunk: Buffer) => Promise<void> | void, signal?: AbortSignal, stream?: string,
): Promise<number> {
  let done = 0;
  while (done < size) {
    if (signal?.aborted) throw new AppError('CANCELLED', `Reading inode ${inode} was cancelled`);
    const chunk = await readContent(fs, inode, stream, done, Math.min(STREAM_CHUNK, size - done));
    if (chunk.length === 0) throw new AppError('UNREADABLE', `Inode ${inode} ended after ${done} of ${size} bytes`);
    await sink(chunk);
    done += chunk.length;
  }
  return done;
}

/** MD5, SHA-1 and SHA-256 of one file's content (or its alternate data stream `stream`), read once in bounded chunks. */
export async function hashInode(
  s: ImageSession, partition: number | null, inode: number, stream?: string,
): Promise<{ size: number; md5: string; sha1: string; sha256: string }> {
  const { fs } = fileSystemOf(s, partition);
  const st = await fs.stat(inode);
  if (stream === undefined && st.type !== 'file') throw new AppError('INVALID_INPUT', `Inode ${inode} is not a regular file (${st.type})`);
  const total = stream === undefined ? st.size : streamSize(fs, st, stream);
  const hashes = [createHash('md5'), createHash('sha1'), createHash('sha256')] as const;
  const size = await streamFile(fs, inode, total, (c) => hashes.forEach((h) => h.update(c)), undefined, stream);
  return { size, md5: hashes[0].digest('hex'), sha1: hashes[1].digest('hex'), sha256: hashes[2].digest('hex') };
}

/** Finds the inode of "/a/b/c" by reading each directory on the way; a symlink on the way is not followed. */
export async function resolvePath(fs: FileSystem, imagePath: string): Promise<number> {
  let inode = fs.rootInode;
  const parts = imagePath.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 0; i < parts.length; i++) {
    const here = '/' + parts.slice(0, i).join('/');
    const entries = await fs.readDir(inode);
    // A live entry wins over a deleted one of the same name.
    const hit = entries.find((e) => e.name === parts[i] && !e.deleted) ?? entries.find((e) => e.name === parts[i]);
    if (!hit) throw new AppError('NOT_FOUND', `${parts[i]} not found in ${here}`);
    if (i < parts.length - 1 && hit.type !== 'dir') {
      throw new AppError('INVALID_INPUT', `${'/' + parts.slice(0, i + 1).join('/')} is a ${hit.type}, not a directory (symlinks are not followed)`);
    }
    inode = hit.inode;
  }
  return inode;
}

/** Searches the tree breadth-first for a name of `inode` (for provenance when the caller gave no path). */
export async function findPath(fs: FileSystem, inode: number, maxDirs = 100_000): Promise<string | null> {
  if (inode === fs.rootInode) return '/';
  const seen = new Set<number>([fs.rootInode]);
  const queue: { inode: number; path: string }[] = [{ inode: fs.rootInode, path: '' }];
  while (queue.length > 0 && seen.size <= maxDirs) {
    const dir = queue.shift()!;
    let entries: FsEntry[];
    try {
      entries = await fs.readDir(dir.inode);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name === '.' || e.name === '..') continue;
      const p = `${dir.path}/${e.name}`;
      if (e.inode === inode && !e.deleted) return p;
      if (e.type === 'dir' && !e.deleted && !seen.has(e.inode)) {
        seen.add(e.inode);
        queue.push({ inode: e.inode, path: p });
      }
    }
  }
  return null;
}
