/** Inode flags we act on. */
export const InodeFlags = { index: 0x1000, hugeFile: 0x40000, extents: 0x80000, inlineData: 0x10000000 } as const;

/** A timestamp split into whole seconds since the epoch and nanoseconds. */
export interface ExtTime { seconds: number; ns: number }

/** A decoded on-disk inode. */
export interface RawInode {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  flags: number;
  blocks512: number;
  fileAcl: number;
  atime: ExtTime;
  ctime: ExtTime;
  mtime: ExtTime;
  dtime: number;
  crtime: ExtTime | null;
  iblock: Buffer; // the 60-byte i_block area: block map, extent root, fast symlink or inline data
  raw: Buffer;
}

/** Decodes a 32-bit time plus the optional ext4 "extra" word (2 epoch bits, 30 nanosecond bits). */
export function decodeTime(lo: number, extra: number | null): ExtTime {
  let seconds = lo | 0; // signed: times before 1970 are negative
  let ns = 0;
  if (extra !== null) {
    seconds += (extra & 3) * 2 ** 32;
    ns = extra >>> 2;
    if (ns > 999_999_999) ns = 0;
  }
  return { seconds, ns };
}

let cachedDay = Number.NaN;
let cachedDayIso = '';
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** UTC ISO-8601 with milliseconds, or null when absent. */
export function isoTime(t: ExtTime | null): string | null {
  if (!t) return null;
  // Listing 100k files formats 400k times; formatting the date part once per day keeps that cheap.
  const day = Math.floor(t.seconds / 86400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayIso = new Date(day * 86_400_000).toISOString().slice(0, -13);
  }
  const s = t.seconds - day * 86400;
  const ms = Math.floor(t.ns / 1e6);
  return `${cachedDayIso}${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}.${pad(ms, 3)}Z`;
}

/** Parses `inodeSize` bytes of an inode table slot. */
export function parseInode(ino: number, raw: Buffer): RawInode {
  const extraIsize = raw.length > 128 ? raw.readUInt16LE(0x80) : 0;
  // An extra field exists only when i_extra_isize says the inode was written with room for it.
  const extra = (off: number): number | null => (off + 4 <= 128 + extraIsize && off + 4 <= raw.length ? raw.readUInt32LE(off) : null);
  const crLo = extra(0x90);
  return {
    ino,
    mode: raw.readUInt16LE(0x00),
    uid: raw.readUInt16LE(0x02) | (raw.readUInt16LE(0x78) << 16),
    gid: raw.readUInt16LE(0x18) | (raw.readUInt16LE(0x7a) << 16),
    size: raw.readUInt32LE(0x04) + raw.readUInt32LE(0x6c) * 2 ** 32,
    nlink: raw.readUInt16LE(0x1a),
    flags: raw.readUInt32LE(0x20),
    blocks512: raw.readUInt32LE(0x1c) + raw.readUInt16LE(0x74) * 2 ** 32,
    fileAcl: raw.readUInt32LE(0x68) + raw.readUInt16LE(0x76) * 2 ** 32,
    atime: decodeTime(raw.readUInt32LE(0x08), extra(0x8c)),
    ctime: decodeTime(raw.readUInt32LE(0x0c), extra(0x84)),
    mtime: decodeTime(raw.readUInt32LE(0x10), extra(0x88)),
    dtime: raw.readUInt32LE(0x14),
    crtime: crLo === null ? null : decodeTime(crLo, extra(0x94)),
    iblock: raw.subarray(0x28, 0x28 + 60),
    raw,
  };
}

/** File type from the mode's high bits. */
export function modeType(mode: number): 'file' | 'dir' | 'symlink' | 'other' {
  switch (mode & 0xf000) {
    case 0x8000: return 'file';
    case 0x4000: return 'dir';
    case 0xa000: return 'symlink';
    default: return 'other';
  }
}

/** Value of an in-inode extended attribute (index 7 "system", e.g. "data" for inline data), or null. */
export function inodeXattr(raw: Buffer, index: number, name: string): Buffer | null {
  if (raw.length <= 128) return null;
  const start = 128 + raw.readUInt16LE(0x80);
  if (start + 4 > raw.length || raw.readUInt32LE(start) !== 0xea020000) return null;
  const base = start + 4; // value offsets count from the first entry
  let p = base;
  while (p + 16 <= raw.length && raw.readUInt32LE(p) !== 0) {
    const nameLen = raw[p]!;
    const nameIndex = raw[p + 1]!;
    const valueOffs = raw.readUInt16LE(p + 2);
    const valueSize = raw.readUInt32LE(p + 8);
    const entryName = raw.subarray(p + 16, p + 16 + nameLen).toString('latin1');
    if (nameIndex === index && entryName === name) {
      const v = base + valueOffs;
      return v + valueSize <= raw.length ? raw.subarray(v, v + valueSize) : null;
    }
    p += (16 + nameLen + 3) & ~3;
  }
  return null;
}
