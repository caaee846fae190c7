import { AppError } from '../../../../shared/errors.js';
import { fileRef } from './record.js';

const UNIX_EPOCH_AS_FILETIME = 116444736000000000n; // 100-ns intervals from 1601-01-01 to 1970-01-01
const MAX_DATE_SECONDS = 8.64e12; // the range a JavaScript Date can hold

/** An NTFS FILETIME (100-ns intervals since 1601, UTC) as ISO-8601 UTC with all 7 fraction digits kept (as ns); null for 0. */
export function filetimeIso(ft: bigint): string | null {
  if (ft === 0n) return null;
  const t = ft - UNIX_EPOCH_AS_FILETIME;
  let sec = t / 10_000_000n;
  let frac = t % 10_000_000n;
  if (frac < 0n) {
    frac += 10_000_000n;
    sec -= 1n;
  }
  if (sec > MAX_DATE_SECONDS || sec < -MAX_DATE_SECONDS) return null;
  const iso = new Date(Number(sec) * 1000).toISOString();
  return `${iso.slice(0, -5)}.${(frac * 100n).toString().padStart(9, '0')}Z`;
}

/** MACB times as ISO strings. */
export interface NtfsTimes { crtime: string | null; mtime: string | null; ctime: string | null; atime: string | null }

function times(buf: Buffer, at: number): NtfsTimes {
  return {
    crtime: filetimeIso(buf.readBigUInt64LE(at)),
    mtime: filetimeIso(buf.readBigUInt64LE(at + 8)),
    ctime: filetimeIso(buf.readBigUInt64LE(at + 16)), // MFT entry changed
    atime: filetimeIso(buf.readBigUInt64LE(at + 24)),
  };
}

/** File attribute bits ($STANDARD_INFORMATION and $FILE_NAME flags). */
export const FileAttr = { readOnly: 0x1, reparsePoint: 0x400, compressed: 0x800, encrypted: 0x4000, directory: 0x10000000 } as const;

/** $STANDARD_INFORMATION: the times Windows shows, and the file attribute bits. */
export interface StandardInfo extends NtfsTimes { fileAttributes: number }

/** Parses a $STANDARD_INFORMATION value. */
export function parseStandardInfo(v: Buffer, what: string): StandardInfo {
  if (v.length < 36) throw new AppError('UNREADABLE', `${what}: $STANDARD_INFORMATION of ${v.length} bytes is too short`);
  return { ...times(v, 0), fileAttributes: v.readUInt32LE(32) };
}

/** Name spaces of a $FILE_NAME: POSIX, Win32, DOS 8.3, or one name valid in both Win32 and DOS. */
export const Namespace = { posix: 0, win32: 1, dos: 2, win32AndDos: 3 } as const;

/** A $FILE_NAME value (also the key of every directory index entry). */
export interface FileName extends NtfsTimes {
  parent: number;
  parentSeq: number;
  realSize: number;
  flags: number;
  reparseTag: number;
  namespace: number;
  name: string;
}

/** Parses a $FILE_NAME value. */
export function parseFileName(v: Buffer, what: string): FileName {
  if (v.length < 0x42) throw new AppError('UNREADABLE', `${what}: $FILE_NAME of ${v.length} bytes is too short`);
  const len = v[0x40]!;
  if (0x42 + len * 2 > v.length) throw new AppError('UNREADABLE', `${what}: $FILE_NAME name runs past its value`);
  const parent = fileRef(v, 0);
  return {
    parent: parent.num, parentSeq: parent.seq, ...times(v, 8),
    realSize: Number(v.readBigUInt64LE(0x30)), flags: v.readUInt32LE(0x38), reparseTag: v.readUInt32LE(0x3c),
    namespace: v[0x41]!, name: v.toString('utf16le', 0x42, 0x42 + len * 2),
  };
}

/** Reparse tags shown as symlinks: symbolic links and junctions (mount points). */
export const ReparseTag = { mountPoint: 0xa0000003, symlink: 0xa000000c } as const;

/** Whether a reparse tag makes the entry a link (never followed) rather than 'other'. */
export function isLinkTag(tag: number): boolean {
  return tag === ReparseTag.symlink || tag === ReparseTag.mountPoint;
}

/** A $REPARSE_POINT value: its tag and, for symlinks and junctions, the target as Windows prints it. */
export function parseReparse(v: Buffer): { tag: number; target: string | null } {
  if (v.length < 8) return { tag: 0, target: null };
  const tag = v.readUInt32LE(0);
  if (!isLinkTag(tag) || v.length < 16) return { tag, target: null };
  const subOff = v.readUInt16LE(8);
  const subLen = v.readUInt16LE(10);
  const printOff = v.readUInt16LE(12);
  const printLen = v.readUInt16LE(14);
  const pathStart = tag === ReparseTag.symlink ? 20 : 16; // symlinks carry a 4-byte flags field first
  const str = (off: number, len: number): string | null =>
    len > 0 && pathStart + off + len <= v.length ? v.toString('utf16le', pathStart + off, pathStart + off + len) : null;
  return { tag, target: str(printOff, printLen) ?? str(subOff, subLen) };
}
