import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';
import { LruCache } from '../containers/lru-cache.js';
import type { FileSystem, FsEntry, FsStat } from '../fs-types.js';
import { blockMapRuns, extentRuns, findRun, type Run } from './block-runs.js';
import { BlockDevice } from './device.js';
import { parseDirBlock } from './dirent.js';
import { InodeFlags, inodeXattr, isoTime, modeType, parseInode, type RawInode } from './inode.js';
import { descriptorLocation, Incompat, parseSuperblock, RoCompat, type Superblock } from './superblock.js';

/** FsStat plus what ext4 adds: nanoseconds of each time, inode flags and deletion time. */
export interface Ext4Stat extends FsStat {
  mtimeNs: number; atimeNs: number; ctimeNs: number; crtimeNs: number | null;
  flags: number; dtime: number; inlineData: boolean;
}

const ROOT_INODE = 2;

interface GroupDesc { inodeBitmap: number; inodeTable: number; flags: number }

/** Opens an ext2/3/4 file system read-only; throws AppError('UNREADABLE') when it is not one or is too damaged. */
export async function openExt4(reader: ImageReader): Promise<Ext4FileSystem> {
  const sbBuf = await reader.read(1024, 1024);
  const sb = parseSuperblock(sbBuf);
  const fs = new Ext4FileSystem(reader, sb);
  const root = await fs.stat(ROOT_INODE);
  if (root.type !== 'dir') throw new AppError('UNREADABLE', `Not a readable ext2/3/4 file system: root inode 2 is not a directory (mode 0${root.mode.toString(8)})`);
  return fs;
}

/** A read-only ext2/3/4 file system over an ImageReader. */
export class Ext4FileSystem implements FileSystem {
  readonly kind: string;
  readonly label: string;
  readonly blockSize: number;
  rootInode = ROOT_INODE;
  /** Problems noticed at open that do not stop browsing (e.g. a truncated image). */
  readonly warnings: string[] = [];
  readonly dev: BlockDevice;
  private readonly groups = new Map<number, GroupDesc>();
  private readonly runCache = new LruCache<number, Run[]>(256);

  constructor(reader: ImageReader, readonly sb: Superblock) {
    this.kind = sb.kind;
    this.label = sb.label;
    this.blockSize = sb.blockSize;
    this.dev = new BlockDevice(reader, sb.blockSize, sb.blocksCount);
    if (this.dev.imageBlocks < sb.blocksCount) {
      this.warnings.push(`image holds ${this.dev.imageBlocks} of the file system's ${sb.blocksCount} blocks (truncated)`);
    }
  }

  private async group(g: number): Promise<GroupDesc> {
    const known = this.groups.get(g);
    if (known) return known;
    const { block, offset } = descriptorLocation(this.sb, g);
    const buf = await this.dev.block(block, `group ${g} descriptor`);
    const wide = this.sb.descSize >= 64;
    const u64 = (lo: number, hi: number): number => buf.readUInt32LE(offset + lo) + (wide ? buf.readUInt32LE(offset + hi) * 2 ** 32 : 0);
    const desc = { inodeBitmap: u64(0x04, 0x24), inodeTable: u64(0x08, 0x28), flags: buf.readUInt16LE(offset + 0x12) };
    this.groups.set(g, desc);
    return desc;
  }

  /** Whether the inode bitmap marks `ino` in use (false for a deleted file's inode not yet reused). */
  async inodeAllocated(ino: number): Promise<boolean> {
    const g = Math.floor((ino - 1) / this.sb.inodesPerGroup);
    const desc = await this.group(g);
    // With group checksums, INODE_UNINIT means the bitmap was never written: every inode is free.
    if (desc.flags & 0x1 && this.sb.roCompat & (RoCompat.gdtCsum | RoCompat.metadataCsum)) return false;
    const bit = (ino - 1) % this.sb.inodesPerGroup;
    const block = await this.dev.block(desc.inodeBitmap + Math.floor(bit / 8 / this.blockSize), `group ${g} inode bitmap`);
    return ((block[Math.floor(bit / 8) % this.blockSize]! >> (bit % 8)) & 1) === 1;
  }

