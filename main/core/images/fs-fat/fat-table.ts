// The file allocation table: cluster chains, read lazily and cached, with loop and range checks.
import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';
import { LruCache } from '../containers/lru-cache.js';
import type { FatGeometry } from './bpb.js';

/** A run of adjacent clusters. */
export interface ClusterRun { first: number; count: number }

const CHUNK = 64 * 1024; // FAT bytes read per I/O; a multiple of 4 and 2, so FAT16/32 entries never straddle chunks
const CHUNKS_CACHED = 256; // 16 MiB of FAT: enough for any EFI system partition, bounded for huge FAT32 volumes

/** Reads entries of the active FAT of a volume. */
export class FatTable {
  private readonly chunks = new LruCache<number, Buffer>(CHUNKS_CACHED);
  private readonly start: number;
  private readonly bytes: number;
  private readonly eoc: number;
  private readonly bad: number;

  constructor(private readonly reader: ImageReader, private readonly g: FatGeometry) {
    this.start = (g.reservedSectors + g.activeFat * g.sectorsPerFat) * g.sectorSize;
    this.bytes = g.sectorsPerFat * g.sectorSize;
    this.eoc = g.type === 12 ? 0xff8 : g.type === 16 ? 0xfff8 : 0x0ffffff8;
    this.bad = this.eoc - 1;
  }

  private async byteAt(at: number): Promise<Buffer> {
    const idx = Math.floor(at / CHUNK);
    let chunk = this.chunks.get(idx);
    if (!chunk) {
      const len = Math.min(CHUNK, this.bytes - idx * CHUNK);
      chunk = await this.reader.read(this.start + idx * CHUNK, len);
      if (chunk.length < len) throw new AppError('UNREADABLE', `The FAT at byte ${this.start + idx * CHUNK} is cut off: the image is truncated`);
      this.chunks.set(idx, chunk);
    }
    return chunk;
  }

  /** The raw FAT entry of `cluster` (0 = free). */
  async entry(cluster: number): Promise<number> {
    const g = this.g;
    if (g.type === 32) {
      const at = cluster * 4;
      return (await this.byteAt(at)).readUInt32LE(at % CHUNK) & 0x0fffffff;
    }
    if (g.type === 16) {
      const at = cluster * 2;
      return (await this.byteAt(at)).readUInt16LE(at % CHUNK);
    }
    // FAT12 packs two entries in three bytes, so an entry may straddle two chunks.
    const at = Math.floor(cluster * 1.5);
    const lo = (await this.byteAt(at))[at % CHUNK]!;
    const hi = (await this.byteAt(at + 1))[(at + 1) % CHUNK]!;
    const pair = lo | (hi << 8);
    return cluster % 2 === 0 ? pair & 0xfff : pair >> 4;
  }

  /** True when the FAT marks `cluster` as in use (anything but free). */
  async isAllocated(cluster: number): Promise<boolean> {
    return (await this.entry(cluster)) !== 0;
  }

  /**
   * The clusters of the chain starting at `first`, as runs. Stops after `maxClusters` (a file needs no more than its
   * size), at end-of-chain, and refuses a loop, a free or bad cluster inside the chain, or a number outside the volume.
   */
  async chain(first: number, maxClusters: number, what: string): Promise<ClusterRun[]> {
    const runs: ClusterRun[] = [];
    const seen = new Set<number>();
    let c = first;
    let n = 0;
    while (n < maxClusters) {
      if (c < 2 || c > this.g.lastCluster) {
        throw new AppError('UNREADABLE', `${what}: cluster ${c} (link ${n + 1} of its FAT chain) is outside the volume's clusters 2–${this.g.lastCluster}`);
      }
      if (seen.has(c)) throw new AppError('UNREADABLE', `${what}: its FAT chain loops back to cluster ${c} after ${n} clusters`);
      seen.add(c);
      const last = runs[runs.length - 1];
      if (last && last.first + last.count === c) last.count++;
      else runs.push({ first: c, count: 1 });
      n++;
      const next = await this.entry(c);
      if (next >= this.eoc) break;
      if (next === 0) throw new AppError('UNREADABLE', `${what}: its FAT chain reaches free cluster after cluster ${c}`);
      if (next === this.bad) throw new AppError('UNREADABLE', `${what}: its FAT chain reaches a cluster marked bad after cluster ${c}`);
      c = next;
    }
    return runs;
  }

  /**
   * TSK's recovery of a deleted file: `count` unallocated clusters from `first` onwards, skipping allocated ones.
   * Best effort only: a deleted file's clusters are assumed contiguous, which is right only if it was not fragmented.
   */
  async recover(first: number, count: number, what: string): Promise<ClusterRun[]> {
    if (first < 2 || first > this.g.lastCluster) throw new AppError('UNREADABLE', `${what}: deleted entry's start cluster ${first} is outside the volume`);
    if (await this.isAllocated(first)) throw new AppError('UNREADABLE', `${what}: cannot recover the deleted content, its first cluster ${first} is in use again`);
    const runs: ClusterRun[] = [];
    let got = 0;
    for (let c = first; got < count; c++) {
      if (c > this.g.lastCluster) throw new AppError('UNREADABLE', `${what}: cannot recover the deleted content, not enough free clusters after cluster ${first}`);
      if (await this.isAllocated(c)) continue;
      const last = runs[runs.length - 1];
      if (last && last.first + last.count === c) last.count++;
      else runs.push({ first: c, count: 1 });
      got++;
    }
    return runs;
  }
}
