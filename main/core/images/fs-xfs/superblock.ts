import { AppError } from '../../../../shared/errors.js';
import { xfsCrcOk } from './crc32c.js';

/** The geometry and feature flags of an XFS file system, read from the primary superblock. */
export interface XfsSuper {
  version: 4 | 5;
  blockSize: number;
  dblocks: number;
  agBlocks: number;
  agCount: number;
  agBlkLog: number;
  sectSize: number;
  inodeSize: number;
  inoPbLog: number;
  dirBlkLog: number;
  rootIno: number;
  label: string;
  uuid: string;
  hasFtype: boolean;
  hasBigtime: boolean;
  hasNrext64: boolean;
  truncated: boolean;
}

const MAGIC = 0x58465342; // 'XFSB'
const V2_FTYPE = 0x200; // features2 bit on v4 file systems
const INCOMPAT_FTYPE = 0x1;
const INCOMPAT_BIGTIME = 0x8;
const INCOMPAT_NREXT64 = 0x20;
// Incompat features this reader understands; anything else could change on-disk layouts we decode.
const INCOMPAT_KNOWN = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20;

/** Reads a big-endian u64 as a safe integer, or throws naming what it was. */
export function u64(buf: Buffer, at: number, what: string): number {
  const v = buf.readBigUInt64BE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('UNREADABLE', `XFS: ${what} is out of range (${v})`);
  return Number(v);
}

/** Parses and checks the primary superblock (sector 0); v5 superblocks must pass their CRC32c. */
export function parseSuper(buf: Buffer, imageSize: number, where: string): XfsSuper {
  if (buf.length < 512 || buf.readUInt32BE(0) !== MAGIC) {
    throw new AppError('UNREADABLE', `${where} is not an XFS file system (no XFSB superblock magic)`);
  }
  const versionNum = buf.readUInt16BE(100);
  const v = versionNum & 0xf;
  if (v !== 4 && v !== 5) throw new AppError('UNREADABLE', `${where}: unsupported XFS superblock version ${v}`);
  const sectSize = buf.readUInt16BE(102);
  const blockSize = buf.readUInt32BE(4);
  const inodeSize = buf.readUInt16BE(104);
  const pow2 = (n: number, lo: number, hi: number): boolean => n >= lo && n <= hi && (n & (n - 1)) === 0;
  if (!pow2(sectSize, 512, 32768) || !pow2(blockSize, 512, 65536) || !pow2(inodeSize, 256, 2048)) {
    throw new AppError('UNREADABLE', `${where}: XFS superblock has impossible geometry (sector ${sectSize}, block ${blockSize}, inode ${inodeSize})`);
  }
  if (v === 5) {
    if (buf.length < sectSize || !xfsCrcOk(buf.subarray(0, sectSize), 224)) {
      throw new AppError('UNREADABLE', `${where}: XFS superblock checksum (CRC32c) does not match; the superblock is corrupt`);
    }
    const incompat = buf.readUInt32BE(216);
    if (incompat & ~INCOMPAT_KNOWN) {
      throw new AppError('UNREADABLE', `${where}: XFS uses incompatible features this reader does not know (0x${incompat.toString(16)})`);
    }
  }
  const incompat = v === 5 ? buf.readUInt32BE(216) : 0;
  const features2 = buf.readUInt32BE(200);
  const agBlocks = buf.readUInt32BE(84);
  const agCount = buf.readUInt32BE(88);
  const agBlkLog = buf[124]!;
  const inoPbLog = buf[123]!;
  if (agBlocks === 0 || agCount === 0 || agBlkLog > 31 || 2 ** agBlkLog < agBlocks || inoPbLog !== Math.log2(blockSize / inodeSize)) {
    throw new AppError('UNREADABLE', `${where}: XFS superblock has impossible allocation-group geometry`);
  }
  const dblocks = u64(buf, 8, 'block count');
  const nameEnd = buf.indexOf(0, 108);
  const uuidHex = buf.subarray(32, 48).toString('hex');
  return {
    version: v,
    blockSize,
    dblocks,
    agBlocks,
    agCount,
    agBlkLog,
    sectSize,
    inodeSize,
    inoPbLog,
    dirBlkLog: buf[192]!,
    rootIno: u64(buf, 56, 'root inode number'),
    label: buf.subarray(108, nameEnd >= 108 && nameEnd < 120 ? nameEnd : 120).toString('utf8'),
    uuid: `${uuidHex.slice(0, 8)}-${uuidHex.slice(8, 12)}-${uuidHex.slice(12, 16)}-${uuidHex.slice(16, 20)}-${uuidHex.slice(20)}`,
    hasFtype: v === 5 ? (incompat & INCOMPAT_FTYPE) !== 0 : (features2 & V2_FTYPE) !== 0,
    hasBigtime: (incompat & INCOMPAT_BIGTIME) !== 0,
    hasNrext64: (incompat & INCOMPAT_NREXT64) !== 0,
    // A truncated image still opens: what lies inside it stays browsable, reads past its end fail by name.
    truncated: dblocks * blockSize > imageSize,
  };
}

/** Byte offset in the image of a file-system block number (AG number in the high bits). */
export function fsbToByte(sb: XfsSuper, fsb: number): number {
  const agSpan = 2 ** sb.agBlkLog;
  const agno = Math.floor(fsb / agSpan);
  const agbno = fsb - agno * agSpan;
  return (agno * sb.agBlocks + agbno) * sb.blockSize;
}

/** True when a block number names a block inside the file system. */
export function fsbValid(sb: XfsSuper, fsb: number, count = 1): boolean {
  const agSpan = 2 ** sb.agBlkLog;
  const agno = Math.floor(fsb / agSpan);
  const agbno = fsb - agno * agSpan;
  return agno < sb.agCount && agbno + count <= sb.agBlocks && (agno * sb.agBlocks + agbno + count) <= sb.dblocks;
}

/** Byte offset of an inode, or null if its number cannot exist in this geometry. */
export function inodeToByte(sb: XfsSuper, ino: number): number | null {
  if (!Number.isSafeInteger(ino) || ino <= 0) return null;
  const agInoSpan = 2 ** (sb.agBlkLog + sb.inoPbLog);
  const agno = Math.floor(ino / agInoSpan);
  const agino = ino - agno * agInoSpan;
  const perBlock = 2 ** sb.inoPbLog;
  const agbno = Math.floor(agino / perBlock);
  const slot = agino - agbno * perBlock;
  if (agno >= sb.agCount || agbno >= sb.agBlocks) return null;
  return (agno * sb.agBlocks + agbno) * sb.blockSize + slot * sb.inodeSize;
}
