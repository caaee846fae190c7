import { AppError } from '../../../../shared/errors.js';
import { LruCache } from '../containers/lru-cache.js';
import { parseFileName, Namespace, type FileName } from './attrs.js';
import type { NtfsBoot } from './boot.js';
import { applyFixups, AttrType, parseRecord, type Attr, type MftRecord } from './record.js';
import { readRuns, type Run, type Volume } from './runs.js';

const WINDOW_RECORDS = 32; // records read together: a listing stats neighbours, and one read per record was the cost
const MAX_EXTENSIONS = 1024;

/** A name found in an MFT record that is no longer in use: a deleted file or directory. */
export interface DeletedName { num: number; recordSeq: number; isDir: boolean; fileName: FileName }

/** The unnamed or named pieces of one attribute, in VCN order, with their runs merged. */
export function mergedRuns(pieces: Attr[]): Run[] {
  return pieces.slice().sort((a, b) => a.startVcn - b.startVcn).flatMap((p) => p.runs);
}

/** Random access to MFT records through $MFT's own data runs. */
export class Mft {
  readonly count: number;
  private readonly records = new LruCache<number, MftRecord>(2048);
  private readonly windows = new LruCache<number, Buffer>(64);
  private deleted: Promise<Map<number, DeletedName[]>> | null = null;

  constructor(readonly vol: Volume, readonly boot: NtfsBoot, private readonly runs: Run[], dataSize: number) {
    this.count = Math.floor(dataSize / boot.recordSize);
  }

  /** The raw bytes of record `n` (a private copy, fixups not yet applied). */
  private async raw(n: number): Promise<Buffer> {
    const rs = this.boot.recordSize;
    const w = Math.floor(n / WINDOW_RECORDS);
    let win = this.windows.get(w);
    if (!win) {
      const first = w * WINDOW_RECORDS;
      const count = Math.min(WINDOW_RECORDS, this.count - first);
      win = await readRuns(this.vol, this.runs, first * rs, count * rs, `MFT records ${first}-${first + count - 1}`).catch(() => null) ?? undefined;
      // A damaged stretch of the MFT must not hide its readable neighbours: fall back to one record.
      if (!win) return Buffer.from(await readRuns(this.vol, this.runs, n * rs, rs, `MFT record ${n}`));
      this.windows.set(w, win);
    }
    const at = (n % WINDOW_RECORDS) * rs;
    return Buffer.from(win.subarray(at, at + rs));
  }

  /** Record `n`, fixups checked; an AppError names the record when it is corrupt. */
  async record(n: number): Promise<MftRecord> {
    if (!Number.isSafeInteger(n) || n < 0 || n >= this.count) {
      throw new AppError('NOT_FOUND', `MFT record ${n} does not exist (valid: 0..${this.count - 1})`);
    }
    const hit = this.records.get(n);
    if (hit) return hit;
    const buf = await this.raw(n);
    applyFixups(buf, 'FILE', `MFT record ${n}`);
    const rec = parseRecord(n, buf);
    this.records.set(n, rec);
    return rec;
  }

  /** Every attribute of a base record, including those moved to extension records by an $ATTRIBUTE_LIST. */
  async attributes(rec: MftRecord): Promise<Attr[]> {
    const list = rec.attrs.find((a) => a.type === AttrType.attributeList);
    if (!list) return rec.attrs;
    const value = list.resident ?? (await readRuns(this.vol, list.runs, 0, list.dataSize, `MFT record ${rec.num}: $ATTRIBUTE_LIST`));
    const others = new Set<number>();
    for (let p = 0; p + 0x1a <= value.length;) {
      const len = value.readUInt16LE(p + 4);
      if (len < 0x1a) break;
      const num = value.readUIntLE(p + 0x10, 6);
      if (num !== rec.num) others.add(num);
      p += len;
    }
    if (others.size > MAX_EXTENSIONS) throw new AppError('UNREADABLE', `MFT record ${rec.num}: $ATTRIBUTE_LIST names ${others.size} records (corrupt?)`);
    const out = rec.attrs.filter((a) => a.type !== AttrType.attributeList);
    for (const num of others) {
      const ext = await this.record(num);
      if (ext.baseRecord !== rec.num) {
        throw new AppError('UNREADABLE', `MFT record ${rec.num}: extension record ${num} belongs to record ${ext.baseRecord}`);
      }
      out.push(...ext.attrs);
    }
    return out;
  }

