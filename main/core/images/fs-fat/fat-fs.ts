// The FAT FileSystem: TSK-compatible inode numbers, cluster-chain content, TSK-style recovery of deleted files.
import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';
import { LruCache } from '../containers/lru-cache.js';
import type { FileSystem, FsEntry, FsStat } from '../fs-types.js';
import { clusterOffset, inodeAt, offsetOfInode, parseBpb, type FatGeometry } from './bpb.js';
import { ATTR_DIR, ATTR_READONLY, ATTR_VOLUME, attributeNames, isShortEntry, parseDirectory, parseShortEntry, type DirentLimits, type FatDirent, type ShortEntry } from './dirent.js';
import { FatTable, type ClusterRun } from './fat-table.js';

/** FsStat plus what FAT adds: attributes, the 8.3 name, the start cluster, and whether content is a recovery guess. */
export interface FatStat extends FsStat {
  attributes: string[];
  shortName: string;
  startCluster: number;
  deleted: boolean;
  /** True for a deleted file's content: taken from free clusters after its start cluster, as TSK does; may be wrong. */
  bestEffort: boolean;
}

/** Where an inode's bytes lie in the volume. */
interface Layout { extents: { at: number; length: number }[]; size: number; deleted: boolean; entry: ShortEntry | null }

/** TSK's virtual files after the last directory-entry number: the boot sector and each FAT, readable as files. */
interface VirtualFile { name: string; at: number; size: number }

const ROOT = 2;
const LAYOUTS_CACHED = 64; // a file read in 1 MiB chunks hits this instead of walking its chain again

/** Opens a read-only FAT12/16/32 file system on an image or partition reader. */
export async function openFat(reader: ImageReader): Promise<FatFileSystem> {
  const boot = await reader.read(0, 4096);
  let g: FatGeometry;
  let backupUsed = false;
  try {
    g = parseBpb(boot, reader.size, reader.description);
  } catch (err) {
    // FAT32 keeps a copy of its boot sector in sector 6; a damaged primary need not make the volume unreadable.
    const backup = await reader.read(6 * 512, 512).catch(() => Buffer.alloc(0));
    const copy = backup.length === 512 && backup.toString('latin1', 82, 87) === 'FAT32' ? tryParse(backup, reader) : null;
    if (!copy || copy.type !== 32) throw err;
    g = copy;
    backupUsed = true;
  }
  const fs = new FatFileSystem(reader, g);
  if (backupUsed) fs.warnings.push('The boot sector is corrupt; the FAT32 backup boot sector (sector 6) was used');
  await compareFats(reader, g, fs.warnings);
  const needed = g.totalSectors * g.sectorSize;
  if (reader.size < needed) fs.warnings.push(`The image ends ${needed - reader.size} bytes before the end of the FAT file system (truncated); content past byte ${reader.size} cannot be read`);
  try {
    const label = (await fs.rawDir(ROOT)).find((e) => e.volumeLabel && !e.deleted);
    if (label) fs.label = label.shortName.trimEnd();
  } catch (err) {
    fs.warnings.push(`Root directory cannot be read: ${(err as Error).message}`);
  }
  return fs;
}

function tryParse(buf: Buffer, reader: ImageReader): FatGeometry | null {
  try {
    return parseBpb(buf, reader.size, reader.description);
  } catch {
    return null;
  }
}

const FAT_COMPARE_LIMIT = 4 * 1024 * 1024;

/** Warns when the FAT copies differ: a sign of corruption or of a writer that updated one copy only. */
async function compareFats(reader: ImageReader, g: FatGeometry, warnings: string[]): Promise<void> {
  const bytes = g.sectorsPerFat * g.sectorSize;
  // Large FAT32 volumes: not worth reading twice at open. Without mirroring (FAT32 flag) the copies may differ legitimately.
  if (g.numFats < 2 || bytes > FAT_COMPARE_LIMIT || !g.mirrored) return;
  const at = (i: number): number => (g.reservedSectors + i * g.sectorsPerFat) * g.sectorSize;
  const first = await reader.read(at(g.activeFat), bytes);
  for (let i = 0; i < g.numFats; i++) {
    if (i === g.activeFat) continue;
    const other = await reader.read(at(i), bytes);
    if (other.length < bytes || first.length < bytes) return; // truncated: reported separately
    if (first.equals(other)) continue;
    let diff = 0;
    while (first[diff] === other[diff]) diff++;
    const cluster = Math.floor((diff * 8) / g.type);
    warnings.push(`FAT copy ${i + 1} differs from copy ${g.activeFat + 1} (first difference near cluster ${cluster}); copy ${g.activeFat + 1} is used`);
  }
}

/** A read-only FAT file system; inode numbers follow The Sleuth Kit's (2 = root, 3+ = directory entry slots). */
export class FatFileSystem implements FileSystem {
  readonly kind: string;
  label: string;
  readonly blockSize: number;
  rootInode = ROOT;
  /** Problems noticed at open that do not stop browsing (a truncated image, an unreadable root). */
  readonly warnings: string[] = [];
  readonly fat: FatTable;
  private readonly layouts = new LruCache<number, Layout>(LAYOUTS_CACHED);
  private readonly limits: DirentLimits;

