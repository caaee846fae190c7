import { AppError } from '../../../../shared/errors.js';
import { xfsCrcOk } from './crc32c.js';
import { u64, type XfsSuper } from './superblock.js';

/** Data-fork formats of an on-disk inode (xfs_dinode_fmt). */
export const FMT_DEV = 0;
export const FMT_LOCAL = 1;
export const FMT_EXTENTS = 2;
export const FMT_BTREE = 3;

/** The decoded core of one on-disk inode plus its raw data fork. */
export interface XfsInode {
  ino: number;
  mode: number;
  format: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  nextents: number;
  /** Data lives on a separate realtime device, which an image of the data device does not hold. */
  realtime: boolean;
  atime: string | null;
  mtime: string | null;
  ctime: string | null;
  crtime: string | null;
  dataFork: Buffer;
}

const DIFLAG2_BIGTIME = 1n << 3n;
const DIFLAG2_NREXT64 = 1n << 4n;
// Bigtime counts nanoseconds from the most negative 32-bit Unix second (1901-12-13T20:45:52Z).
const BIGTIME_EPOCH_OFFSET = 2n ** 31n;

function isoFromNs(secs: bigint, nsec: bigint): string | null {
  const ms = secs * 1000n + nsec / 1_000_000n;
  if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n) return null;
  const base = new Date(Number(ms)).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
  return `${base.slice(0, 19)}.${nsec.toString().padStart(9, '0')}Z`;
}

function timestamp(buf: Buffer, at: number, bigtime: boolean): string | null {
  if (bigtime) {
    const ns = buf.readBigUInt64BE(at);
    return isoFromNs(ns / 1_000_000_000n - BIGTIME_EPOCH_OFFSET, ns % 1_000_000_000n);
  }
  const sec = buf.readInt32BE(at);
  const nsec = buf.readUInt32BE(at + 4);
  if (nsec >= 1_000_000_000) return null;
  return isoFromNs(BigInt(sec), BigInt(nsec));
}

/** Decodes an inode buffer; checks magic, self-number and (v5) CRC so a misread never passes as data. */
export function parseInode(sb: XfsSuper, ino: number, buf: Buffer): XfsInode {
  if (buf.length < sb.inodeSize) throw new AppError('UNREADABLE', `XFS inode ${ino} lies past the end of the image (truncated image)`);
  if (buf.readUInt16BE(0) !== 0x494e) throw new AppError('UNREADABLE', `XFS inode ${ino} is corrupt (bad inode magic)`);
  const version = buf[4]!;
  const v3 = version >= 3;
  if (v3) {
    if (!xfsCrcOk(buf, 100)) throw new AppError('UNREADABLE', `XFS inode ${ino} is corrupt (checksum mismatch)`);
    if (u64(buf, 152, `inode ${ino} self-number`) !== ino) {
      throw new AppError('UNREADABLE', `XFS inode ${ino} is corrupt (records itself as inode ${buf.readBigUInt64BE(152)})`);
    }
  }
  const flags2 = v3 ? buf.readBigUInt64BE(120) : 0n;
  const bigtime = (flags2 & DIFLAG2_BIGTIME) !== 0n;
  const nrext64 = (flags2 & DIFLAG2_NREXT64) !== 0n;
  const litStart = v3 ? 176 : 100;
  const forkOff = buf[82]! * 8;
  const dataEnd = forkOff > 0 ? litStart + forkOff : sb.inodeSize;
  if (dataEnd > sb.inodeSize) throw new AppError('UNREADABLE', `XFS inode ${ino} is corrupt (fork offset past the inode)`);
  return {
    ino,
    mode: buf.readUInt16BE(2),
    format: buf[5]!,
    uid: buf.readUInt32BE(8),
    gid: buf.readUInt32BE(12),
    nlink: version === 1 ? buf.readUInt16BE(6) : buf.readUInt32BE(16),
    size: u64(buf, 56, `size of inode ${ino}`),
    realtime: (buf.readUInt16BE(90) & 0x1) !== 0,
    nextents: nrext64 ? u64(buf, 24, `extent count of inode ${ino}`) : buf.readUInt32BE(76),
    atime: timestamp(buf, 32, bigtime),
    mtime: timestamp(buf, 40, bigtime),
    ctime: timestamp(buf, 48, bigtime),
    crtime: v3 ? timestamp(buf, 144, bigtime) : null,
    dataFork: buf.subarray(litStart, dataEnd),
  };
}

/** The caller-facing type of a mode's file-type bits. */
export function typeOfMode(mode: number): 'file' | 'dir' | 'symlink' | 'other' {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'dir';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}
