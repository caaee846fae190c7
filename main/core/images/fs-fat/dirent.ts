// FAT directory entries: 32-byte 8.3 entries, VFAT long-name entries (checksum checked), attributes and DOS times.

export const ATTR_READONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME = 0x08;
export const ATTR_DIR = 0x10;
export const ATTR_ARCHIVE = 0x20;
const ATTR_LFN = 0x0f;
const DELETED = 0xe5;

/** The fields of one 8.3 directory entry. */
export interface ShortEntry {
  /** 8.3 name as TSK shows it: lower-case flags applied, a deleted entry's lost first byte shown as '_'. */
  shortName: string;
  attr: number;
  deleted: boolean;
  startCluster: number;
  size: number;
  /** Local times of the writing machine, presented as UTC (see docs/images.md). */
  mtime: string | null;
  atime: string | null;
  crtime: string | null;
}

/** One listed entry with its long name when a valid VFAT chain precedes it. */
export interface FatDirent extends ShortEntry {
  inode: number;
  name: string;
  volumeLabel: boolean;
}

/** Attribute names of an entry, in bit order. */
export function attributeNames(attr: number): string[] {
  const names: [number, string][] = [[ATTR_READONLY, 'read-only'], [ATTR_HIDDEN, 'hidden'], [ATTR_SYSTEM, 'system'],
    [ATTR_VOLUME, 'volume-label'], [ATTR_DIR, 'directory'], [ATTR_ARCHIVE, 'archive']];
  return names.filter(([bit]) => (attr & bit) !== 0).map(([, n]) => n);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A DOS date/time as ISO-8601 with a Z (the wall-clock value, not converted), or null when absent or invalid. */
export function dosTime(date: number, time: number, tenMs = 0): string | null {
  if (date === 0) return null;
  const year = 1980 + (date >> 9);
  const month = (date >> 5) & 0x0f;
  const day = date & 0x1f;
  const hour = time >> 11;
  const minute = (time >> 5) & 0x3f;
  const second = (time & 0x1f) * 2 + Math.floor(tenMs / 100);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || tenMs > 199) return null;
  // Date.UTC rolls 31 February over into March; a date that does not round-trip was never valid.
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.${pad((tenMs % 100) * 10, 3)}Z`;
}

/** The VFAT checksum of an 11-byte short name, stored in each of its long-name entries. */
export function shortNameChecksum(raw: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + raw[i]!) & 0xff;
  return sum;
}

function shortName(e: Buffer, attr: number): string {
  const lowerBase = (e[12]! & 0x08) !== 0;
  const lowerExt = (e[12]! & 0x10) !== 0;
  const part = (from: number, to: number, lower: boolean): string => {
    let s = '';
    for (let i = from; i < to; i++) {
      let b = e[i]!;
      if (b === 0 || b === 0x20) break;
      if (i === 0 && b === DELETED) { s += '_'; continue; }
      if (i === 0 && b === 0x05) b = DELETED; // 0x05 stands for a real 0xE5 first byte (a Kanji lead byte)
      s += lower && b >= 0x41 && b <= 0x5a ? String.fromCharCode(b + 32) : String.fromCharCode(b);
    }
    return s;
  };
  if ((attr & ATTR_VOLUME) !== 0) return e.toString('latin1', 0, 11).replace(/[\0\xff]/g, '');
  const base = part(0, 8, lowerBase);
  const ext = part(8, 11, lowerExt);
  return ext ? `${base}.${ext}` : base;
}

/** Decodes one 32-byte 8.3 entry. `fat32` decides whether the high cluster word counts. */
export function parseShortEntry(e: Buffer, fat32: boolean): ShortEntry {
  const attr = e[11]!;
  return {
    shortName: shortName(e, attr),
    attr,
    deleted: e[0] === DELETED,
    startCluster: (fat32 ? e.readUInt16LE(20) * 0x10000 : 0) + e.readUInt16LE(26),
    size: e.readUInt32LE(28),
    mtime: dosTime(e.readUInt16LE(24), e.readUInt16LE(22)),
    atime: dosTime(e.readUInt16LE(18), 0),
    crtime: dosTime(e.readUInt16LE(16), e.readUInt16LE(14), e[13]!),
  };
}

/** True for a slot that is an 8.3 entry (not a long-name part, not never-used). */
export function isShortEntry(e: Buffer): boolean {
  return e[0] !== 0 && (e[11]! & 0x3f) !== ATTR_LFN;
}

function lfnChars(e: Buffer): Buffer {
  return Buffer.concat([e.subarray(1, 11), e.subarray(14, 26), e.subarray(28, 32)]);
}

function lfnName(parts: Buffer[]): string {
  const all = Buffer.concat(parts);
  let end = all.length;
  for (let i = 0; i + 1 < all.length; i += 2) {
    if (all[i] === 0 && all[i + 1] === 0) { end = i; break; }
  }
  return all.subarray(0, end).toString('utf16le').replace(/\uffff+$/, '');
}

/** Limits that tell a real deleted entry from leftover bytes. */
export interface DirentLimits { fat32: boolean; lastCluster: number; dataBytes: number }

/**
 * Parses directory content. `inodeOf(i)` gives slot i's TSK-compatible address. '.' and '..' are left out; a
 * long name is used only when its parts are in sequence and their checksum matches the 8.3 entry that follows.
 */
export function parseDirectory(buf: Buffer, inodeOf: (slot: number) => number, lim: DirentLimits): FatDirent[] {
  const out: FatDirent[] = [];
  let parts: Buffer[] = []; // long-name parts in physical order (last part of the name first)
  let sum = -1;
  let expect = 0; // next expected sequence number of a live chain; 0 = none pending
  let deletedChain = false;
  const reset = (): void => { parts = []; sum = -1; expect = 0; deletedChain = false; };
  for (let slot = 0; slot * 32 + 32 <= buf.length; slot++) {
    const e = buf.subarray(slot * 32, slot * 32 + 32);
    if (e[0] === 0) break; // never used: nothing follows
    const attr = e[11]!;
    if ((attr & 0x3f) === ATTR_LFN) {
      const seq = e[0]!;
      if (seq === DELETED) {
        if (!deletedChain || e[13] !== sum) { reset(); deletedChain = true; sum = e[13]!; }
        parts.push(lfnChars(e));
      } else if ((seq & 0x40) !== 0) {
        reset();
        expect = (seq & 0x1f) - 1;
        sum = e[13]!;
        parts.push(lfnChars(e));
      } else if (!deletedChain && parts.length > 0 && (seq & 0x1f) === expect && e[13] === sum) {
        expect--;
        parts.push(lfnChars(e));
      } else reset();
      continue;
    }
    const s = parseShortEntry(e, lim.fat32);
    let name = s.shortName;
    if (parts.length > 0) {
      const live = !deletedChain && expect === 0 && !s.deleted && sum === shortNameChecksum(e);
      // A deleted 8.3 entry lost its first byte, so its checksum cannot be recomputed; its parts must agree with each other.
      const dead = deletedChain && s.deleted;
      if (live || dead) name = lfnName([...parts].reverse());
    }
    reset();
    if (e[0] === 0x2e) continue; // '.' and '..'
    const volumeLabel = (attr & ATTR_VOLUME) !== 0 && (attr & ATTR_DIR) === 0;
    if (s.deleted && !plausibleDeleted(s, lim)) continue;
    if (volumeLabel) name = `${e.toString('latin1', 0, 11).replace(/[\0\xff]/g, '')} (Volume Label Entry)`;
    out.push({ ...s, inode: inodeOf(slot), name, volumeLabel });
  }
  return out;
}

function plausibleDeleted(s: ShortEntry, lim: DirentLimits): boolean {
  if (s.startCluster > lim.lastCluster || s.size > lim.dataBytes) return false;
  if (s.size > 0 && s.startCluster === 0) return false;
  return s.mtime !== null || s.crtime !== null || s.startCluster !== 0;
}
