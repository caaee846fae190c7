import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';
import { parseLvmText, type LvmSection, type LvmValue } from './lvm-text.js';
import type { Extent, Partition } from './volume-types.js';

const SECTOR = 512;
const MDA_MAGIC = ' LVM2 x[5A%r0N*>';

/** Byte offset of the "LABELONE" label in the first four sectors of `base`, or null. */
export async function findLvmLabel(reader: ImageReader, base = 0): Promise<number | null> {
  const head = await reader.read(base, 4 * SECTOR);
  for (let s = 0; s < 4; s += 1) {
    const at = s * SECTOR;
    if (head.length >= at + 32 && head.toString('latin1', at, at + 8) === 'LABELONE' && head.toString('latin1', at + 24, at + 32) === 'LVM2 001') {
      return base + at;
    }
  }
  return null;
}

/** Reads the PV at `base` and maps its volume group's logical volumes onto image byte ranges. */
export async function readLvm(reader: ImageReader, base: number, labelAt: number, warnings: string[]): Promise<Partition[]> {
  const label = await reader.read(labelAt, SECTOR);
  const pvh = labelAt + label.readUInt32LE(20);
  const pv = await reader.read(pvh, SECTOR);
  const pvUuid = pv.toString('latin1', 0, 32);
  // After the UUID and device size: data area list, zero-terminated, then metadata area list.
  let p = 40;
  while (pv.readBigUInt64LE(p) !== 0n) p += 16;
  p += 16;
  const mdas: number[] = [];
  while (p + 16 <= pv.length && pv.readBigUInt64LE(p) !== 0n) {
    mdas.push(Number(pv.readBigUInt64LE(p)));
    p += 16;
  }
  if (mdas.length === 0) {
    warnings.push('LVM2 physical volume has no metadata area on this disk; its logical volumes cannot be mapped');
    return [];
  }
  const text = await readMetadataText(reader, base + mdas[0]!);
  const root = parseLvmText(text);
  const vgName = Object.keys(root).find((k) => typeof root[k] === 'object' && !Array.isArray(root[k]));
  if (!vgName) throw new AppError('UNREADABLE', 'LVM2 metadata has no volume group');
  const vg = root[vgName] as LvmSection;
  const extentBytes = num(vg.extent_size) * SECTOR;
  const pvs = (vg.physical_volumes ?? {}) as LvmSection;
  const pvName = Object.keys(pvs).find((k) => str((pvs[k] as LvmSection).id).replace(/-/g, '') === pvUuid);
  if (!pvName) throw new AppError('UNREADABLE', `LVM2 metadata of ${vgName} does not list this physical volume`);
  const peStart = base + num((pvs[pvName] as LvmSection).pe_start) * SECTOR;
  const lvs = (vg.logical_volumes ?? {}) as LvmSection;
  const out: Partition[] = [];
  let index = 0;
  for (const [lvName, lvValue] of Object.entries(lvs)) {
    index += 1;
    const lv = lvValue as LvmSection;
    const extents: Extent[] = [];
    let problem = '';
    for (const [key, segValue] of Object.entries(lv)) {
      if (!/^segment\d+$/.test(key)) continue;
      const seg = segValue as LvmSection;
      const stripes = (seg.stripes ?? []) as LvmValue[];
      if (seg.type !== 'striped' || num(seg.stripe_count) !== 1) {
        problem = `segment type "${str(seg.type)}"${seg.stripe_count ? ` with ${num(seg.stripe_count)} stripes` : ''} is not supported`;
        break;
      }
      if (stripes[0] !== pvName) {
        problem = `it uses physical volume ${str(stripes[0])}, which is not on this disk`;
        break;
      }
      extents.push({
        logical: num(seg.start_extent) * extentBytes,
        physical: peStart + num(stripes[1]) * extentBytes,
        size: num(seg.extent_count) * extentBytes,
      });
    }
    const label = `${vgName}/${lvName}`;
    if (problem || extents.length === 0) {
      warnings.push(`LVM2 logical volume ${label} cannot be read: ${problem || 'it has no segments'}`);
      continue;
    }
    extents.sort((a, b) => a.logical - b.logical);
    const size = extents.reduce((n, e) => n + e.size, 0);
    const end = Math.max(...extents.map((e) => e.physical + e.size));
    if (end > reader.size) {
      warnings.push(`LVM2 logical volume ${label} runs past the end of the image; not listed (truncated image?)`);
      continue;
    }
    const contiguous = extents.every((e) => e.physical - extents[0]!.physical === e.logical);
    out.push({
      index,
      start: extents[0]!.physical,
      size,
      type: 'LVM2 linear',
      typeId: 'lvm2',
      label,
      uuid: str(lv.id),
      flags: Array.isArray(lv.status) && !lv.status.includes('WRITE') ? ['read-only'] : [],
      ...(contiguous ? {} : { extents }),
    });
  }
  return out;
}

async function readMetadataText(reader: ImageReader, mdaStart: number): Promise<string> {
  const h = await reader.read(mdaStart, SECTOR);
  if (h.toString('latin1', 4, 20) !== MDA_MAGIC) throw new AppError('UNREADABLE', `LVM2 metadata area at ${mdaStart} has no magic`);
  const mdaSize = Number(h.readBigUInt64LE(32));
  const offset = Number(h.readBigUInt64LE(40));
  const size = Number(h.readBigUInt64LE(48));
  if (offset === 0 || size === 0) throw new AppError('UNREADABLE', 'LVM2 metadata area holds no metadata');
  // The text area is a ring buffer after the 512-byte header: a long record may wrap to its start.
  const first = Math.min(size, mdaSize - offset);
  const parts = [await reader.read(mdaStart + offset, first)];
  if (first < size) parts.push(await reader.read(mdaStart + SECTOR, size - first));
  return Buffer.concat(parts).toString('utf8').replace(/\0+$/, '');
}

function num(v: LvmValue | undefined): number {
  if (typeof v !== 'number') throw new AppError('UNREADABLE', `LVM2 metadata: expected a number, found ${JSON.stringify(v)}`);
  return v;
}

function str(v: LvmValue | undefined): string {
  return typeof v === 'string' ? v : String(v ?? '');
}
