import { AppError } from '../../../../shared/errors.js';
import { checkRange, sliceReader, type ImageReader } from '../containers/image-reader.js';
import { detectGpt, readGpt } from './gpt.js';
import { findLvmLabel, readLvm } from './lvm.js';
import { isProtectiveMbr, parseMbrSector, readMbr } from './mbr.js';
import type { Extent, Partition, VolumeLayout } from './volume-types.js';

export type { Extent, Partition, VolumeLayout } from './volume-types.js';

/** Finds the volume system of an image (GPT, MBR, or a bare LVM2 PV); never throws for a damaged table. */
export async function listVolumes(reader: ImageReader): Promise<VolumeLayout> {
  const warnings: string[] = [];
  if (reader.size < 512) return { scheme: 'none', sectorSize: 512, partitions: [], warnings: ['Image is smaller than one sector'] };
  try {
    const mbr = parseMbrSector(await reader.read(0, 512));
    const gptSector = await detectGpt(reader);
    if (gptSector !== null || (mbr && isProtectiveMbr(mbr))) {
      if (mbr && !isProtectiveMbr(mbr)) warnings.push('Disk has a GPT but its MBR is not protective (hybrid MBR); the GPT is used');
      const parts = await readGpt(reader, gptSector ?? 512, warnings);
      if (parts) return { scheme: 'gpt', sectorSize: gptSector ?? 512, partitions: await withLvm(reader, parts, warnings), warnings };
      if (!mbr || isProtectiveMbr(mbr)) return { scheme: 'none', sectorSize: 512, partitions: [], warnings };
    }
    if (mbr && mbr.some((e) => e.type !== 0 && e.count !== 0)) {
      const parts = await readMbr(reader, mbr, warnings);
      return { scheme: 'mbr', sectorSize: 512, partitions: await withLvm(reader, parts, warnings), warnings };
    }
    const label = await findLvmLabel(reader, 0);
    if (label !== null) return { scheme: 'lvm', sectorSize: 512, partitions: await readLvm(reader, 0, label, warnings), warnings };
  } catch (err) {
    // A damaged table must not stop the examiner from looking at the raw image.
    warnings.push(`Volume system could not be read: ${(err as Error).message}`);
  }
  return { scheme: 'none', sectorSize: 512, partitions: [], warnings };
}

/** Partitions that hold an LVM2 PV get their logical volumes listed after them, flagged "lvm". */
async function withLvm(reader: ImageReader, parts: Partition[], warnings: string[]): Promise<Partition[]> {
  const out: Partition[] = [];
  let next = Math.max(0, ...parts.map((p) => p.index)) + 1;
  for (const p of parts) {
    out.push(p);
    if (p.size < 4 * 512) continue;
    const label = await findLvmLabel(reader, p.start);
    if (label === null) continue;
    try {
      for (const lv of await readLvm(reader, p.start, label, warnings)) {
        const pieces = lv.extents ?? [{ logical: 0, physical: lv.start, size: lv.size }];
        const inside = pieces.every((e) => e.physical >= p.start && e.physical + e.size <= p.start + p.size);
        if (!inside) warnings.push(`LVM2 logical volume ${lv.label} extends beyond partition ${p.index}`);
        out.push({ ...lv, index: next++, flags: [...lv.flags, 'lvm', `in-partition-${p.index}`] });
      }
    } catch (err) {
      warnings.push(`LVM2 physical volume in partition ${p.index} could not be read: ${(err as Error).message}`);
    }
  }
  return out;
}

/** A reader over one listed volume: a slice for a partition, an extent map for a scattered LVM volume. */
export function openPartition(reader: ImageReader, p: Partition): ImageReader {
  const description = `${p.label ?? `partition ${p.index}`} of ${reader.description}`;
  if (!p.extents) return sliceReader(reader, p.start, p.size, description);
  return extentReader(reader, p.extents, p.size, description);
}

function extentReader(parent: ImageReader, extents: Extent[], size: number, description: string): ImageReader {
  for (const e of extents) {
    if (e.physical + e.size > parent.size) throw new AppError('INVALID_INPUT', `${description} runs past the end of the image`);
  }
  return {
    size,
    description,
    async read(offset: number, length: number): Promise<Buffer> {
      checkRange(offset, length);
      const want = Math.max(0, Math.min(length, size - offset));
      const out = Buffer.alloc(want); // gaps between segments read as zeros
      for (const e of extents) {
        const from = Math.max(offset, e.logical);
        const to = Math.min(offset + want, e.logical + e.size);
        if (from >= to) continue;
        (await parent.read(e.physical + (from - e.logical), to - from)).copy(out, from - offset);
      }
      return out;
    },
    async close(): Promise<void> {},
  };
}
