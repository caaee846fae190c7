// FAT boot sector (BIOS parameter block): layout of a FAT12/16/32 volume, as Microsoft's FAT specification defines it.
import { AppError } from '../../../../shared/errors.js';

/** Where everything of a FAT volume lies, in bytes and clusters. */
export interface FatGeometry {
  type: 12 | 16 | 32;
  sectorSize: number;
  sectorsPerCluster: number;
  clusterSize: number;
  reservedSectors: number;
  numFats: number;
  sectorsPerFat: number;
  totalSectors: number;
  /** Sector just after the FATs: the root directory region on FAT12/16, the cluster area on FAT32 (TSK's "firstdatasect"). */
  firstDataSector: number;
  /** Sector of cluster 2. */
  firstClusterSector: number;
  /** Entries of the fixed root directory region (FAT12/16); 0 on FAT32. */
  rootEntryCount: number;
  /** First cluster of the root directory on FAT32; 0 on FAT12/16. */
  rootCluster: number;
  clusterCount: number;
  /** Highest valid cluster number (clusterCount + 1). */
  lastCluster: number;
  oemName: string;
  volumeId: number | null;
  /** Label from the boot sector's extended BPB ('' when absent or "NO NAME"). */
  bpbLabel: string;
  /** Which FAT is in use when FAT32 mirroring is off (0-based). */
  activeFat: number;
  /** False when a FAT32 volume says only its active FAT is kept up to date. */
  mirrored: boolean;
}

const JUMP = new Set([0xeb, 0xe9]);
const SECTOR_SIZES = new Set([512, 1024, 2048, 4096]);

/** True when `head` (the first sector or more) looks like a FAT boot sector; cheap, for detection only. */
export function looksLikeFat(head: Buffer): boolean {
  if (head.length < 512 || head[510] !== 0x55 || head[511] !== 0xaa || !JUMP.has(head[0]!)) return false;
  const oem = head.toString('latin1', 3, 11);
  if (oem.startsWith('NTFS') || oem.startsWith('EXFAT')) return false;
  // The type string is informational only, so a volume without it is still accepted when the BPB fields are plausible.
  if (head.toString('latin1', 54, 57) === 'FAT' || head.toString('latin1', 82, 85) === 'FAT') return true;
  const spc = head[13]!;
  return SECTOR_SIZES.has(head.readUInt16LE(11)) && spc > 0 && (spc & (spc - 1)) === 0 &&
    head.readUInt16LE(14) > 0 && head[16]! >= 1 && head[16]! <= 4;
}

