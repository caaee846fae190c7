import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';
import type { FileSystem, FsEntry, FsStat } from '../fs-types.js';
import { readExtents, readMapped, type Extent } from './bmap.js';
import { dataBlockOffsets, parseDataBlock, parseShortform, typeOfFtype, type RawDirent } from './dir.js';
import { FMT_EXTENTS, FMT_LOCAL, parseInode, typeOfMode, type XfsInode } from './inode.js';
import { inodeToByte, parseSuper, type XfsSuper } from './superblock.js';

const EXTENT_CACHE = 64; // files being read in chunks hit this; a listing touches each directory once

/** Opens a read-only XFS (v4 or v5) file system on an image or partition reader. */
export async function openXfs(reader: ImageReader): Promise<FileSystem> {
  const head = await reader.read(0, 32768);
  const sb = parseSuper(head, reader.size, reader.description);
  return new XfsFileSystem(reader, sb);
}

class XfsFileSystem implements FileSystem {
  readonly kind = 'xfs';
  readonly label: string;
  readonly blockSize: number;
  rootInode: number;
  private readonly extentCache = new Map<number, { inode: XfsInode; extents: Extent[] }>();
  private readonly readBytes: (offset: number, length: number) => Promise<Buffer>;

  constructor(private readonly reader: ImageReader, readonly sb: XfsSuper) {
    this.label = sb.label;
    this.blockSize = sb.blockSize;
    this.rootInode = sb.rootIno;
    this.readBytes = (offset, length) => reader.read(offset, length);
  }

  /** Reads and decodes one inode. */
  async inode(ino: number): Promise<XfsInode> {
    const at = inodeToByte(this.sb, ino);
    if (at === null) throw new AppError('NOT_FOUND', `XFS has no inode ${ino}`);
    const buf = await this.reader.read(at, this.sb.inodeSize);
    return parseInode(this.sb, ino, buf);
  }

  private async mapped(ino: number): Promise<{ inode: XfsInode; extents: Extent[] }> {
    const hit = this.extentCache.get(ino);
    if (hit) {
      this.extentCache.delete(ino);
      this.extentCache.set(ino, hit);
      return hit;
    }
    const inode = await this.inode(ino);
    const entry = { inode, extents: await readExtents(this.sb, inode, this.readBytes) };
    this.extentCache.set(ino, entry);
    if (this.extentCache.size > EXTENT_CACHE) this.extentCache.delete(this.extentCache.keys().next().value!);
    return entry;
  }

  async stat(ino: number): Promise<FsStat> {
    const inode = await this.inode(ino);
    const type = typeOfMode(inode.mode);
    const st: FsStat = {
      inode: ino,
      type,
      size: inode.size,
      mode: inode.mode,
      uid: inode.uid,
      gid: inode.gid,
      nlink: inode.nlink,
      mtime: inode.mtime,
      atime: inode.atime,
      ctime: inode.ctime,
      crtime: inode.crtime,
    };
    if (type === 'symlink') st.symlinkTarget = await this.symlinkTarget(inode);
    return st;
  }

  private async symlinkTarget(inode: XfsInode): Promise<string> {
    if (inode.size > 1024) throw new AppError('UNREADABLE', `XFS symlink inode ${inode.ino} is corrupt (target of ${inode.size} bytes)`);
    if (inode.format === FMT_LOCAL) {
      if (inode.size > inode.dataFork.length) throw new AppError('UNREADABLE', `XFS symlink inode ${inode.ino} is corrupt`);
      return inode.dataFork.subarray(0, inode.size).toString('utf8');
    }
    if (inode.format !== FMT_EXTENTS) throw new AppError('UNREADABLE', `XFS symlink inode ${inode.ino} has an unexpected format`);
    const extents = await readExtents(this.sb, inode, this.readBytes);
    const raw = await readMapped(this.sb, inode.ino, extents, 2048 + 2 * this.sb.blockSize, 0, 2048 + 2 * this.sb.blockSize, this.readBytes);
    // v5 remote symlink blocks start with a 56-byte XSLM header. mkfs.xfs -p (xfsprogs 6.1) writes them
    // without it, which xfs_repair flags; the target bytes are still there, so show them rather than fail.
    if (this.sb.version === 4 || raw.toString('latin1', 0, 4) !== 'XSLM') return raw.subarray(0, inode.size).toString('utf8');
    const parts: Buffer[] = [];
    let got = 0;
    for (let at = 0; at < raw.length && got < inode.size; at += this.sb.blockSize) {
      const blk = raw.subarray(at, at + this.sb.blockSize);
      if (blk.toString('latin1', 0, 4) !== 'XSLM') throw new AppError('UNREADABLE', `XFS symlink inode ${inode.ino}: remote block has bad magic`);
      const bytes = Math.min(blk.readUInt32BE(8), this.sb.blockSize - 56, inode.size - got);
      parts.push(blk.subarray(56, 56 + bytes));
      got += bytes;
    }
    return Buffer.concat(parts).toString('utf8');
  }

  /** Raw entries of a directory, without '.' and '..'. */
  async rawDir(ino: number): Promise<RawDirent[]> {
    const { inode, extents } = await this.mapped(ino);
    if (typeOfMode(inode.mode) !== 'dir') throw new AppError('NOT_A_FILE', `XFS inode ${ino} is not a directory`);
    if (inode.format === FMT_LOCAL) return parseShortform(this.sb, ino, inode.dataFork, inode.size);
    const dirBlk = this.sb.blockSize * 2 ** this.sb.dirBlkLog;
    const out: RawDirent[] = [];
    for (const off of dataBlockOffsets(this.sb, extents)) {
      const block = await readMapped(this.sb, ino, extents, off + dirBlk, off, dirBlk, this.readBytes);
      parseDataBlock(this.sb, ino, off, block, out);
    }
    return out;
  }

  async readDir(ino: number): Promise<FsEntry[]> {
    const raw = await this.rawDir(ino);
    const out: FsEntry[] = [];
    for (const d of raw) {
      // Without ftype in the dirent (old v4 file systems, or an unknown 0) the type costs an inode read.
      const type = d.ftype ? typeOfFtype(d.ftype) : typeOfMode((await this.inode(d.inode)).mode);
      out.push({ name: d.name, inode: d.inode, type, deleted: false });
    }
    return out;
  }

  async read(ino: number, offset: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new AppError('INVALID_INPUT', `Invalid read of ${length} bytes at ${offset}`);
    }
    const { inode, extents } = await this.mapped(ino);
    const type = typeOfMode(inode.mode);
    if (type === 'dir') throw new AppError('NOT_A_FILE', `XFS inode ${ino} is a directory`);
    if (inode.format === FMT_LOCAL) {
      const end = Math.min(inode.size, offset + length, inode.dataFork.length);
      return offset >= end ? Buffer.alloc(0) : Buffer.from(inode.dataFork.subarray(offset, end));
    }
    if (type === 'symlink') {
      const target = Buffer.from(await this.symlinkTarget(inode), 'utf8');
      return Buffer.from(target.subarray(offset, offset + length));
    }
    if (inode.realtime) throw new AppError('UNREADABLE', `XFS inode ${ino} keeps its data on a realtime device, which this image does not contain`);
    return readMapped(this.sb, ino, extents, inode.size, offset, length, this.readBytes);
  }

  async close(): Promise<void> {
    // The reader belongs to whoever opened it (a partition slice or the image); nothing of ours to release.
    this.extentCache.clear();
  }
}
