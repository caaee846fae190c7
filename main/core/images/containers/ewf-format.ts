// Layout facts from libyal's "Expert Witness Compression Format (EWF)" document (EWF v1, EnCase/FTK).
import { inflateSync } from 'node:zlib';
import { AppError } from '../../../../shared/errors.js';
import { adler32 } from './checksums.js';

export const EVF_SIGNATURE = Buffer.from([0x45, 0x56, 0x46, 0x09, 0x0d, 0x0a, 0xff, 0x00]);
export const LVF_SIGNATURE = Buffer.from([0x4c, 0x56, 0x46, 0x09, 0x0d, 0x0a, 0xff, 0x00]);
export const FILE_HEADER_SIZE = 13;
export const SECTION_DESCRIPTOR_SIZE = 76;

/** One section descriptor: its type, where it starts, its declared size and the next one's offset. */
export interface SectionDescriptor {
  type: string;
  offset: number; // of the descriptor in the segment file
  size: number; // descriptor + data, as declared
  next: number;
  checksumOk: boolean;
}

/** Parses the 13-byte segment file header; returns the segment number. */
export function parseFileHeader(buf: Buffer, file: string): number {
  if (buf.length < FILE_HEADER_SIZE || !buf.subarray(0, 8).equals(EVF_SIGNATURE)) {
    if (buf.subarray(0, 8).equals(LVF_SIGNATURE)) {
      throw new AppError('INVALID_INPUT', `${file} is a logical evidence file (L01), not a disk image`);
    }
    throw new AppError('INVALID_INPUT', `${file} is not an EWF segment file (no EVF signature)`);
  }
  return buf.readUInt16LE(9);
}

/** Parses a 76-byte section descriptor found at `offset`. */
export function parseSectionDescriptor(buf: Buffer, offset: number): SectionDescriptor {
  const type = buf.subarray(0, 16).toString('latin1').replace(/\0.*$/s, '');
  return {
    type,
    offset,
    next: Number(buf.readBigUInt64LE(16)),
    size: Number(buf.readBigUInt64LE(24)),
    checksumOk: adler32(buf, 0, 72) === buf.readUInt32LE(72),
  };
}

/** Media geometry from a 'volume', 'disk' or 'data' section. */
export interface EwfVolume {
  mediaType: number;
  chunkCount: number;
  sectorsPerChunk: number;
  bytesPerSector: number;
  sectorCount: number;
  mediaFlags: number;
  compressionLevel: number;
  errorGranularity: number;
  setIdentifier: string;
}

/** Parses volume data; the 94-byte SMART layout and the 1052-byte EnCase layout differ. */
export function parseVolume(data: Buffer): EwfVolume {
  if (data.length < 94) throw new AppError('UNREADABLE', `EWF volume section too short (${data.length} bytes)`);
  const smart = data.length < 1052;
  const guid = smart ? '' : formatGuid(data.subarray(64, 80));
  return {
    mediaType: smart ? 0 : data[0]!,
    chunkCount: data.readUInt32LE(4),
    sectorsPerChunk: data.readUInt32LE(8),
    bytesPerSector: data.readUInt32LE(12),
    sectorCount: smart ? data.readUInt32LE(16) : Number(data.readBigUInt64LE(16)),
    mediaFlags: smart ? 0 : data[36]!,
    compressionLevel: smart ? 0 : data[52]!,
    errorGranularity: smart ? 0 : data.readUInt32LE(56),
    setIdentifier: guid,
  };
}

function formatGuid(b: Buffer): string {
  // libewf prints the set identifier with the first three groups little-endian, as Windows GUIDs.
  const h = (s: Buffer) => s.toString('hex');
  const rev = (s: Buffer) => h(Buffer.from(s).reverse());
  return `${rev(b.subarray(0, 4))}-${rev(b.subarray(4, 6))}-${rev(b.subarray(6, 8))}-${h(b.subarray(8, 10))}-${h(b.subarray(10, 16))}`;
}