  constructor(private readonly reader: ImageReader, readonly geometry: FatGeometry) {
    this.kind = `fat${geometry.type}`;
    this.label = geometry.bpbLabel;
    this.blockSize = geometry.clusterSize;
    this.fat = new FatTable(reader, geometry);
    this.limits = { fat32: geometry.type === 32, lastCluster: geometry.lastCluster, dataBytes: geometry.clusterCount * geometry.clusterSize };
  }

  private virtualBase(): number {
    const g = this.geometry;
    return 3 + (g.totalSectors - g.firstDataSector) * (g.sectorSize / 32);
  }

  /** $MBR, $FAT1, $FAT2… numbered as TSK numbers them (just past the last possible directory entry). */
  virtualFile(inode: number): VirtualFile | null {
    const g = this.geometry;
    const i = inode - this.virtualBase();
    if (i === 0) return { name: '$MBR', at: 0, size: g.sectorSize };
    if (i >= 1 && i <= g.numFats) return { name: `$FAT${i}`, at: (g.reservedSectors + (i - 1) * g.sectorsPerFat) * g.sectorSize, size: g.sectorsPerFat * g.sectorSize };
    return null;
  }

  /** The raw 8.3 entry behind an inode number (≥ 3). */
  private async entry(inode: number): Promise<ShortEntry> {
    const g = this.geometry;
    const at = Number.isSafeInteger(inode) && inode >= 3 ? offsetOfInode(g, inode) : -1;
    if (at < 0 || at + 32 > g.totalSectors * g.sectorSize) throw new AppError('NOT_FOUND', `FAT has no inode ${inode}`);
    const raw = await this.reader.read(at, 32);
    if (raw.length < 32) throw new AppError('UNREADABLE', `FAT inode ${inode} lies past the end of the image (truncated)`);
    if (!isShortEntry(raw)) throw new AppError('NOT_FOUND', `FAT inode ${inode} is not a file's directory entry`);
    return parseShortEntry(raw, g.type === 32);
  }

  private toExtents(runs: ClusterRun[], bytes: number): { at: number; length: number }[] {
    const cs = this.geometry.clusterSize;
    const out: { at: number; length: number }[] = [];
    let left = bytes;
    for (const r of runs) {
      if (left <= 0) break;
      const length = Math.min(r.count * cs, left);
      out.push({ at: clusterOffset(this.geometry, r.first), length });
      left -= length;
    }
    return out;
  }

  private async layout(inode: number): Promise<Layout> {
    const hit = this.layouts.get(inode);
    if (hit) return hit;
    const g = this.geometry;
    const what = `FAT inode ${inode}`;
    let lay: Layout;
    const virtual = this.virtualFile(inode);
    if (virtual) {
      lay = { extents: [{ at: virtual.at, length: virtual.size }], size: virtual.size, deleted: false, entry: null };
    } else if (inode === ROOT) {
      if (g.type !== 32) {
        const length = g.rootEntryCount * 32;
        lay = { extents: [{ at: g.firstDataSector * g.sectorSize, length }], size: length, deleted: false, entry: null };
      } else {
        const runs = await this.fat.chain(g.rootCluster, g.clusterCount, 'FAT32 root directory');
        const size = runs.reduce((n, r) => n + r.count, 0) * g.clusterSize;
        lay = { extents: this.toExtents(runs, size), size, deleted: false, entry: null };
      }
    } else {
      const e = await this.entry(inode);
      const cs = g.clusterSize;
      if ((e.attr & ATTR_VOLUME) !== 0 && (e.attr & ATTR_DIR) === 0) {
        lay = { extents: [], size: 0, deleted: e.deleted, entry: e };
      } else if ((e.attr & ATTR_DIR) !== 0) {
        if (e.startCluster === 0) throw new AppError('UNREADABLE', `${what} is a directory without a start cluster`);
        // A deleted directory records no size; TSK recovers its first cluster only, and so do we.
        const runs = e.deleted ? await this.fat.recover(e.startCluster, 1, what) : await this.fat.chain(e.startCluster, g.clusterCount, what);
        const size = runs.reduce((n, r) => n + r.count, 0) * cs;
        lay = { extents: this.toExtents(runs, size), size, deleted: e.deleted, entry: e };
      } else if (e.size === 0) {
        lay = { extents: [], size: 0, deleted: e.deleted, entry: e };
      } else {
        const need = Math.ceil(e.size / cs);
        const runs = e.deleted ? await this.fat.recover(e.startCluster, need, what) : await this.fat.chain(e.startCluster, need, what);
        const got = runs.reduce((n, r) => n + r.count, 0);
        if (got < need) throw new AppError('UNREADABLE', `${what}: its FAT chain ends after ${got} clusters, but its size of ${e.size} bytes needs ${need}`);
        lay = { extents: this.toExtents(runs, e.size), size: e.size, deleted: e.deleted, entry: e };
      }
    }
    this.layouts.set(inode, lay);
    return lay;
  }

