import { AppError } from '../../../../shared/errors.js';
import { FMT_BTREE, FMT_EXTENTS, FMT_LOCAL, type XfsInode } from './inode.js';
import { fsbToByte, fsbValid, type XfsSuper } from './superblock.js';

/** One mapping of file blocks [startOff, startOff+count) to file-system blocks from startBlock. */
export interface Extent {
  startOff: number;
  startBlock: number;
  count: number;
  unwritten: boolean;
}

type ReadBytes = (offset: number, length: number) => Promise<Buffer>;

const MASK21 = (1n << 21n) - 1n;
const MASK52 = (1n << 52n) - 1n;
const MASK54 = (1n << 54n) - 1n;

/** Unpacks one 128-bit big-endian bmbt record (flag:1, startoff:54, startblock:52, blockcount:21). */
export function unpackExtent(buf: Buffer, at: number): Extent {
  const l0 = buf.readBigUInt64BE(at);
  const l1 = buf.readBigUInt64BE(at + 8);
  return {
    unwritten: l0 >> 63n === 1n,
    startOff: Number((l0 >> 9n) & MASK54),
    startBlock: Number((((l0 & 0x1ffn) << 43n) | (l1 >> 21n)) & MASK52),
    count: Number(l1 & MASK21),
  };
}

function checkExtent(sb: XfsSuper, ino: number, e: Extent): void {
  if (!fsbValid(sb, e.startBlock, e.count)) {
    throw new AppError('UNREADABLE', `XFS inode ${ino} maps blocks ${e.startBlock}+${e.count}, which lie outside the file system`);
  }
}

/** The data fork's extent list in file order; empty for local/dev inodes. Walks bmap btrees. */
export async function readExtents(sb: XfsSuper, inode: XfsInode, read: ReadBytes): Promise<Extent[]> {
  const fork = inode.dataFork;
  const out: Extent[] = [];
  if (inode.format === FMT_EXTENTS) {
    const n = inode.nextents;
    if (n * 16 > fork.length) throw new AppError('UNREADABLE', `XFS inode ${inode.ino} is corrupt (${n} extents do not fit in its fork)`);
    for (let i = 0; i < n; i++) out.push(unpackExtent(fork, i * 16));
  } else if (inode.format === FMT_BTREE) {
    // The in-inode root (xfs_bmdr_block): level, numrecs, then keys and pointers sized for the whole fork.
    const level = fork.readUInt16BE(0);
    const numrecs = fork.readUInt16BE(2);
    const maxrecs = Math.floor((fork.length - 4) / 16);
    if (level === 0 || numrecs > maxrecs) throw new AppError('UNREADABLE', `XFS inode ${inode.ino} has a corrupt block-map btree root`);
    const seen = new Set<number>();
    for (let i = 0; i < numrecs; i++) {
      const ptr = Number(fork.readBigUInt64BE(4 + maxrecs * 8 + i * 8));
      await walkBtree(sb, inode.ino, ptr, level - 1, read, out, seen);
    }
  } else if (inode.format !== FMT_LOCAL && inode.format !== 0) {
    throw new AppError('UNREADABLE', `XFS inode ${inode.ino} has unknown data fork format ${inode.format}`);
  }
  for (const e of out) checkExtent(sb, inode.ino, e);
  out.sort((a, b) => a.startOff - b.startOff);
  return out;
}

async function walkBtree(
  sb: XfsSuper, ino: number, fsb: number, level: number, read: ReadBytes, out: Extent[], seen: Set<number>,
): Promise<void> {
  if (!fsbValid(sb, fsb) || seen.has(fsb)) {
    throw new AppError('UNREADABLE', `XFS inode ${ino} has a block-map btree pointer to bad block ${fsb}`);
  }
  seen.add(fsb);
  const block = await read(fsbToByte(sb, fsb), sb.blockSize);
  if (block.length < sb.blockSize) throw new AppError('UNREADABLE', `XFS inode ${ino}: block-map block ${fsb} lies past the end of the image`);
  const magic = block.toString('latin1', 0, 4);
  const v5 = sb.version === 5;
  if (magic !== (v5 ? 'BMA3' : 'BMAP')) {
    throw new AppError('UNREADABLE', `XFS inode ${ino}: block-map btree block ${fsb} has bad magic "${magic}"`);
  }
  const hdr = v5 ? 72 : 24;
  const blockLevel = block.readUInt16BE(4);
  const numrecs = block.readUInt16BE(6);
  const maxrecs = Math.floor((sb.blockSize - hdr) / 16);
  if (blockLevel !== level || numrecs > maxrecs) {
    throw new AppError('UNREADABLE', `XFS inode ${ino}: block-map btree block ${fsb} is corrupt`);
  }
  if (level === 0) {
    for (let i = 0; i < numrecs; i++) out.push(unpackExtent(block, hdr + i * 16));
    return;
  }
  for (let i = 0; i < numrecs; i++) {
    const ptr = Number(block.readBigUInt64BE(hdr + maxrecs * 8 + i * 8));
    await walkBtree(sb, ino, ptr, level - 1, read, out, seen);
  }
}

/** Reads `length` bytes at `offset` of a file through its extents; holes and unwritten extents read as zeros. */
export async function readMapped(
  sb: XfsSuper, ino: number, extents: Extent[], fileSize: number, offset: number, length: number, read: ReadBytes,
): Promise<Buffer> {
  const end = Math.min(fileSize, offset + length);
  if (offset >= end) return Buffer.alloc(0);
  const bs = sb.blockSize;
  // Binary search for the first extent that ends after `offset`.
  let lo = 0;
  let hi = extents.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = extents[mid]!;
    if ((e.startOff + e.count) * bs <= offset) lo = mid + 1;
    else hi = mid;
  }
  // Fast path for bulk reads: a request inside one written extent is a single image read, no copy.
  const first = extents[lo];
  if (first && !first.unwritten && first.startOff * bs <= offset && (first.startOff + first.count) * bs >= end) {
    const disk = fsbToByte(sb, first.startBlock) + (offset - first.startOff * bs);
    const data = await read(disk, end - offset);
    if (data.length < end - offset) {
      throw new AppError('UNREADABLE', `XFS inode ${ino}: data at image offset ${disk} lies past the end of the image (truncated image)`);
    }
    return data;
  }
  const out = Buffer.alloc(end - offset);
  for (let i = lo; i < extents.length; i++) {
    const e = extents[i]!;
    const eStart = e.startOff * bs;
    if (eStart >= end) break;
    if (e.unwritten) continue;
    const from = Math.max(offset, eStart);
    const to = Math.min(end, eStart + e.count * bs);
    const disk = fsbToByte(sb, e.startBlock) + (from - eStart);
    const data = await read(disk, to - from);
    if (data.length < to - from) {
      throw new AppError('UNREADABLE', `XFS inode ${ino}: data at image offset ${disk} lies past the end of the image (truncated image)`);
    }
    data.copy(out, from - offset);
  }
  return out;
}