/** The acquisition details an examiner typed when the image was made. */
export interface EwfHeaderValues {
  caseNumber?: string;
  evidenceNumber?: string;
  description?: string;
  examiner?: string;
  notes?: string;
  acquisitionDate?: string; // ISO 8601; ends with Z when the image stored a UTC timestamp
  systemDate?: string;
  operatingSystem?: string;
  softwareVersion?: string;
  model?: string;
  serialNumber?: string;
}

const keyNames: Record<string, keyof EwfHeaderValues> = {
  c: 'caseNumber',
  n: 'evidenceNumber',
  a: 'description',
  e: 'examiner',
  t: 'notes',
  m: 'acquisitionDate',
  u: 'systemDate',
  ov: 'operatingSystem',
  av: 'softwareVersion',
  md: 'model',
  sn: 'serialNumber',
};

/** Inflates and parses a 'header' (ASCII) or 'header2' (UTF-16LE) section. */
export function parseHeaderSection(compressed: Buffer, type: string): EwfHeaderValues {
  let raw: Buffer;
  try {
    raw = inflateSync(compressed);
  } catch (err) {
    throw new AppError('UNREADABLE', `EWF ${type} section does not decompress: ${(err as Error).message}`);
  }
  const utf16 = raw.length >= 2 && raw[0] === 0xff && raw[1] === 0xfe;
  const text = utf16 ? raw.subarray(2).toString('utf16le') : raw.toString('latin1');
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => l === 'main');
  if (at < 0 || lines.length < at + 3) return {};
  const keys = lines[at + 1]!.split('\t');
  const values = lines[at + 2]!.split('\t');
  const out: EwfHeaderValues = {};
  keys.forEach((k, i) => {
    const name = keyNames[k];
    const v = values[i] ?? '';
    if (!name || v === '') return;
    out[name] = name === 'acquisitionDate' || name === 'systemDate' ? parseHeaderDate(v) : v;
  });
  return out;
}

/** header2 stores a POSIX timestamp; header stores "YYYY M D h m s" in the acquiring machine's clock. */
function parseHeaderDate(v: string): string {
  if (/^\d+$/.test(v)) return new Date(Number(v) * 1000).toISOString().replace('.000Z', 'Z');
  const p = v.trim().split(/\s+/).map(Number);
  if (p.length === 6 && p.every((n) => Number.isFinite(n))) {
    const two = (n: number) => String(n).padStart(2, '0');
    return `${p[0]}-${two(p[1]!)}-${two(p[2]!)}T${two(p[3]!)}:${two(p[4]!)}:${two(p[5]!)}`;
  }
  return v;
}

/** One table entry: where a chunk lives in its segment file and whether it is zlib-compressed. */
export interface TableEntry {
  offset: number;
  compressed: boolean;
}

/** Parses a 'table'/'table2' section's data (24-byte header, then 4-byte entries). */
export function parseTable(data: Buffer): { entries: TableEntry[]; headerOk: boolean } {
  if (data.length < 24) throw new AppError('UNREADABLE', 'EWF table section too short');
  const count = data.readUInt32LE(0);
  const base = Number(data.readBigUInt64LE(8));
  const headerOk = adler32(data, 0, 20) === data.readUInt32LE(20);
  if (24 + count * 4 > data.length) throw new AppError('UNREADABLE', `EWF table claims ${count} entries but is truncated`);
  const entries: TableEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const v = data.readUInt32LE(24 + i * 4);
    entries.push({ offset: base + (v & 0x7fffffff), compressed: (v & 0x80000000) !== 0 });
  }
  return { entries, headerOk };
}

/** A table's entries when its header and entry-array checksums hold, else null (so table2 can stand in). */
export function tableOrNull(data: Buffer): TableEntry[] | null {
  try {
    const { entries, headerOk } = parseTable(data);
    const end = 24 + entries.length * 4;
    const arrayOk = data.length < end + 4 || adler32(data, 24, end) === data.readUInt32LE(end);
    return headerOk && arrayOk ? entries : null;
  } catch {
    return null;
  }
}

/** Hex of a stored hash; an all-zero field means the acquiring tool stored none. */
export function hexUnlessZero(b: Buffer): string | undefined {
  return b.length > 0 && b.some((x) => x !== 0) ? b.toString('hex') : undefined;
}
