import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';

/** One data run: `length` clusters from virtual cluster `vcn`, at logical cluster `lcn`, or a sparse hole (null). */
export interface Run { vcn: number; lcn: number | null; length: number }

function varInt(buf: Buffer, at: number, n: number, signed: boolean, what: string): number {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[at + i]!);
  if (signed && n > 0 && buf[at + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError('UNREADABLE', `${what}: data run value out of range (corrupt run list)`);
  }
  return Number(v);
}

/**
 * Decodes a run list (mapping pairs). Each run's LCN is relative to the previous run's; a run with no
 * offset bytes is sparse. `startVcn` is the attribute's first VCN (later extents start past 0).
 */
export function decodeRuns(buf: Buffer, startVcn: number, what: string): Run[] {
  const runs: Run[] = [];
  let p = 0;
  let vcn = startVcn;
  let lcn = 0;
  while (p < buf.length && buf[p] !== 0) {
    const h = buf[p]!;
    const lenBytes = h & 0x0f;
    const offBytes = h >> 4;
    if (lenBytes === 0 || lenBytes > 8 || offBytes > 8 || p + 1 + lenBytes + offBytes > buf.length) {
      throw new AppError('UNREADABLE', `${what}: corrupt run list (header 0x${h.toString(16)} at byte ${p})`);
    }
    const length = varInt(buf, p + 1, lenBytes, false, what);
    if (length <= 0) throw new AppError('UNREADABLE', `${what}: corrupt run list (run of ${length} clusters)`);
    if (offBytes === 0) {
      runs.push({ vcn, lcn: null, length });
    } else {
      lcn += varInt(buf, p + 1 + lenBytes, offBytes, true, what);
      if (lcn < 0) throw new AppError('UNREADABLE', `${what}: corrupt run list (negative cluster ${lcn})`);
      runs.push({ vcn, lcn, length });
    }
    vcn += length;
    p += 1 + lenBytes + offBytes;
  }
  return runs;
}

/** Where runs live: the volume's reader, cluster size and cluster count (for bounds checks). */
export interface Volume { reader: ImageReader; clusterSize: number; totalClusters: number }

function firstRun(runs: Run[], vcn: number): number {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid]!.vcn <= vcn) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Reads `length` bytes at byte `offset` of the stream the runs describe; sparse runs read as zeros.
 * A byte not covered by any run, a run past the volume or past a truncated image is an AppError.
 */
export async function readRuns(vol: Volume, runs: Run[], offset: number, length: number, what: string): Promise<Buffer> {
  const cs = vol.clusterSize;
  const end = offset + length;
  if (length === 0) return Buffer.alloc(0);
  const out = Buffer.alloc(length);
  let pos = offset;
  for (let i = firstRun(runs, Math.floor(offset / cs)); i < runs.length && pos < end; i++) {
    const r = runs[i]!;
    const rStart = r.vcn * cs;
    const rEnd = (r.vcn + r.length) * cs;
    if (rEnd <= pos) continue;
    if (rStart > pos) break; // a gap: reported below
    const to = Math.min(end, rEnd);
    if (r.lcn !== null) {
      if (r.lcn + r.length > vol.totalClusters) {
        throw new AppError('UNREADABLE', `${what}: cluster ${r.lcn + r.length - 1} is past the end of the volume (${vol.totalClusters} clusters)`);
      }
      const at = r.lcn * cs + (pos - rStart);
      const data = await vol.reader.read(at, to - pos);
      if (data.length !== to - pos) {
        throw new AppError('UNREADABLE', `${what}: bytes at volume offset ${at + data.length} are past the end of the image (truncated image?)`);
      }
      if (to - pos === length) return data; // one run covers the request: no copy
      data.copy(out, pos - offset);
    }
    pos = to;
  }
  if (pos < end) throw new AppError('UNREADABLE', `${what}: no data run maps byte ${pos} (incomplete or corrupt run list)`);
  return out;
}