  async stat(inode: number): Promise<FatStat> {
    if (inode === ROOT) {
      const { size } = await this.layout(ROOT);
      return {
        inode, type: 'dir', size, mode: 0o40777, uid: 0, gid: 0, nlink: 1, mtime: null, atime: null, ctime: null, crtime: null,
        attributes: ['directory'], shortName: '', startCluster: this.geometry.rootCluster, deleted: false, bestEffort: false,
      };
    }
    const virtual = this.virtualFile(inode);
    if (virtual) {
      return {
        inode, type: 'file', size: virtual.size, mode: 0o100444, uid: 0, gid: 0, nlink: 1, mtime: null, atime: null, ctime: null, crtime: null,
        attributes: ['virtual'], shortName: virtual.name, startCluster: 0, deleted: false, bestEffort: false,
      };
    }
    const e = await this.entry(inode);
    const label = (e.attr & ATTR_VOLUME) !== 0 && (e.attr & ATTR_DIR) === 0;
    const type = label ? 'other' : (e.attr & ATTR_DIR) !== 0 ? 'dir' : 'file';
    let size = e.size;
    if (type === 'dir') {
      // A directory's size is its cluster chain's; a broken chain still lets the entry be shown, readDir names the fault.
      size = await this.layout(inode).then((l) => l.size, () => 0);
    }
    const perm = (e.attr & ATTR_READONLY) !== 0 ? 0o555 : 0o777;
    return {
      inode, type, size, mode: label ? 0 : (type === 'dir' ? 0o40000 : 0o100000) | perm, uid: 0, gid: 0, nlink: e.deleted ? 0 : 1,
      mtime: e.mtime, atime: e.atime, ctime: null, crtime: e.crtime,
      attributes: attributeNames(e.attr), shortName: e.shortName, startCluster: e.startCluster, deleted: e.deleted,
      bestEffort: e.deleted && type === 'file' && e.size > 0,
    };
  }

  /** Every entry of a directory with its FAT details, '.' and '..' left out; entries of a deleted directory count as deleted. */
  async rawDir(inode: number): Promise<FatDirent[]> {
    const lay = await this.layout(inode);
    if (this.virtualFile(inode) || (lay.entry && (lay.entry.attr & ATTR_DIR) === 0)) throw new AppError('NOT_A_FILE', `FAT inode ${inode} is not a directory`);
    const buf = await this.readExtents(inode, lay, 0, lay.size);
    const starts: number[] = [];
    for (const x of lay.extents) for (let o = 0; o < x.length; o += 32) starts.push(x.at + o);
    const out = parseDirectory(buf, (slot) => inodeAt(this.geometry, starts[slot]!), this.limits);
    return lay.deleted ? out.map((d) => ({ ...d, deleted: true })) : out;
  }

  async readDir(inode: number): Promise<FsEntry[]> {
    const out: FsEntry[] = (await this.rawDir(inode)).map((d) => ({
      name: d.name,
      inode: d.inode,
      type: d.volumeLabel ? 'other' : (d.attr & ATTR_DIR) !== 0 ? 'dir' : 'file',
      deleted: d.deleted,
    }));
    if (inode === ROOT) {
      const base = this.virtualBase();
      for (let i = 0; i <= this.geometry.numFats; i++) out.push({ name: this.virtualFile(base + i)!.name, inode: base + i, type: 'file', deleted: false });
    }
    return out;
  }

  private async readExtents(inode: number, lay: Layout, offset: number, length: number): Promise<Buffer> {
    const end = Math.min(lay.size, offset + length);
    const parts: Buffer[] = [];
    let pos = 0;
    for (const x of lay.extents) {
      if (pos >= end) break;
      const from = Math.max(offset, pos);
      const to = Math.min(end, pos + x.length);
      if (from < to) {
        const got = await this.reader.read(x.at + (from - pos), to - from);
        if (got.length < to - from) throw new AppError('UNREADABLE', `FAT inode ${inode}: bytes ${from}–${to} lie past the end of the image (truncated)`);
        parts.push(got);
      }
      pos += x.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async read(inode: number, offset: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new AppError('INVALID_INPUT', `Invalid read of ${length} bytes at ${offset}`);
    }
    const lay = await this.layout(inode);
    if (inode === ROOT || (lay.entry !== null && (lay.entry.attr & ATTR_DIR) !== 0)) throw new AppError('NOT_A_FILE', `FAT inode ${inode} is a directory`);
    if (offset >= lay.size || length === 0) return Buffer.alloc(0);
    return this.readExtents(inode, lay, offset, length);
  }

  async close(): Promise<void> {
    // The reader belongs to whoever opened it (a partition slice or the image); only caches are ours.
    this.layouts.clear();
  }
}
