import { AppError } from '../../../../shared/errors.js';
import type { ImageReader } from '../containers/image-reader.js';
import { LruCache } from '../containers/lru-cache.js';
import type { FileSystem, FsEntry, FsStat } from '../fs-types.js';
import { FileAttr, isLinkTag, Namespace, parseFileName, parseReparse, parseStandardInfo, type FileName, type NtfsTimes, type StandardInfo } from './attrs.js';
import { parseBoot, type NtfsBoot } from './boot.js';
import { readDirectory } from './directory.js';
import { Mft, mergedRuns, openMft } from './mft.js';
import { AttrFlags, AttrType, type Attr, type MftRecord } from './record.js';
import { readRuns, type Run, type Volume } from './runs.js';

const ROOT_RECORD = 5;
const VOLUME_RECORD = 3;

/** FsStat plus what NTFS adds: the record's sequence number and state, attribute bits, $FILE_NAME times, streams. */
export interface NtfsStat extends FsStat {
  seq: number;
  /** False for a record no longer in use (a deleted file). */
  allocated: boolean;
  fileAttributes: number;
  /** Times of the $FILE_NAME attribute (Win32/POSIX name), which user-mode tools cannot set: compare for timestomping. */
  fileNameTimes: NtfsTimes | null;
  /** Alternate data streams (named $DATA) and their sizes, in record order; read with `readStream`. */
  streams: { name: string; size: number }[];
  reparseTag: number | null;
}

function checkRange(ino: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new AppError('INVALID_INPUT', `Invalid read of ${length} bytes at ${offset} of MFT record ${ino}`);
  }
}

/** A base record with every attribute gathered (attribute lists resolved). */
interface NtfsFile {
  rec: MftRecord;
  attrs: Attr[];
  si: StandardInfo | null;
  fn: FileName | null;
  type: FsStat['type'];
  reparse: { tag: number; target: string | null } | null;
  data: Attr[];
  /** The unnamed $DATA's runs over all its extents, merged once: big files are read in many chunks. */
  dataRuns: Run[];
  /** Named $DATA attributes (alternate data streams) by name, each with its extents' runs merged. */
  streams: Map<string, { pieces: Attr[]; runs: Run[] }>;
}

/** Opens an NTFS file system read-only; throws AppError('UNREADABLE') when it is not one or is too damaged. */
export async function openNtfs(reader: ImageReader): Promise<NtfsFileSystem> {
  const boot = parseBoot(await reader.read(0, 512));
  const warnings: string[] = [];
  const volumeBytes = boot.totalSectors * boot.bytesPerSector;
  if (reader.size < volumeBytes) warnings.push(`image holds ${reader.size} of the file system's ${volumeBytes} bytes (truncated)`);
  const vol: Volume = { reader, clusterSize: boot.clusterSize, totalClusters: boot.totalClusters };
  const mft = await openMft(vol, boot, warnings);
  const fs = new NtfsFileSystem(boot, mft, warnings);
  const root = await fs.stat(ROOT_RECORD);
  if (root.type !== 'dir') throw new AppError('UNREADABLE', `Not a readable NTFS file system: MFT record ${ROOT_RECORD} (root) is not a directory`);
  fs.label = await fs.volumeLabel().catch(() => '');
  return fs;
}

/** A read-only NTFS file system over an ImageReader; the MFT record number is the inode number. */
export class NtfsFileSystem implements FileSystem {
  readonly kind = 'ntfs';
  label = '';
  readonly blockSize: number;
  rootInode = ROOT_RECORD;
  private readonly files = new LruCache<number, NtfsFile>(512);

  constructor(readonly boot: NtfsBoot, readonly mft: Mft, readonly warnings: string[]) {
    this.blockSize = boot.clusterSize;
  }

  /** The volume name from $Volume's $VOLUME_NAME. */
  async volumeLabel(): Promise<string> {
    const rec = await this.mft.record(VOLUME_RECORD);
    return rec.attrs.find((a) => a.type === AttrType.volumeName)?.resident?.toString('utf16le') ?? '';
  }

  /** The base record `ino` with its attributes decoded. */
  async file(ino: number): Promise<NtfsFile> {
    const hit = this.files.get(ino);
    if (hit) return hit;
    const rec = await this.mft.record(ino);
    if (rec.baseRecord !== 0) throw new AppError('NOT_FOUND', `MFT record ${ino} is an extension of record ${rec.baseRecord}, not a file`);
    const attrs = await this.mft.attributes(rec);
    const what = `MFT record ${ino}`;
    const siAttr = attrs.find((a) => a.type === AttrType.standardInformation && a.resident);
    const names = attrs.filter((a) => a.type === AttrType.fileName && a.resident).map((a) => parseFileName(a.resident!, what));
    const rpAttr = attrs.find((a) => a.type === AttrType.reparsePoint);
    const rpValue = rpAttr ? (rpAttr.resident ?? (await readRuns(this.mft.vol, rpAttr.runs, 0, Math.min(rpAttr.dataSize, 65536), `${what}: $REPARSE_POINT`))) : null;
    const reparse = rpValue ? parseReparse(rpValue) : null;
    const type: FsStat['type'] = reparse ? (isLinkTag(reparse.tag) ? 'symlink' : 'other') : rec.isDir ? 'dir' : 'file';
    const f: NtfsFile = {
      rec, attrs, type, reparse,
      si: siAttr ? parseStandardInfo(siAttr.resident!, what) : null,
      fn: names.find((n) => n.namespace !== Namespace.dos) ?? names[0] ?? null,
      data: attrs.filter((a) => a.type === AttrType.data && a.name === ''),
      dataRuns: [],
      streams: new Map(),
    };
    f.dataRuns = mergedRuns(f.data);
    for (const a of attrs) {
      if (a.type !== AttrType.data || a.name === '') continue;
      const st = f.streams.get(a.name) ?? { pieces: [], runs: [] };
      st.pieces.push(a);
      f.streams.set(a.name, st);
    }
    for (const st of f.streams.values()) st.runs = mergedRuns(st.pieces);
    this.files.set(ino, f);
    return f;
  }