/** Decodes and checks the boot sector; throws AppError('UNREADABLE') naming the bad field. */
export function parseBpb(buf: Buffer, volumeSize: number, where: string): FatGeometry {
  const bad = (what: string): AppError => new AppError('UNREADABLE', `FAT boot sector of ${where} is corrupt: ${what}`);
  if (buf.length < 512) throw bad('it is shorter than 512 bytes');
  if (buf[510] !== 0x55 || buf[511] !== 0xaa) throw bad('the 0x55AA signature is missing');
  const sectorSize = buf.readUInt16LE(11);
  if (!SECTOR_SIZES.has(sectorSize)) throw bad(`bytes per sector ${sectorSize} is not 512, 1024, 2048 or 4096`);
  const spc = buf[13]!;
  if (spc === 0 || (spc & (spc - 1)) !== 0) throw bad(`sectors per cluster ${spc} is not a power of two`);
  const reservedSectors = buf.readUInt16LE(14);
  if (reservedSectors === 0) throw bad('reserved sector count is 0');
  const numFats = buf[16]!;
  if (numFats === 0 || numFats > 4) throw bad(`number of FATs ${numFats} is not 1 to 4`);
  const rootEntryCount = buf.readUInt16LE(17);
  const totalSectors = buf.readUInt16LE(19) || buf.readUInt32LE(32);
  if (totalSectors === 0) throw bad('total sector count is 0');
  const spf16 = buf.readUInt16LE(22);
  const sectorsPerFat = spf16 || buf.readUInt32LE(36);
  if (sectorsPerFat === 0) throw bad('sectors per FAT is 0');

  const rootDirSectors = Math.ceil((rootEntryCount * 32) / sectorSize);
  const firstDataSector = reservedSectors + numFats * sectorsPerFat;
  const firstClusterSector = firstDataSector + rootDirSectors;
  if (firstClusterSector >= totalSectors) throw bad(`the FATs and root directory (${firstClusterSector} sectors) fill the whole volume (${totalSectors} sectors)`);
  const clusterCount = Math.floor((totalSectors - firstClusterSector) / spc);
  // The FAT type follows from the cluster count alone (Microsoft's rule), not from the type string.
  const type: 12 | 16 | 32 = clusterCount < 4085 ? 12 : clusterCount < 65525 ? 16 : 32;
  if (type === 32 && (spf16 !== 0 || rootEntryCount !== 0)) throw bad(`${clusterCount} clusters need FAT32, but the BPB has FAT12/16 fields`);
  if (type !== 32 && rootEntryCount === 0) throw bad('FAT12/16 volume without root directory entries');
  const fatBytesNeeded = Math.ceil(((clusterCount + 2) * type) / 8);
  if (sectorsPerFat * sectorSize < fatBytesNeeded) throw bad(`a FAT of ${sectorsPerFat} sectors cannot hold ${clusterCount} clusters`);

  const ext = type === 32 ? 64 : 36; // offset of the extended BPB (drive number, signature, id, label, type)
  const hasExt = buf[ext + 2] === 0x29;
  const rawLabel = hasExt ? buf.toString('latin1', ext + 7, ext + 18).trimEnd() : '';
  const geo: FatGeometry = {
    type, sectorSize, sectorsPerCluster: spc, clusterSize: spc * sectorSize, reservedSectors, numFats, sectorsPerFat,
    totalSectors, firstDataSector, firstClusterSector, rootEntryCount,
    rootCluster: type === 32 ? buf.readUInt32LE(44) : 0,
    clusterCount, lastCluster: clusterCount + 1,
    oemName: buf.toString('latin1', 3, 11).replace(/\0/g, '').trimEnd(),
    volumeId: hasExt ? buf.readUInt32LE(ext + 3) : null,
    bpbLabel: rawLabel === 'NO NAME' ? '' : rawLabel,
    activeFat: type === 32 && (buf.readUInt16LE(40) & 0x80) !== 0 ? buf.readUInt16LE(40) & 0x0f : 0,
    mirrored: type !== 32 || (buf.readUInt16LE(40) & 0x80) === 0,
  };
  if (type === 32 && (geo.rootCluster < 2 || geo.rootCluster > geo.lastCluster)) throw bad(`root directory cluster ${geo.rootCluster} is out of range`);
  if (geo.activeFat >= numFats) throw bad(`active FAT ${geo.activeFat} does not exist`);
  if (volumeSize < firstDataSector * sectorSize) throw bad(`the volume (${volumeSize} bytes) ends inside the FATs`);
  return geo;
}

/** Byte offset of a cluster within the volume. */
export function clusterOffset(g: FatGeometry, cluster: number): number {
  return (g.firstClusterSector + (cluster - 2) * g.sectorsPerCluster) * g.sectorSize;
}

/** TSK-compatible address of the directory entry at volume byte `offset` (root = 2, first slot after the FATs = 3). */
export function inodeAt(g: FatGeometry, offset: number): number {
  return 3 + (offset - g.firstDataSector * g.sectorSize) / 32;
}

/** Volume byte offset of the directory entry with TSK-compatible address `inode` (≥ 3). */
export function offsetOfInode(g: FatGeometry, inode: number): number {
  return g.firstDataSector * g.sectorSize + (inode - 3) * 32;
}
