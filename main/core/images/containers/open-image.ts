import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/errors.js';
import { EVF_SIGNATURE, LVF_SIGNATURE } from './ewf-format.js';
import { EwfReader, type EwfMetadata } from './ewf-reader.js';
import type { ImageReader } from './image-reader.js';
import { findSplitSegments, openRawImage, openSplitRawImage, splitScheme } from './raw-reader.js';

/** The container formats Caseward reads itself. */
export type ImageKind = 'raw' | 'split-raw' | 'ewf';

/** An opened image: its reader, what kind of container it is and the container's own metadata. */
export type OpenedImage =
  | { kind: 'raw'; reader: ImageReader; metadata: { segmentCount: 1 } }
  | { kind: 'split-raw'; reader: ImageReader; metadata: { segmentCount: number; segments: string[] } }
  | { kind: 'ewf'; reader: EwfReader; metadata: EwfMetadata };

/** Opens a disk image read-only, choosing the container by its magic bytes and then by its name. */
export async function openImage(file: string): Promise<OpenedImage> {
  const magic = await readMagic(file);
  if (magic.equals(EVF_SIGNATURE)) {
    const reader = await EwfReader.open(file);
    return { kind: 'ewf', reader, metadata: reader.metadata };
  }
  if (magic.equals(LVF_SIGNATURE)) {
    throw new AppError('INVALID_INPUT', `${file} is a logical evidence file (L01); only disk images can be opened`);
  }
  if (/\.(e|s)\d\d$/i.test(file) && !/\.(e|s)01$/i.test(file)) {
    throw new AppError('INVALID_INPUT', `${file} is not the first EWF segment; open the .E01 file`);
  }
  if (/\.e01$/i.test(file)) throw new AppError('INVALID_INPUT', `${file} is named like an E01 but has no EWF signature`);
  const scheme = splitScheme(file);
  if (scheme && (scheme.numeric || (await hasSecondSegment(file)))) {
    const segments = await findSplitSegments(file);
    if (segments.length > 1 || scheme.numeric) {
      const reader = await openSplitRawImage(file);
      return { kind: 'split-raw', reader, metadata: { segmentCount: segments.length, segments } };
    }
  }
  const reader = await openRawImage(file);
  return { kind: 'raw', reader, metadata: { segmentCount: 1 } };
}

async function hasSecondSegment(file: string): Promise<boolean> {
  try {
    return (await findSplitSegments(file)).length > 1;
  } catch {
    return false;
  }
}

async function readMagic(file: string): Promise<Buffer> {
  let handle;
  try {
    if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('FILE_MISSING', `${path.basename(file)} does not exist (${file})`);
    if (code === 'EISDIR') throw new AppError('NOT_A_FILE', `${file} is not a regular file (a folder or device); open an image file`);
    throw new AppError('UNREADABLE', `Cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await handle.read(buf, 0, 8, 0);
    if (bytesRead === 0) throw new AppError('UNREADABLE', `${file} is empty`);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