  /** Metadata of MFT record `ino`; MACB times come from $STANDARD_INFORMATION, as Windows shows them. */
  async stat(ino: number): Promise<NtfsStat> {
    const f = await this.file(ino);
    const fa = f.si?.fileAttributes ?? 0;
    const perm = fa & FileAttr.readOnly ? 0o555 : 0o777;
    const mode = { file: 0o100000 | perm, dir: 0o040000 | perm, symlink: 0o120777, other: 0 }[f.type];
    const first = f.data.find((a) => a.startVcn === 0);
    const st: NtfsStat = {
      inode: ino, type: f.type, size: f.type === 'dir' ? 0 : (first?.dataSize ?? 0), mode, uid: 0, gid: 0, nlink: f.rec.linkCount,
      mtime: f.si?.mtime ?? null, atime: f.si?.atime ?? null, ctime: f.si?.ctime ?? null, crtime: f.si?.crtime ?? null,
      seq: f.rec.seq, allocated: f.rec.inUse, fileAttributes: fa,
      fileNameTimes: f.fn ? { crtime: f.fn.crtime, mtime: f.fn.mtime, ctime: f.fn.ctime, atime: f.fn.atime } : null,
      streams: [...f.streams].map(([name, st]) => ({ name, size: st.pieces.find((a) => a.startVcn === 0)?.dataSize ?? 0 })),
      reparseTag: f.reparse?.tag ?? null,
    };
    if (f.type === 'symlink') st.symlinkTarget = f.reparse?.target ?? '';
    return st;
  }

  /**
   * Reads the unnamed $DATA stream; sparse runs and bytes past the initialized size read as zeros. Compressed
   * and encrypted data are refused with an AppError rather than returned as stored (wrong) bytes.
   */
  async read(ino: number, offset: number, length: number): Promise<Buffer> {
    checkRange(ino, offset, length);
    const f = await this.file(ino);
    if (f.type === 'dir') throw new AppError('NOT_A_FILE', `MFT record ${ino} is a directory`);
    if (f.type === 'other') {
      throw new AppError('UNREADABLE', `MFT record ${ino} is a reparse point (tag 0x${f.reparse!.tag.toString(16)}) whose content is kept elsewhere; it is not read`);
    }
    return this.readData(f, f.data, f.dataRuns, `MFT record ${ino}`, offset, length);
  }

  /**
   * Reads alternate data stream `stream` (a named $DATA, e.g. "Zone.Identifier"), of files and folders alike; the
   * name must match exactly. Same rules as `read` for sparse, uninitialized, compressed and encrypted data.
   */
  async readStream(ino: number, stream: string, offset: number, length: number): Promise<Buffer> {
    checkRange(ino, offset, length);
    const f = await this.file(ino);
    const st = f.streams.get(stream);
    if (!st) throw new AppError('NOT_FOUND', `MFT record ${ino} has no alternate data stream named ${JSON.stringify(stream)}`);
    return this.readData(f, st.pieces, st.runs, `MFT record ${ino}, stream ${JSON.stringify(stream)}`, offset, length);
  }

  private async readData(f: NtfsFile, pieces: Attr[], runs: Run[], what: string, offset: number, length: number): Promise<Buffer> {
    const first = pieces.find((a) => a.startVcn === 0);
    if (!first) return Buffer.alloc(0);
    // The flag, not the compression unit: ntfs-3g sets a unit on sparse attributes that are not compressed.
    if (first.flags & AttrFlags.compressed) {
      throw new AppError('UNREADABLE', `${what}: the data is NTFS-compressed, which Caseward does not decompress yet`);
    }
    if (first.flags & AttrFlags.encrypted || (f.si && f.si.fileAttributes & FileAttr.encrypted)) {
      throw new AppError('UNREADABLE', `${what}: the data is EFS-encrypted; it cannot be read without the user's key`);
    }
    const end = Math.min(first.dataSize, offset + length);
    if (end <= offset) return Buffer.alloc(0);
    if (first.resident) return Buffer.from(first.resident.subarray(offset, end));
    const readable = Math.min(end, first.initializedSize);
    if (readable <= offset) return Buffer.alloc(end - offset);
    const data = await readRuns(this.mft.vol, runs, offset, readable - offset, `${what}: data`);
    if (readable === end) return data;
    // Past the initialized size the stream reads as zeros, whatever the clusters hold.
    const out = Buffer.alloc(end - offset);
    data.copy(out);
    return out;
  }

  /** Entries of directory `ino` from its $I30 index (long names only), plus deleted names found in free MFT records. */
  async readDir(ino: number): Promise<FsEntry[]> {
    const f = await this.file(ino);
    if (f.type !== 'dir') throw new AppError('INVALID_INPUT', `MFT record ${ino} is not a directory`);
    return readDirectory(this.mft, f.rec, f.attrs);
  }

  async close(): Promise<void> {
    // The reader belongs to whoever opened it (it may be a partition slice of a larger image).
    this.files.clear();
  }
}
