import type { ImageReader } from '../containers/image-reader.js';
import { extendedTypes, mbrTypeName } from './partition-types.js';
import type { Partition } from './volume-types.js';

const SECTOR = 512;
const MAX_LOGICAL = 128; // an EBR chain longer than this is damaged or hostile

interface RawEntry {
  status: number;
  type: number;
  lba: number;
  count: number;
}

/** Reads the four entries of an MBR or EBR sector; null when the sector is not a partition table. */
export function parseMbrSector(sector: Buffer): RawEntry[] | null {
  if (sector.length < SECTOR || sector[510] !== 0x55 || sector[511] !== 0xaa) return null;
  const entries: RawEntry[] = [];
  for (let i = 0; i < 4; i += 1) {
    const e = sector.subarray(446 + i * 16, 462 + i * 16);
    entries.push({ status: e[0]!, type: e[4]!, lba: e.readUInt32LE(8), count: e.readUInt32LE(12) });
  }
  // A boot status other than 0x00/0x80 means this is a file system boot sector, not a table.
  if (entries.some((e) => e.status !== 0 && e.status !== 0x80)) return null;
  return entries;
}

/** True when the MBR is the protective one GPT disks carry (a single 0xEE entry). */
export function isProtectiveMbr(entries: RawEntry[]): boolean {
  return entries.some((e) => e.type === 0xee);
}

/** Lists MBR partitions including the logical ones of the EBR chain; problems become warnings. */
export async function readMbr(reader: ImageReader, entries: RawEntry[], warnings: string[]): Promise<Partition[]> {
  const parts: Partition[] = [];
  const add = (p: Omit<Partition, 'flags'> & { flags: string[] }) => {
    const clipped = clip(p, reader.size, warnings);
    if (clipped) parts.push(clipped);
  };
  for (let i = 0; i < 4; i += 1) {
    const e = entries[i]!;
    if (e.type === 0 || e.count === 0) continue;
    if (extendedTypes.has(e.type)) {
      await readEbrChain(reader, e.lba, warnings, add);
      continue;
    }
    add({
      index: i + 1,
      start: e.lba * SECTOR,
      size: e.count * SECTOR,
      type: mbrTypeName(e.type),
      typeId: hexType(e.type),
      flags: e.status === 0x80 ? ['bootable'] : [],
    });
  }
  return parts.sort((a, b) => a.index - b.index);
}

async function readEbrChain(
  reader: ImageReader,
  extStart: number,
  warnings: string[],
  add: (p: Partition) => void,
): Promise<void> {
  const seen = new Set<number>();
  let ebr = extStart;
  let index = 5;
  while (ebr !== 0 || index === 5) {
    if (seen.has(ebr)) {
      warnings.push(`Extended partition chain loops back to sector ${ebr}; stopped there`);
      return;
    }
    if (seen.size >= MAX_LOGICAL) {
      warnings.push(`Extended partition chain longer than ${MAX_LOGICAL} entries; stopped`);
      return;
    }
    seen.add(ebr);
    if (ebr * SECTOR + SECTOR > reader.size) {
      warnings.push(`Extended partition table at sector ${ebr} lies past the end of the image`);
      return;
    }
    const entries = parseMbrSector(await reader.read(ebr * SECTOR, SECTOR));
    if (!entries) {
      warnings.push(`Extended partition table at sector ${ebr} has no valid signature`);
      return;
    }
    const [logical, link] = entries as [RawEntry, RawEntry];
    if (logical.type !== 0 && logical.count !== 0) {
      add({
        index,
        start: (ebr + logical.lba) * SECTOR,
        size: logical.count * SECTOR,
        type: mbrTypeName(logical.type),
        typeId: hexType(logical.type),
        flags: ['logical', ...(logical.status === 0x80 ? ['bootable'] : [])],
      });
      index += 1;
    }
    // The link to the next EBR is relative to the start of the extended partition, not to this EBR.
    if (!extendedTypes.has(link.type) || link.lba === 0) return;
    ebr = extStart + link.lba;
  }
}

/** Keeps a partition inside the image: clipped with a warning if it runs past the end, dropped if it starts past it. */
export function clip(p: Partition, imageSize: number, warnings: string[]): Partition | null {
  const name = `Partition ${p.index} (${p.type})`;
  if (p.start >= imageSize) {
    warnings.push(`${name} starts at byte ${p.start}, past the end of the image (${imageSize} bytes); not listed`);
    return null;
  }
  if (p.start + p.size > imageSize) {
    warnings.push(`${name} runs past the end of the image by ${p.start + p.size - imageSize} bytes; clipped to the image (truncated image?)`);
    return { ...p, size: imageSize - p.start, flags: [...p.flags, 'clipped'] };
  }
  return p;
}

function hexType(t: number): string {
  return `0x${t.toString(16).padStart(2, '0')}`;
}
