import { open, stat, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inflate as inflateCb } from 'node:zlib';
import { AppError } from '../../../../shared/errors.js';
import { adler32 } from './checksums.js';
import {
  FILE_HEADER_SIZE, SECTION_DESCRIPTOR_SIZE, hexUnlessZero, parseFileHeader, parseHeaderSection, parseSectionDescriptor,
  parseVolume, tableOrNull, type EwfHeaderValues, type EwfVolume, type TableEntry,
} from './ewf-format.js';
import { readAt } from './read-at.js';
import { findEwfSegments } from './ewf-segments.js';
import { checkRange, type ImageReader } from './image-reader.js';
import { LruCache } from './lru-cache.js';

const inflate = promisify(inflateCb);
// Chunks decompressed at once by a long read: zlib's async inflate runs on the libuv pool, so they overlap.
const PARALLEL_CHUNKS = 64;

/** What an EWF image says about itself. */
export interface EwfMetadata extends EwfHeaderValues {
  segmentCount: number;
  chunkSize: number;
  chunkCount: number;
  bytesPerSector: number;
  sectorCount: number;
  mediaSize: number;
  mediaType: number;
  isPhysical: boolean;
  setIdentifier: string;
  storedMd5?: string;
  storedSha1?: string;
}

/** A chunk whose stored checksum or compression does not match its bytes. */
export class EwfChunkError extends AppError {
  constructor(readonly chunk: number, readonly mediaOffset: number, readonly detail: string, where: string) {
    super('UNREADABLE', `EWF chunk ${chunk} at media offset ${mediaOffset} is corrupted (${detail}; ${where})`);
  }
}

interface Segment { path: string; handle: FileHandle; size: number }

/** Read-only EWF (E01) reader: logical bytes of the acquired media, chunk by chunk. */
export class EwfReader implements ImageReader {
  readonly description: string;
  private readonly cache = new LruCache<number, Buffer>(64);

  private constructor(
    private readonly segments: Segment[],
    readonly metadata: EwfMetadata,
    private readonly seg: Uint16Array,
    private readonly off: Float64Array,
    private readonly len: Uint32Array,
    private readonly zipped: Uint8Array,
  ) {
    const n = segments.length;
    this.description = `EWF image ${segments[0]!.path}${n > 1 ? ` (${n} segments)` : ''}`;
  }

  get size(): number {
    return this.metadata.mediaSize;
  }

  /** Opens the segment set that `first` belongs to. */
  static async open(first: string): Promise<EwfReader> {
    const files = await findEwfSegments(first);
    const segments: Segment[] = [];
    try {
      for (const f of files) {
        const info = await stat(f);
        segments.push({ path: f, handle: await open(f, 'r'), size: info.size });
      }
      return await EwfReader.load(segments);
    } catch (err) {
      await Promise.all(segments.map((s) => s.handle.close()));
      if (err instanceof AppError) throw err;
      throw new AppError('UNREADABLE', `Cannot read EWF image ${first}: ${(err as Error).message}`, { cause: err });
    }
  }