  /** A deleted directory whose inode is free and still describes a directory can be listed, as `fls -r` does. */
  async isRecoverableDir(ino: number): Promise<boolean> {
    try {
      return !(await this.inodeAllocated(ino)) && modeType((await this.inode(ino)).mode) === 'dir';
    } catch {
      return false;
    }
  }

  /** Where inode `ino` lives: its inode-table block and byte offset in that block (for hex views of metadata). */
  async inodeLocation(ino: number): Promise<{ block: number; offset: number; imageOffset: number; tableLeft: number }> {
    if (!Number.isSafeInteger(ino) || ino < 1 || ino > this.sb.inodesCount) {
      throw new AppError('NOT_FOUND', `inode ${ino} does not exist (valid: 1..${this.sb.inodesCount})`);
    }
    const group = Math.floor((ino - 1) / this.sb.inodesPerGroup);
    const byte = ((ino - 1) % this.sb.inodesPerGroup) * this.sb.inodeSize;
    const table = (await this.group(group)).inodeTable;
    const block = table + Math.floor(byte / this.blockSize);
    const offset = byte % this.blockSize;
    const tableLeft = table + Math.ceil((this.sb.inodesPerGroup * this.sb.inodeSize) / this.blockSize) - block;
    return { block, offset, imageOffset: block * this.blockSize + offset, tableLeft };
  }

  /** The decoded inode `ino`. */
  async inode(ino: number): Promise<RawInode> {
    const { block, offset, tableLeft } = await this.inodeLocation(ino);
    const buf = await this.dev.block(block, `inode ${ino}: inode table`, Math.min(32, tableLeft));
    return parseInode(ino, buf.subarray(offset, offset + this.sb.inodeSize));
  }

  /** Metadata of inode `ino`, times in UTC. */
  async stat(ino: number): Promise<Ext4Stat> {
    const n = await this.inode(ino);
    const type = modeType(n.mode);
    const st: Ext4Stat = {
      inode: ino, type, size: n.size, mode: n.mode, uid: n.uid, gid: n.gid, nlink: n.nlink,
      mtime: isoTime(n.mtime), atime: isoTime(n.atime), ctime: isoTime(n.ctime), crtime: isoTime(n.crtime),
      mtimeNs: n.mtime.ns, atimeNs: n.atime.ns, ctimeNs: n.ctime.ns, crtimeNs: n.crtime?.ns ?? null,
      flags: n.flags, dtime: n.dtime, inlineData: (n.flags & InodeFlags.inlineData) !== 0,
    };
    if (type === 'symlink') st.symlinkTarget = (await this.readInode(n, 0, Math.min(n.size, 4096))).toString('utf8');
    return st;
  }

  private isFastSymlink(n: RawInode): boolean {
    if (modeType(n.mode) !== 'symlink' || n.size >= 60) return false;
    if (n.flags & (InodeFlags.inlineData | InodeFlags.extents)) return false;
    const xattrBlocks = n.fileAcl ? this.blockSize / 512 : 0;
    return n.blocks512 - xattrBlocks === 0;
  }

  private inlineBytes(n: RawInode): Buffer {
    const more = inodeXattr(n.raw, 7, 'data') ?? Buffer.alloc(0);
    return Buffer.concat([n.iblock, more]);
  }

  /** The inode's data as runs of blocks (cached: big files map once). */
  async runs(n: RawInode): Promise<Run[]> {
    const hit = this.runCache.get(n.ino);
    if (hit) return hit;
    const nBlocks = Math.ceil(n.size / this.blockSize);
    const runs = n.flags & InodeFlags.extents
      ? await extentRuns(this.dev, n.ino, n.iblock)
      : await blockMapRuns(this.dev, n.ino, n.iblock, nBlocks);
    this.runCache.set(n.ino, runs);
    return runs;
  }

  /** Reads file data; holes and uninitialised extents read as zeros; never past the file's size. */
  async read(ino: number, offset: number, length: number): Promise<Buffer> {
    return this.readInode(await this.inode(ino), offset, length);
  }