  /** Names in MFT records not in use, by parent directory record; built once by reading the whole MFT. */
  deletedByParent(): Promise<Map<number, DeletedName[]>> {
    this.deleted ??= this.scanDeleted();
    return this.deleted;
  }

  private async scanDeleted(): Promise<Map<number, DeletedName[]>> {
    const out = new Map<number, DeletedName[]>();
    const rs = this.boot.recordSize;
    const batch = Math.max(1, Math.floor((1 << 20) / rs));
    for (let first = 0; first < this.count; first += batch) {
      const count = Math.min(batch, this.count - first);
      let buf: Buffer;
      try {
        buf = await readRuns(this.vol, this.runs, first * rs, count * rs, 'MFT');
      } catch {
        continue; // unreadable stretch: its deleted names are lost, the rest are still found
      }
      for (let i = 0; i < count; i++) {
        const raw = buf.subarray(i * rs, (i + 1) * rs);
        // Offset 0x16 (flags) lies before the first fixup position, so it can be tested before fixing up.
        if (raw.toString('latin1', 0, 4) !== 'FILE' || raw.readUInt16LE(0x16) & 1) continue;
        try {
          const copy = Buffer.from(raw);
          applyFixups(copy, 'FILE', `MFT record ${first + i}`);
          const rec = parseRecord(first + i, copy);
          if (rec.baseRecord !== 0) continue;
          const names = rec.attrs.filter((a) => a.type === AttrType.fileName && a.resident)
            .map((a) => parseFileName(a.resident!, `MFT record ${rec.num}`))
            .filter((fn) => fn.namespace !== Namespace.dos);
          for (const fileName of names) {
            const list = out.get(fileName.parent) ?? [];
            list.push({ num: rec.num, recordSeq: rec.seq, isDir: rec.isDir, fileName });
            out.set(fileName.parent, list);
          }
        } catch {
          // A damaged free record is skipped: it was free space, not a file anyone can still open.
        }
      }
    }
    return out;
  }
}

/**
 * Opens the MFT from record 0 ($MFT describes its own location). When record 0 is damaged the copy in
 * $MFTMirr is used, with a warning. Extension records of a fragmented $MFT are found through its attribute list.
 */
export async function openMft(vol: Volume, boot: NtfsBoot, warnings: string[]): Promise<Mft> {
  const rs = boot.recordSize;
  const load = async (lcn: number, which: string): Promise<MftRecord> => {
    const buf = Buffer.from(await readRuns(vol, [{ vcn: 0, lcn, length: Math.ceil(rs / vol.clusterSize) }], 0, rs, which));
    applyFixups(buf, 'FILE', which);
    return parseRecord(0, buf);
  };
  let rec0: MftRecord;
  try {
    rec0 = await load(boot.mftLcn, 'MFT record 0 ($MFT)');
  } catch (err) {
    rec0 = await load(boot.mftMirrLcn, 'MFT record 0 in $MFTMirr').catch(() => {
      throw err;
    });
    warnings.push(`MFT record 0 is unreadable (${(err as Error).message}); its copy in $MFTMirr was used`);
  }
  const own = rec0.attrs.filter((a) => a.type === AttrType.data && a.name === '' && !a.resident);
  const first = own.find((a) => a.startVcn === 0);
  if (!first) throw new AppError('UNREADABLE', 'MFT record 0 ($MFT) has no non-resident $DATA attribute');
  const boot0 = new Mft(vol, boot, mergedRuns(own), first.dataSize);
  const all = (await boot0.attributes(rec0)).filter((a) => a.type === AttrType.data && a.name === '' && !a.resident);
  return new Mft(vol, boot, mergedRuns(all), first.dataSize);
}