  private static async load(segments: Segment[]): Promise<EwfReader> {
    let header: EwfHeaderValues | undefined;
    let header2: EwfHeaderValues | undefined;
    let volume: EwfVolume | undefined;
    let md5: string | undefined;
    let sha1: string | undefined;
    const chunks: { seg: number; entry: TableEntry; end: number }[] = [];
    let sawDone = false;

    for (let s = 0; s < segments.length && !sawDone; s += 1) {
      const { path: file, handle, size } = segments[s]!;
      const number = parseFileHeader(await readAt(handle, 0, FILE_HEADER_SIZE), file);
      if (number !== s + 1) throw new AppError('INVALID_INPUT', `${file} is segment ${number}, expected ${s + 1}`);
      const starts: number[] = [];
      const pending: TableEntry[][] = [];
      let primaryBad = false;
      let offset = FILE_HEADER_SIZE;
      let last: string;
      for (;;) {
        if (offset + SECTION_DESCRIPTOR_SIZE > size) {
          throw new AppError('UNREADABLE', `EWF segment ${file} is truncated: section at ${offset} lies past its end (${size} bytes)`);
        }
        const d = parseSectionDescriptor(await readAt(handle, offset, SECTION_DESCRIPTOR_SIZE), offset);
        if (!d.checksumOk) throw new AppError('UNREADABLE', `EWF segment ${file}: section descriptor at ${offset} fails its checksum`);
        starts.push(offset);
        last = d.type;
        const dataLen = Math.max(0, d.size - SECTION_DESCRIPTOR_SIZE);
        if (offset + d.size > size) {
          throw new AppError('UNREADABLE', `EWF segment ${file} is truncated: '${d.type}' section at ${offset} needs ${d.size} bytes, file has ${size - offset}`);
        }
        const data = () => readAt(handle, offset + SECTION_DESCRIPTOR_SIZE, dataLen);
        switch (d.type) {
          case 'header': header ??= parseHeaderSection(await data(), d.type); break;
          case 'header2': header2 ??= parseHeaderSection(await data(), d.type); break;
          case 'volume': case 'disk': case 'data': volume ??= parseVolume(await data()); break;
          case 'table': {
            const t = tableOrNull(await data());
            primaryBad = t === null;
            pending.push(t ?? []);
            break;
          }
          case 'table2': {
            // table2 is the backup copy; it is used only when the primary table's checksums fail.
            const t = tableOrNull(await data());
            if (primaryBad && !t) throw new AppError('UNREADABLE', `EWF segment ${file}: chunk table and its backup are both damaged`);
            if (primaryBad && t) pending[pending.length - 1] = t;
            primaryBad = false;
            break;
          }
          case 'hash': { const b = await data(); md5 ??= hexUnlessZero(b.subarray(0, 16)); break; }
          case 'digest': {
            const b = await data();
            md5 = hexUnlessZero(b.subarray(0, 16)) ?? md5;
            sha1 = hexUnlessZero(b.subarray(16, 36)) ?? sha1;
            break;
          }
          default: break;
        }
        if (d.type === 'done' || d.type === 'next') break;
        if (d.next <= offset) throw new AppError('UNREADABLE', `EWF segment ${file}: section chain loops back at ${offset}`);
        offset = d.next;
      }
      if (primaryBad) throw new AppError('UNREADABLE', `EWF segment ${file}: chunk table and its backup are both damaged`);
      sawDone = last === 'done';
      if (!sawDone && s === segments.length - 1) {
        throw new AppError('FILE_MISSING', `EWF image ${segments[0]!.path}: segment ${s + 2} is missing (segment ${s + 1} ends with 'next')`);
      }
      starts.sort((a, b) => a - b);
      for (const entries of pending) {
        entries.forEach((entry, i) => {
          const nextEntry = entries[i + 1]?.offset;
          const nextSection = starts.find((x) => x > entry.offset) ?? size;
          chunks.push({ seg: s, entry, end: Math.min(nextEntry ?? Infinity, nextSection) });
        });
      }
    }
    if (!volume) throw new AppError('UNREADABLE', `EWF image ${segments[0]!.path} has no volume section`);
    const chunkSize = volume.sectorsPerChunk * volume.bytesPerSector;
    const mediaSize = volume.sectorCount * volume.bytesPerSector;
    const needed = Math.ceil(mediaSize / chunkSize);
    if (chunkSize <= 0 || chunks.length < needed) {
      throw new AppError('UNREADABLE', `EWF image ${segments[0]!.path} is incomplete: ${chunks.length} of ${needed} chunks are listed`);
    }
    const n = needed;
    const seg = new Uint16Array(n);
    const off = new Float64Array(n);
    const len = new Uint32Array(n);
    const zipped = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) {
      const c = chunks[i]!;
      seg[i] = c.seg;
      off[i] = c.entry.offset;
      len[i] = Math.max(0, c.end - c.entry.offset);
      zipped[i] = c.entry.compressed ? 1 : 0;
    }
    const metadata: EwfMetadata = {
      ...(header2 ?? header ?? {}),
      segmentCount: segments.length,
      chunkSize,
      chunkCount: n,
      bytesPerSector: volume.bytesPerSector,
      sectorCount: volume.sectorCount,
      mediaSize,
      mediaType: volume.mediaType,
      isPhysical: (volume.mediaFlags & 0x02) !== 0,
      setIdentifier: volume.setIdentifier,
      ...(md5 ? { storedMd5: md5 } : {}),
      ...(sha1 ? { storedSha1: sha1 } : {}),
    };
    return new EwfReader(segments, metadata, seg, off, len, zipped);
  }

  /** Where chunk `i` is stored: segment file, offset and stored length (for hex views and error reports). */
  chunkLocation(i: number): { path: string; offset: number; storedLength: number; compressed: boolean } {
    if (!Number.isInteger(i) || i < 0 || i >= this.metadata.chunkCount) throw new AppError('INVALID_INPUT', `No chunk ${i}`);
    return { path: this.segments[this.seg[i]!]!.path, offset: this.off[i]!, storedLength: this.len[i]!, compressed: this.zipped[i] === 1 };
  }

  /** The logical bytes of chunk `i`, checked against its checksum; throws EwfChunkError when corrupted. */
  async readChunk(i: number): Promise<Buffer> {
    const hit = this.cache.get(i);
    if (hit) return hit;
    const out = await this.loadChunk(i);
    this.cache.set(i, out);
    return out;
  }

  private async loadChunk(i: number): Promise<Buffer> {
    const s = this.segments[this.seg[i]!]!;
    return this.decodeChunk(i, await readAt(s.handle, this.off[i]!, this.len[i]!));
  }

  /** Reads chunks first..last with one file read per run of adjacent stored chunks, then decodes them in parallel. */
  private async loadRun(first: number, last: number, place: (i: number, chunk: Buffer) => void): Promise<void> {
    const decodes: Promise<void>[] = [];
    for (let a = first; a <= last; ) {
      let b = a;
      while (b < last && this.seg[b + 1] === this.seg[a] && this.off[b + 1] === this.off[b]! + this.len[b]!) b += 1;
      const span = await readAt(this.segments[this.seg[a]!]!.handle, this.off[a]!, this.off[b]! + this.len[b]! - this.off[a]!);
      for (let k = a; k <= b; k += 1) {
        const at = this.off[k]! - this.off[a]!;
        decodes.push(this.decodeChunk(k, span.subarray(at, at + this.len[k]!)).then((c) => place(k, c)));
      }
      a = b + 1;
    }
    await Promise.all(decodes);
  }

  private async decodeChunk(i: number, raw: Buffer): Promise<Buffer> {
    const { chunkSize, mediaSize } = this.metadata;
    const expected = Math.min(chunkSize, mediaSize - i * chunkSize);
    const s = this.segments[this.seg[i]!]!;
    const where = `${s.path} offset ${this.off[i]}`;
    let out: Buffer;
    if (this.zipped[i]) {
      try {
        out = await inflate(raw); // zlib checks the stream's own Adler-32
      } catch (err) {
        throw new EwfChunkError(i, i * chunkSize, (err as Error).message, where);
      }
    } else if (raw.length >= expected + 4) {
      out = raw.subarray(0, expected);
      if (adler32(out) !== raw.readUInt32LE(expected)) throw new EwfChunkError(i, i * chunkSize, 'checksum mismatch', where);
    } else {
      out = raw;
    }
    if (out.length < expected) throw new EwfChunkError(i, i * chunkSize, `${out.length} of ${expected} bytes`, where);
    return out.subarray(0, expected);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length);
    const want = Math.max(0, Math.min(length, this.size - offset));
    const out = Buffer.alloc(want);
    if (want === 0) return out;
    const cs = this.metadata.chunkSize;
    const first = Math.floor(offset / cs);
    const last = Math.floor((offset + want - 1) / cs);
    const place = (i: number, chunk: Buffer) => {
      const from = Math.max(offset, i * cs);
      const to = Math.min(offset + want, i * cs + chunk.length);
      chunk.copy(out, from - offset, from - i * cs, to - i * cs);
    };
    if (first === last) {
      place(first, await this.readChunk(first));
      return out;
    }
    // Partial chunks at either end go through the cache; whole chunks in the middle are read once, in batches.
    const inner = [first + (offset % cs === 0 ? 0 : 1), last - ((offset + want) % cs === 0 || offset + want === this.size ? 0 : 1)];
    const edges = [first, last].filter((k) => k < inner[0]! || k > inner[1]!);
    await Promise.all(edges.map(async (k) => place(k, await this.readChunk(k))));
    for (let i = inner[0]!; i <= inner[1]!; i += PARALLEL_CHUNKS) {
      await this.loadRun(i, Math.min(inner[1]!, i + PARALLEL_CHUNKS - 1), place);
    }
    return out;
  }

  async close(): Promise<void> {
    this.cache.clear();
    await Promise.all(this.segments.map((s) => s.handle.close()));
  }
}