  private async readInode(n: RawInode, offset: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new AppError('INVALID_INPUT', `Invalid read of ${length} bytes at ${offset} of inode ${n.ino}`);
    }
    const end = Math.min(n.size, offset + length);
    if (end <= offset) return Buffer.alloc(0);
    if (n.flags & InodeFlags.inlineData) return fit(this.inlineBytes(n), offset, end);
    if (this.isFastSymlink(n)) return fit(n.iblock, offset, end);
    const bs = this.blockSize;
    const runs = await this.runs(n);
    const firstLb = Math.floor(offset / bs);
    const lastLb = Math.floor((end - 1) / bs);
    const only = runs[findRun(runs, firstLb)];
    if (only && !only.uninit && only.logical <= firstLb && only.logical + only.length > lastLb) {
      // One extent covers the request (the usual case for big reads): return the device's buffer, no copy.
      const data = await this.dev.blocks(only.physical + (firstLb - only.logical), lastLb - firstLb + 1, `inode ${n.ino}: data`);
      return data.subarray(offset - firstLb * bs, end - firstLb * bs);
    }
    const out = Buffer.alloc(end - offset);
    for (let i = findRun(runs, firstLb); i < runs.length; i++) {
      const r = runs[i]!;
      if (r.logical > lastLb) break;
      if (r.uninit) continue; // allocated but never written: reads as zeros
      const from = Math.max(r.logical, firstLb);
      const to = Math.min(r.logical + r.length - 1, lastLb);
      const data = await this.dev.blocks(r.physical + (from - r.logical), to - from + 1, `inode ${n.ino}: data`);
      const dataStart = from * bs;
      const s = Math.max(offset, dataStart);
      const e = Math.min(end, dataStart + data.length);
      data.copy(out, s - offset, s - dataStart, e - dataStart);
    }
    return out;
  }

  /** Entries of directory `ino`, including deleted names recovered from slack space ("." and ".." left out). */
  async readDir(ino: number): Promise<FsEntry[]> {
    const n = await this.inode(ino);
    if (modeType(n.mode) !== 'dir') throw new AppError('INVALID_INPUT', `inode ${ino} is not a directory`);
    const hasFt = (this.sb.incompat & Incompat.filetype) !== 0;
    const max = this.sb.inodesCount;
    const raw = [];
    if (n.flags & InodeFlags.inlineData) {
      // Inline directories start with the parent's inode number, then records; more may follow in system.data.
      raw.push(...parseDirBlock(n.iblock.subarray(4), max, hasFt));
      const more = inodeXattr(n.raw, 7, 'data');
      if (more && more.length >= 12) raw.push(...parseDirBlock(more, max, hasFt));
    } else {
      const bs = this.blockSize;
      const nBlocks = Math.ceil(n.size / bs);
      for (const r of await this.runs(n)) {
        if (r.uninit || r.logical >= nBlocks) continue;
        const count = Math.min(r.length, nBlocks - r.logical);
        const data = await this.dev.blocks(r.physical, count, `inode ${ino}: directory data`);
        for (let b = 0; b < count; b++) raw.push(...parseDirBlock(data.subarray(b * bs, (b + 1) * bs), max, hasFt));
      }
    }
    const out: FsEntry[] = [];
    for (const e of raw) {
      let type = e.type;
      if (!e.typeKnown && !e.deleted && e.inode > 0) type = await this.inode(e.inode).then((x) => modeType(x.mode), () => 'other' as const);
      out.push({ name: e.name, inode: e.inode, type, deleted: e.deleted });
    }
    return out;
  }

  async close(): Promise<void> {
    this.runCache.clear();
    // The reader belongs to whoever opened it (it may be a partition slice of a larger image).
  }
}

function fit(src: Buffer, start: number, end: number): Buffer {
  const out = Buffer.alloc(end - start);
  if (start < src.length) src.copy(out, 0, start, Math.min(end, src.length));
  return out;
}
