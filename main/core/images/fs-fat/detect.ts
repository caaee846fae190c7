// Recognition of a FAT volume for session/detect-fs.ts, kept here so that file needs only one call.
import type { ImageReader } from '../containers/image-reader.js';
import type { DetectedFs } from '../session/detect-fs.js';
import { looksLikeFat } from './bpb.js';
import { openFat } from './fat-fs.js';

/** Null when `head` (the volume's first bytes) is no FAT boot sector; else the opened FAT or why it cannot be read. */
export async function detectFat(head: Buffer, reader: ImageReader): Promise<DetectedFs | null> {
  if (!looksLikeFat(head)) return null;
  try {
    const fs = await openFat(reader);
    return { kind: 'fat', fs, warnings: [...fs.warnings] };
  } catch (err) {
    return { kind: 'unknown', fs: null, warnings: [`FAT boot sector found but the file system cannot be read: ${(err as Error).message}`] };
  }
}
