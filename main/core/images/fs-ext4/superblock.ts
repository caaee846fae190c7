import { AppError } from '../../../../shared/errors.js';

/** Feature bits we act on (from the kernel's ext4.h). */
export const Compat = { hasJournal: 0x4, dirIndex: 0x20 } as const;
export const Incompat = {
  compression: 0x1, filetype: 0x2, journalDev: 0x8, metaBg: 0x10, extents: 0x40, is64bit: 0x80,
  flexBg: 0x200, inlineData: 0x8000, encrypt: 0x10000,
} as const;
export const RoCompat = { sparseSuper: 0x1, hugeFile: 0x8, gdtCsum: 0x10, metadataCsum: 0x400 } as const;

/** The parts of the ext2/3/4 superblock the reader needs. */
export interface Superblock {
  kind: 'ext2' | 'ext3' | 'ext4';
  blockSize: number;
  inodesCount: number;
  blocksCount: number;
  firstDataBlock: number;
  blocksPerGroup: number;
  inodesPerGroup: number;
  inodeSize: number;
  descSize: number;
  groupCount: number;
  firstMetaBg: number;
  compat: number;
  incompat: number;
  roCompat: number;
  label: string;
  uuid: string;
}

const MAGIC = 0xef53;

function corrupt(why: string): AppError {
  return new AppError('UNREADABLE', `Not a readable ext2/3/4 file system: ${why}`);
}

/** Parses and sanity-checks the 1024-byte superblock found at byte 1024 of the file system. */
export function parseSuperblock(buf: Buffer): Superblock {
  if (buf.length < 1024) throw corrupt(`the image is too small to hold a superblock (${buf.length + 1024} bytes)`);
  const magic = buf.readUInt16LE(0x38);
  if (magic !== MAGIC) throw corrupt(`superblock magic is 0x${magic.toString(16)} (expected 0xef53 at byte 1080)`);
  const logBlock = buf.readUInt32LE(0x18);
  if (logBlock > 6) throw corrupt(`block size exponent ${logBlock} is out of range`);
  const blockSize = 1024 << logBlock;
  const rev = buf.readUInt32LE(0x4c);
  const compat = buf.readUInt32LE(0x5c);
  const incompat = rev >= 1 ? buf.readUInt32LE(0x60) : 0;
  const roCompat = rev >= 1 ? buf.readUInt32LE(0x64) : 0;
  const is64 = (incompat & Incompat.is64bit) !== 0;
  const inodeSize = rev >= 1 ? buf.readUInt16LE(0x58) : 128;
  const descSize = is64 ? buf.readUInt16LE(0xfe) : 32;
  const blocksCount = buf.readUInt32LE(0x04) + (is64 ? buf.readUInt32LE(0x150) * 2 ** 32 : 0);
  const sb: Superblock = {
    kind: 'ext2',
    blockSize,
    inodesCount: buf.readUInt32LE(0x00),
    blocksCount,
    firstDataBlock: buf.readUInt32LE(0x14),
    blocksPerGroup: buf.readUInt32LE(0x20),
    inodesPerGroup: buf.readUInt32LE(0x28),
    inodeSize,
    descSize,
    groupCount: 0,
    firstMetaBg: buf.readUInt32LE(0x104),
    compat,
    incompat,
    roCompat,
    label: buf.subarray(0x78, 0x88).toString('utf8').replace(/\0.*$/s, ''),
    uuid: buf.subarray(0x68, 0x78).toString('hex'),
  };
  if (sb.blocksPerGroup === 0 || sb.inodesPerGroup === 0) throw corrupt('blocks or inodes per group is zero');
  if (inodeSize < 128 || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) !== 0) {
    throw corrupt(`inode size ${inodeSize} is invalid`);
  }
  if (descSize < 32 || descSize > 1024 || (descSize & (descSize - 1)) !== 0) throw corrupt(`group descriptor size ${descSize} is invalid`);
  if (blocksCount <= sb.firstDataBlock) throw corrupt(`block count ${blocksCount} is invalid`);
  sb.groupCount = Math.ceil((blocksCount - sb.firstDataBlock) / sb.blocksPerGroup);
  if (sb.inodesCount > sb.groupCount * sb.inodesPerGroup || sb.inodesCount < 11) {
    throw corrupt(`inode count ${sb.inodesCount} does not fit ${sb.groupCount} groups of ${sb.inodesPerGroup}`);
  }
  if (incompat & Incompat.journalDev) throw corrupt('this is an external journal device, not a file system');
  if (incompat & Incompat.compression) throw corrupt('ext2 compression is not supported');
  const ext4Bits = Incompat.extents | Incompat.is64bit | Incompat.flexBg | Incompat.inlineData;
  sb.kind = incompat & ext4Bits || roCompat & (RoCompat.hugeFile | RoCompat.metadataCsum)
    ? 'ext4' : compat & Compat.hasJournal ? 'ext3' : 'ext2';
  return sb;
}

/** Whether group `g` holds a superblock backup (and so, without meta_bg, its descriptors follow it). */
export function groupHasSuper(sb: Superblock, g: number): boolean {
  if (g <= 1 || (sb.roCompat & RoCompat.sparseSuper) === 0) return true;
  for (const base of [3, 5, 7]) {
    let p = base;
    while (p < g) p *= base;
    if (p === g) return true;
  }
  return false;
}

/** Block number holding the descriptor of group `g`, and the byte offset inside that block. */
export function descriptorLocation(sb: Superblock, g: number): { block: number; offset: number } {
  const perBlock = sb.blockSize / sb.descSize;
  const descBlock = Math.floor(g / perBlock);
  const offset = (g % perBlock) * sb.descSize;
  if ((sb.incompat & Incompat.metaBg) === 0 || descBlock < sb.firstMetaBg) {
    return { block: sb.firstDataBlock + 1 + descBlock, offset };
  }
  // meta_bg: each run of `perBlock` groups keeps its descriptor block in its own first group.
  const first = descBlock * perBlock;
  const start = sb.firstDataBlock + first * sb.blocksPerGroup;
  return { block: start + (groupHasSuper(sb, first) ? 1 : 0), offset };
}
