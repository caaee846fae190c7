import type { ImageReader } from '../containers/image-reader.js';
import { crc32 } from '../containers/checksums.js';
import { clip } from './mbr.js';
import { formatGuid, gptTypeName } from './partition-types.js';
import type { Partition } from './volume-types.js';

const SIGNATURE = 'EFI PART';
const MAX_ENTRIES = 4096;

interface GptHeader {
  backupLba: number;
  entriesLba: number;
  entryCount: number;
  entrySize: number;
  entriesCrc: number;
  diskGuid: string;
}

/** Reads and checks a GPT header at `lba`; returns why it is unusable instead of throwing. */
async function readHeader(reader: ImageReader, lba: number, sectorSize: number): Promise<GptHeader | string> {
  if (lba <= 0 || (lba + 1) * sectorSize > reader.size) return `header sector ${lba} lies outside the image`;
  const s = await reader.read(lba * sectorSize, sectorSize);
  if (s.subarray(0, 8).toString('latin1') !== SIGNATURE) return `no "EFI PART" signature at sector ${lba}`;
  const size = s.readUInt32LE(12);
  if (size < 92 || size > sectorSize) return `header at sector ${lba} has an impossible size ${size}`;
  const copy = Buffer.from(s.subarray(0, size));
  copy.writeUInt32LE(0, 16);
  if (crc32(copy) !== s.readUInt32LE(16)) return `header at sector ${lba} fails its CRC32`;
  const h: GptHeader = {
    backupLba: Number(s.readBigUInt64LE(32)),
    entriesLba: Number(s.readBigUInt64LE(72)),
    entryCount: s.readUInt32LE(80),
    entrySize: s.readUInt32LE(84),
    entriesCrc: s.readUInt32LE(88),
    diskGuid: formatGuid(s.subarray(56, 72)),
  };
  if (h.entrySize < 128 || h.entrySize % 8 !== 0 || h.entryCount > MAX_ENTRIES) {
    return `header at sector ${lba} describes ${h.entryCount} entries of ${h.entrySize} bytes`;
  }
  const bytes = h.entryCount * h.entrySize;
  if (h.entriesLba * sectorSize + bytes > reader.size) return `entry array of the header at sector ${lba} lies past the end of the image`;
  const arr = await reader.read(h.entriesLba * sectorSize, bytes);
  if (crc32(arr) !== h.entriesCrc) return `entry array of the header at sector ${lba} fails its CRC32`;
  return h;
}

/** Finds the sector size (512 or 4096) at which a GPT signature sits in sector 1. */
export async function detectGpt(reader: ImageReader): Promise<number | null> {
  for (const ss of [512, 4096]) {
    if (reader.size < ss * 2) continue;
    const sig = (await reader.read(ss, 8)).toString('latin1');
    if (sig === SIGNATURE) return ss;
  }
  return null;
}

/** Lists GPT partitions; falls back to the backup header (and says so) when the primary is damaged. */
export async function readGpt(reader: ImageReader, sectorSize: number, warnings: string[]): Promise<Partition[] | null> {
  const primary = await readHeader(reader, 1, sectorSize);
  let header: GptHeader;
  if (typeof primary === 'string') {
    const lastLba = Math.floor(reader.size / sectorSize) - 1;
    const backup = await readHeader(reader, lastLba, sectorSize);
    if (typeof backup === 'string') {
      warnings.push(`GPT primary ${primary}; backup ${backup}. No usable GPT.`);
      return null;
    }
    warnings.push(`GPT primary ${primary}; using the backup header at sector ${lastLba}`);
    header = backup;
  } else {
    header = primary;
    const backup = await readHeader(reader, header.backupLba, sectorSize);
    if (typeof backup === 'string') warnings.push(`GPT backup header is damaged or missing: ${backup}`);
  }
  const arr = await reader.read(header.entriesLba * sectorSize, header.entryCount * header.entrySize);
  const parts: Partition[] = [];
  for (let i = 0; i < header.entryCount; i += 1) {
    const e = arr.subarray(i * header.entrySize, (i + 1) * header.entrySize);
    if (e.subarray(0, 16).every((b) => b === 0)) continue;
    const typeGuid = formatGuid(e.subarray(0, 16));
    const first = Number(e.readBigUInt64LE(32));
    const last = Number(e.readBigUInt64LE(40));
    const attrs = e.readBigUInt64LE(48);
    const name = e.subarray(56, 128).toString('utf16le').replace(/\0.*$/s, '');
    if (last < first) {
      warnings.push(`GPT entry ${i + 1} ends (sector ${last}) before it starts (sector ${first}); skipped`);
      continue;
    }
    const flags: string[] = [];
    if (attrs & 1n) flags.push('required');
    if (attrs & 2n) flags.push('no-block-io');
    if (attrs & 4n) flags.push('legacy-bios-bootable');
    if (attrs & (1n << 60n)) flags.push('read-only');
    if (attrs & (1n << 62n)) flags.push('hidden');
    if (attrs & (1n << 63n)) flags.push('no-automount');
    const p = clip(
      {
        index: i + 1,
        start: first * sectorSize,
        size: (last - first + 1) * sectorSize,
        type: gptTypeName(typeGuid),
        typeId: typeGuid,
        ...(name ? { label: name } : {}),
        uuid: formatGuid(e.subarray(16, 32)),
        flags,
      },
      reader.size,
      warnings,
    );
    if (p) parts.push(p);
  }
  return parts;
}
