import { AppError } from '../../../../shared/errors.js';
import { u64 } from './boot.js';
import { decodeRuns, type Run } from './runs.js';

/** Attribute type codes used by the reader. */
export const AttrType = {
  standardInformation: 0x10, attributeList: 0x20, fileName: 0x30, volumeName: 0x60,
  data: 0x80, indexRoot: 0x90, indexAllocation: 0xa0, bitmap: 0xb0, reparsePoint: 0xc0,
} as const;

/** Attribute flags: compressed, encrypted, sparse. */
export const AttrFlags = { compressed: 0x0001, encrypted: 0x4000, sparse: 0x8000 } as const;

/** One attribute as stored in an MFT record; resident ones carry their value, non-resident ones their runs. */
export interface Attr {
  type: number;
  name: string;
  flags: number;
  id: number;
  /** The MFT record that holds this attribute (the base or an extension record). */
  record: number;
  resident: Buffer | null;
  startVcn: number;
  lastVcn: number;
  runs: Run[];
  allocatedSize: number;
  dataSize: number;
  initializedSize: number;
  compressionUnit: number;
}

/** A decoded MFT record (FILE). */
export interface MftRecord {
  num: number;
  inUse: boolean;
  isDir: boolean;
  seq: number;
  linkCount: number;
  /** The base record this extension record belongs to, or 0 for a base record. */
  baseRecord: number;
  attrs: Attr[];
}

/** Splits a 64-bit file reference into its MFT record number (48 bits) and sequence number (16 bits). */
export function fileRef(buf: Buffer, at: number): { num: number; seq: number } {
  return { num: buf.readUIntLE(at, 6), seq: buf.readUInt16LE(at + 6) };
}

/**
 * Checks and undoes the update sequence ("fixups") of a FILE or INDX record, in place: the last two bytes
 * of every 512-byte stride must equal the update sequence number, and are replaced by the saved originals.
 * A mismatch means a torn write or corruption, and is reported rather than read as data.
 */
export function applyFixups(buf: Buffer, magic: 'FILE' | 'INDX', what: string): void {
  const m = buf.toString('latin1', 0, 4);
  if (m === 'BAAD') throw new AppError('UNREADABLE', `${what}: marked bad (BAAD) by chkdsk`);
  if (m !== magic) throw new AppError('UNREADABLE', `${what}: no ${magic} signature (found ${JSON.stringify(m)})`);
  const usaOff = buf.readUInt16LE(4);
  const usaCount = buf.readUInt16LE(6);
  const strides = usaCount - 1;
  if (usaCount < 2 || usaOff + 2 * usaCount > buf.length || strides * 512 > buf.length || usaOff < 8 || usaOff & 1) {
    throw new AppError('UNREADABLE', `${what}: corrupt update sequence array (offset ${usaOff}, count ${usaCount})`);
  }
  const usn = buf.readUInt16LE(usaOff);
  for (let i = 1; i <= strides; i++) {
    const at = i * 512 - 2;
    if (buf.readUInt16LE(at) !== usn) {
      throw new AppError('UNREADABLE', `${what}: fixup mismatch in sector ${i - 1} (torn write or corruption)`);
    }
    buf.writeUInt16LE(buf.readUInt16LE(usaOff + 2 * i), at);
  }
}

/** Parses a FILE record whose fixups were applied. */
export function parseRecord(num: number, buf: Buffer): MftRecord {
  const what = `MFT record ${num}`;
  const flags = buf.readUInt16LE(0x16);
  const used = Math.min(buf.readUInt32LE(0x18), buf.length);
  const first = buf.readUInt16LE(0x14);
  const rec: MftRecord = {
    num, inUse: (flags & 1) !== 0, isDir: (flags & 2) !== 0, seq: buf.readUInt16LE(0x10), linkCount: buf.readUInt16LE(0x12),
    baseRecord: fileRef(buf, 0x20).num, attrs: [],
  };
  let off = first;
  for (let n = 0; off + 8 <= used; n++) {
    const type = buf.readUInt32LE(off);
    if (type === 0xffffffff) break;
    const len = buf.readUInt32LE(off + 4);
    if (len < 16 || off + len > used || n > 512) throw new AppError('UNREADABLE', `${what}: corrupt attribute at byte ${off} (length ${len})`);
    rec.attrs.push(parseAttr(buf.subarray(off, off + len), num, `${what} attribute 0x${type.toString(16)}`));
    off += len;
  }
  return rec;
}

function parseAttr(a: Buffer, record: number, what: string): Attr {
  const nonResident = a[8] !== 0;
  const nameLen = a[9]!;
  const nameOff = a.readUInt16LE(0x0a);
  if (nameLen && nameOff + nameLen * 2 > a.length) throw new AppError('UNREADABLE', `${what}: name runs past the attribute`);
  const attr: Attr = {
    type: a.readUInt32LE(0), name: nameLen ? a.toString('utf16le', nameOff, nameOff + nameLen * 2) : '',
    flags: a.readUInt16LE(0x0c), id: a.readUInt16LE(0x0e), record,
    resident: null, startVcn: 0, lastVcn: 0, runs: [], allocatedSize: 0, dataSize: 0, initializedSize: 0, compressionUnit: 0,
  };
  if (!nonResident) {
    const vLen = a.readUInt32LE(0x10);
    const vOff = a.readUInt16LE(0x14);
    if (a.length < 0x18 || vOff + vLen > a.length) throw new AppError('UNREADABLE', `${what}: resident value runs past the attribute`);
    attr.resident = a.subarray(vOff, vOff + vLen);
    attr.dataSize = attr.initializedSize = attr.allocatedSize = vLen;
    return attr;
  }
  if (a.length < 0x40) throw new AppError('UNREADABLE', `${what}: non-resident header too short`);
  attr.startVcn = u64(a, 0x10, what);
  attr.lastVcn = Number(a.readBigInt64LE(0x18)); // -1 for an empty attribute
  attr.compressionUnit = a.readUInt16LE(0x22);
  attr.allocatedSize = u64(a, 0x28, what);
  attr.dataSize = u64(a, 0x30, what);
  attr.initializedSize = u64(a, 0x38, what);
  const runsOff = a.readUInt16LE(0x20);
  if (runsOff > a.length) throw new AppError('UNREADABLE', `${what}: run list offset past the attribute`);
  attr.runs = decodeRuns(a.subarray(runsOff), attr.startVcn, what);
  return attr;
}
