import { AppError } from '../../../../shared/errors.js';
import type { FsEntry } from '../fs-types.js';
import type { Extent } from './bmap.js';
import type { XfsSuper } from './superblock.js';

/** A directory entry as stored; `ftype` is null when the file system does not record it. */
export interface RawDirent {
  name: string;
  inode: number;
  ftype: number | null;
}

/** Maps an on-disk dirent file type (XFS_DIR3_FT_*) to the caller's type. */
export function typeOfFtype(ft: number): FsEntry['type'] {
  return ft === 1 ? 'file' : ft === 2 ? 'dir' : ft === 7 ? 'symlink' : 'other';
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function nameOf(buf: Buffer, at: number, len: number): string {
  return decoder.decode(buf.subarray(at, at + len));
}

/** Entries of a short-form directory held inside the inode's data fork ('.' and '..' are implicit). */
export function parseShortform(sb: XfsSuper, ino: number, fork: Buffer, size: number): RawDirent[] {
  const bad = (why: string): AppError => new AppError('UNREADABLE', `XFS directory inode ${ino} is corrupt (${why})`);
  if (size > fork.length || size < 6) throw bad('short-form size');
  const count = fork[0]!;
  const i8 = fork[1]!;
  const inoLen = i8 > 0 ? 8 : 4;
  const readIno = (at: number): number => {
    const n = inoLen === 8 ? Number(fork.readBigUInt64BE(at)) : fork.readUInt32BE(at);
    if (!Number.isSafeInteger(n)) throw bad('inode number out of range');
    return n;
  };
  let at = 2 + inoLen; // after count, i8count and the parent inode number
  const out: RawDirent[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 3 > size) throw bad('entry runs past the fork');
    const len = fork[at]!;
    const nameAt = at + 3; // namelen, then a 2-byte offset hint
    const ftAt = nameAt + len;
    const inoAt = ftAt + (sb.hasFtype ? 1 : 0);
    if (len === 0 || inoAt + inoLen > size) throw bad('entry runs past the fork');
    out.push({ name: nameOf(fork, nameAt, len), inode: readIno(inoAt), ftype: sb.hasFtype ? fork[ftAt]! : null });
    at = inoAt + inoLen;
  }
  return out;
}

/** File offset (bytes) where the directory's leaf/free index blocks start: everything below is data blocks. */
export const DIR_LEAF_OFFSET = 32 * 2 ** 30;

/** Parses one directory data block (block-form XD2B/XDB3 or data XD2D/XDD3) and appends its live entries. */
export function parseDataBlock(sb: XfsSuper, ino: number, dirOff: number, block: Buffer, out: RawDirent[]): void {
  const magic = block.toString('latin1', 0, 4);
  const v5 = sb.version === 5;
  const isBlockForm = magic === (v5 ? 'XDB3' : 'XD2B');
  if (!isBlockForm && magic !== (v5 ? 'XDD3' : 'XD2D')) {
    throw new AppError('UNREADABLE', `XFS directory inode ${ino}: block at directory offset ${dirOff} has bad magic "${magic.replace(/[^\x20-\x7e]/g, '?')}"`);
  }
  let end = block.length;
  if (isBlockForm) {
    // Block form keeps its hash leaf at the end: tail (count, stale) then count 8-byte leaf entries.
    const leafCount = block.readUInt32BE(block.length - 8);
    end = block.length - 8 - leafCount * 8;
    if (end < 0) throw new AppError('UNREADABLE', `XFS directory inode ${ino}: block-form directory has a corrupt tail`);
  }
  let at = v5 ? 64 : 16;
  while (at + 8 <= end) {
    if (block.readUInt16BE(at) === 0xffff) {
      // Freed space (deleted entries end up here); its length jumps to the next record.
      const len = block.readUInt16BE(at + 2);
      if (len < 8 || len % 8 !== 0 || at + len > end) {
        throw new AppError('UNREADABLE', `XFS directory inode ${ino}: corrupt free space at directory offset ${dirOff + at}`);
      }
      at += len;
      continue;
    }
    const inode = Number(block.readBigUInt64BE(at));
    if (!Number.isSafeInteger(inode)) throw new AppError('UNREADABLE', `XFS directory inode ${ino}: corrupt inode number at directory offset ${dirOff + at}`);
    const len = block[at + 8]!;
    const entLen = (8 + 1 + len + (sb.hasFtype ? 1 : 0) + 2 + 7) & ~7;
    if (len === 0 || at + entLen > end) {
      throw new AppError('UNREADABLE', `XFS directory inode ${ino}: corrupt entry at directory offset ${dirOff + at}`);
    }
    const name = nameOf(block, at + 9, len);
    if (name !== '.' && name !== '..') {
      out.push({ name, inode, ftype: sb.hasFtype ? block[at + 9 + len]! : null });
    }
    at += entLen;
  }
}

/** The directory-block file offsets (bytes) of every data block the extents map below the leaf offset. */
export function dataBlockOffsets(sb: XfsSuper, extents: Extent[]): number[] {
  const dirBlk = sb.blockSize * 2 ** sb.dirBlkLog;
  const out: number[] = [];
  let last = -1;
  for (const e of extents) {
    const from = e.startOff * sb.blockSize;
    const to = Math.min((e.startOff + e.count) * sb.blockSize, DIR_LEAF_OFFSET);
    for (let off = Math.floor(from / dirBlk) * dirBlk; off < to; off += dirBlk) {
      if (off > last) out.push(off);
      last = off;
    }
  }
  return out;
}
