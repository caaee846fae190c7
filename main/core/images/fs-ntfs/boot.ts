import { AppError } from '../../../../shared/errors.js';

/** The NTFS boot sector's geometry (the BIOS parameter block and NTFS's own fields). */
export interface NtfsBoot {
  bytesPerSector: number;
  clusterSize: number;
  totalSectors: number;
  totalClusters: number;
  mftLcn: number;
  mftMirrLcn: number;
  recordSize: number;
  indexRecordSize: number;
  serial: string;
}

const isPow2 = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Reads a u64 little-endian as a number, refusing values past 2^53 (no real volume is that large). */
export function u64(buf: Buffer, at: number, what: string): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('UNREADABLE', `${what}: value ${v} is out of range (corrupt?)`);
  return Number(v);
}

// Clusters-per-record fields are signed: a positive count of clusters, or a negative power of two in bytes.
function recordBytes(raw: number, clusterSize: number): number {
  const v = raw > 127 ? raw - 256 : raw;
  return v > 0 ? v * clusterSize : 2 ** -v;
}

/** Parses and checks the boot sector; throws AppError('UNREADABLE') naming the first bad field. */
export function parseBoot(buf: Buffer): NtfsBoot {
  const bad = (why: string): never => {
    throw new AppError('UNREADABLE', `Not a readable NTFS boot sector: ${why}`);
  };
  if (buf.length < 512) bad(`only ${buf.length} bytes could be read`);
  if (buf.toString('latin1', 3, 11) !== 'NTFS    ') bad('OEM id is not "NTFS    "');
  if (buf.readUInt16LE(510) !== 0xaa55) bad('the 0x55AA signature at offset 510 is missing');
  const bytesPerSector = buf.readUInt16LE(0x0b);
  if (!isPow2(bytesPerSector) || bytesPerSector < 256 || bytesPerSector > 4096) bad(`bytes per sector ${bytesPerSector}`);
  const spcRaw = buf[0x0d]!;
  // Values above 0x80 encode clusters larger than 64 KiB as 2^(256 - value) sectors (Windows 10 1709+).
  const sectorsPerCluster = spcRaw > 0x80 ? 2 ** (256 - spcRaw) : spcRaw;
  if (!isPow2(sectorsPerCluster)) bad(`sectors per cluster ${spcRaw}`);
  const clusterSize = bytesPerSector * sectorsPerCluster;
  if (clusterSize > 2 * 1024 * 1024) bad(`cluster size ${clusterSize}`);
  const totalSectors = u64(buf, 0x28, 'NTFS total sectors');
  const totalClusters = Math.floor((totalSectors * bytesPerSector) / clusterSize);
  if (totalClusters < 16) bad(`${totalSectors} sectors is too small for NTFS`);
  const mftLcn = u64(buf, 0x30, 'NTFS $MFT cluster');
  const mftMirrLcn = u64(buf, 0x38, 'NTFS $MFTMirr cluster');
  if (mftLcn >= totalClusters) bad(`$MFT cluster ${mftLcn} is past the end of the volume (${totalClusters} clusters)`);
  const recordSize = recordBytes(buf[0x40]!, clusterSize);
  if (!isPow2(recordSize) || recordSize < 512 || recordSize > 65536) bad(`MFT record size ${recordSize}`);
  const indexRecordSize = recordBytes(buf[0x44]!, clusterSize);
  if (!isPow2(indexRecordSize) || indexRecordSize < 512 || indexRecordSize > 65536) bad(`index record size ${indexRecordSize}`);
  const serial = buf.readBigUInt64LE(0x48).toString(16).toUpperCase().padStart(16, '0');
  return { bytesPerSector, clusterSize, totalSectors, totalClusters, mftLcn, mftMirrLcn, recordSize, indexRecordSize, serial };
}
