/** Recognises and opens the file systems Caseward reads, by their superblock magic. */
import type { ImageReader } from '../containers/image-reader.js';
import { openExt4 } from '../fs-ext4/index.js';
import { openNtfs } from '../fs-ntfs/index.js';
import { openXfs } from '../fs-xfs/xfs.js';
import { detectFat } from '../fs-fat/detect.js';
import type { FileSystem } from '../fs-types.js';

/** A volume's file system as found: opened, or unknown with the reason. */
export type DetectedFs =
  | { kind: 'ext4' | 'xfs' | 'fat' | 'ntfs'; fs: FileSystem; warnings: string[] }
  | { kind: 'unknown'; fs: null; warnings: string[] };

const EXT_MAGIC_AT = 1024 + 0x38;

/** Opens the file system on `reader` when it is ext2/3/4, XFS, NTFS or FAT; never throws (a damaged one is reported). */
export async function detectFileSystem(reader: ImageReader): Promise<DetectedFs> {
  let head: Buffer;
  try {
    head = await reader.read(0, 2048);
  } catch (err) {
    return { kind: 'unknown', fs: null, warnings: [`cannot read the volume: ${(err as Error).message}`] };
  }
  if (head.length >= 11 && head.toString('latin1', 3, 11) === 'NTFS    ') {
    try {
      const fs = await openNtfs(reader);
      return { kind: 'ntfs', fs, warnings: [...fs.warnings] };
    } catch (err) {
      return { kind: 'unknown', fs: null, warnings: [`NTFS boot sector found but the file system cannot be read: ${(err as Error).message}`] };
    }
  }
  const isXfs = head.length >= 4 && head.toString('latin1', 0, 4) === 'XFSB';
  const isExt = head.length >= EXT_MAGIC_AT + 2 && head.readUInt16LE(EXT_MAGIC_AT) === 0xef53;
  const fat = isXfs || isExt ? null : await detectFat(head, reader);
  if (fat) return fat;
  if (!isXfs && !isExt) return { kind: 'unknown', fs: null, warnings: ['no ext2/3/4, XFS, NTFS or FAT file system found'] };
  try {
    if (isXfs) return { kind: 'xfs', fs: await openXfs(reader), warnings: [] };
    const fs = await openExt4(reader);
    return { kind: 'ext4', fs, warnings: [...fs.warnings] };
  } catch (err) {
    return { kind: 'unknown', fs: null, warnings: [`${isXfs ? 'XFS' : 'ext2/3/4'} superblock found but the file system cannot be read: ${(err as Error).message}`] };
  }
}
