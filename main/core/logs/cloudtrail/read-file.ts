import { isUtf8 } from 'node:buffer';
import type { ReadStream } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../../../shared/errors.js';
import { fileError } from '../../hashing/file-io.js';
import { ScanError, type ScanEvent, type ScanFormat } from './json-bytes.js';
import { JsonRecordScanner } from './json-scanner.js';
import { tryNormalise, type CloudTrailRecord, type RecordProblem } from './record.js';
import { describeForeignElement, describeNonJson, describeTopKey } from './sniff.js';

/** Why an element of a file was not turned into a record. */
export type SkipCode = 'invalid-json' | 'not-utf8' | 'too-large' | 'bad-line' | RecordProblem['code'];

export interface SkipDetail {
  /** Position among the file's elements (records and skips together), from 0. */
  index: number;
  /** Byte offset of the element in the (uncompressed) content. */
  offset: number;
  code: SkipCode;
  message: string;
}

/** What a read found; live while reading (for progress), final once `done` is true. */
export interface CloudTrailReadSummary {
  path: string;
  compressed: boolean;
  format: ScanFormat | null;
  /** Size of the file on disk, and how much of it has been read so far. */
  fileBytes: number;
  bytesRead: number;
  uncompressedBytes: number;
  /** Every element found: records + skipped. */
  elements: number;
  records: number;
  skipped: number;
  skippedByCode: Partial<Record<SkipCode, number>>;
  /** The first MAX_SKIP_DETAILS skips, with where and why; the counts above cover all of them. */
  skips: SkipDetail[];
  withoutEventId: number;
  done: boolean;
  durationMs: number;
}

/** One record as read: its normalised form, its exact text, and where it sat in the file. */
export interface CloudTrailItem {
  record: CloudTrailRecord;
  raw: string;
  index: number;
  offset: number;
  length: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Larger records are skipped (counted, with reason). Default 32 MiB. */
  maxRecordBytes?: number;
}

export const MAX_SKIP_DETAILS = 1000;
const DEFAULT_MAX_RECORD = 32 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/**
 * Streams the records of a CloudTrail log file (`.json` or `.json.gz`: `{"Records":[...]}`, a
 * JSON array of records, or JSONL) in bounded memory. Bad elements are skipped and counted in
 * `summary`; a file that is broken as a whole (corrupt gzip, broken JSON structure, another kind
 * of file) raises an AppError naming the file and byte offset, after the records before it.
 */
export function readCloudTrailFile(filePath: string, opts: ReadOptions = {}): CloudTrailFileReader {
  return new CloudTrailFileReader(filePath, opts);
}

/** Iterate once with `for await`; read `summary` during or after. */
export class CloudTrailFileReader implements AsyncIterable<CloudTrailItem> {
  readonly summary: CloudTrailReadSummary;
  private started = false;
  private readonly maxRecord: number;
  /** Bytes before the JSON (a BOM, blank lines): scanner offsets are relative to its start. */
  private base = 0;

  constructor(
    readonly path: string,
    private readonly opts: ReadOptions,
  ) {
    this.maxRecord = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD;
    this.summary = {
      path, compressed: false, format: null, fileBytes: 0, bytesRead: 0, uncompressedBytes: 0, elements: 0,
      records: 0, skipped: 0, skippedByCode: {}, skips: [], withoutEventId: 0, done: false, durationMs: 0,
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<CloudTrailItem> {
    if (this.started) throw new AppError('INTERNAL', `${this.path} is already being read; a reader reads once.`);
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<CloudTrailItem> {
    const t0 = performance.now();
    const { signal } = this.opts;
    if (signal?.aborted) throw this.cancelled();
    const handle = await this.open();
    let file: ReadStream | null = null;
    let source: Readable | null = null;
    try {
      const magic = Buffer.alloc(2);
      await handle.read(magic, 0, 2, 0);
      this.summary.compressed = magic[0] === 0x1f && magic[1] === 0x8b;
      file = handle.createReadStream({ start: 0, highWaterMark: CHUNK, autoClose: false });
      source = file;
      if (this.summary.compressed) {
        const gunzip = createGunzip({ chunkSize: 256 * 1024 });
        file.on('error', (err) => gunzip.destroy(err));
        source = file.pipe(gunzip);
      }
      const scanner = new JsonRecordScanner(this.maxRecord, /\.(jsonl|ndjson)(\.gz)?$/i.test(this.path));
      const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      let shift = -1; // bytes before the JSON (a BOM); -1 until the first non-blank byte is seen
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (err) {
          throw this.readError(err, file);
        }
        if (next.done) break;
        if (signal?.aborted) throw this.cancelled();
        let chunk = next.value;
        this.summary.bytesRead = file.bytesRead;
        this.summary.uncompressedBytes += chunk.length;
        if (shift < 0) {
          shift = this.firstByte(chunk);
          if (shift < 0) continue; // all blank so far: nothing to scan
          this.base = this.summary.uncompressedBytes - chunk.length + shift;
          chunk = chunk.subarray(shift);
        }
        const broken = this.scan(scanner, () => scanner.push(chunk));
        // Records found before a structural error are still delivered, then the error.
        yield* this.drain(scanner.events);
        if (broken) throw this.structural(broken);
      }
      if (shift < 0) throw this.wrongKind('it is empty');
      const broken = this.scan(scanner, () => scanner.finish());
      yield* this.drain(scanner.events);
      if (broken) throw this.structural(broken);
      this.summary.done = true;
    } finally {
      this.summary.durationMs = performance.now() - t0;
      source?.destroy();
      file?.destroy();
      await handle.close().catch(() => undefined);
    }
  }

  private async open(): Promise<FileHandle> {
    try {
      const st = await fs.stat(this.path);
      if (!st.isFile()) throw new AppError('NOT_A_FILE', `${this.path} is not a regular file.`);
      this.summary.fileBytes = st.size;
      return await fs.open(this.path, 'r');
    } catch (err) {
      throw fileError(err, this.path, 'reading');
    }
  }

  /** Index of the first non-blank byte after an optional BOM (checks the JSON opens), or -1. */
  private firstByte(chunk: Buffer): number {
    let i = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
    while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x0a || chunk[i] === 0x0d || chunk[i] === 0x09)) i++;
    if (i === chunk.length) return -1;
    if (chunk[i] !== 0x7b && chunk[i] !== 0x5b) throw this.wrongKind(describeNonJson(chunk));
    return i;
  }

  /** Runs one scanner step; a structural error is returned (to throw after draining), not thrown. */
  private scan(scanner: JsonRecordScanner, step: () => void): ScanError | null {
    try {
      step();
      return null;
    } catch (err) {
      if (err instanceof ScanError) return err;
      throw err;
    }
  }

  private structural(err: ScanError): AppError {
    const at = this.where(this.base + err.offset);
    return new AppError('INVALID_INPUT', `${this.path}: invalid JSON at ${at}: ${err.message}. ${this.soFar()}`);
  }

  private *drain(events: ScanEvent[]): Generator<CloudTrailItem> {
    const batch = events.splice(0, events.length);
    for (const ev of batch) {
      switch (ev.kind) {
        case 'format':
          this.summary.format = ev.format;
          break;
        case 'top-key': {
          const why = describeTopKey(ev.key);
          if (why) throw this.wrongKind(why);
          break;
        }
        case 'oversize':
          this.skip(this.summary.elements++, this.base + ev.offset, 'too-large', `record of ${ev.length} bytes is over the ${this.maxRecord} byte limit`);
          break;
        case 'broken-line':
          this.skip(this.summary.elements++, this.base + ev.offset, 'bad-line', `line of ${ev.length} bytes skipped: ${ev.why}`);
          break;
        case 'element': {
          const item = this.element(ev.bytes, this.base + ev.offset);
          if (item) yield item;
          break;
        }
      }
    }
  }

  private element(bytes: Buffer, offset: number): CloudTrailItem | null {
    const index = this.summary.elements++;
    if (!isUtf8(bytes)) return this.skip(index, offset, 'not-utf8', 'record is not valid UTF-8');
    let raw = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      const msg = (err as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const at = pos ? offset + Buffer.byteLength(raw.slice(0, Number(pos[1]))) : offset;
      const reason = msg.replace(/ in JSON at position \d+.*$/, '');
      return this.skip(index, offset, 'invalid-json', `invalid JSON at ${this.where(at)}: ${reason}`);
    }
    if (typeof value === 'string' && value.startsWith('{')) {
      // Exports of LookupEvents (`--query 'Events[].CloudTrailEvent'`) hold each record as a JSON string.
      try {
        value = JSON.parse(raw = value);
      } catch {
        raw = bytes.toString('utf8'); // stays a string, skipped below as not an object
      }
    }
    if (index === 0) {
      const why = describeForeignElement(value);
      if (why) throw this.wrongKind(why);
    }
    const result = tryNormalise(value, raw);
    if (!result.ok) return this.skip(index, offset, result.problem.code, result.problem.message);
    this.summary.records++;
    if (result.record.eventId === null) this.summary.withoutEventId++;
    return { record: result.record, raw, index, offset, length: bytes.length };
  }

  private skip(index: number, offset: number, code: SkipCode, message: string): null {
    const s = this.summary;
    s.skipped++;
    s.skippedByCode[code] = (s.skippedByCode[code] ?? 0) + 1;
    if (s.skips.length < MAX_SKIP_DETAILS) s.skips.push({ index, offset, code, message });
    return null;
  }

  private where(offset: number): string {
    return this.summary.compressed ? `uncompressed byte ${offset}` : `byte ${offset}`;
  }

  private soFar(): string {
    const s = this.summary;
    return `${s.records} records were read before it${s.skipped ? ` (${s.skipped} skipped)` : ''}.`;
  }

  private wrongKind(why: string): AppError {
    return new AppError('INVALID_INPUT', `${this.path} is not a CloudTrail log file: ${why}.`);
  }

  private cancelled(): AppError {
    return new AppError('CANCELLED', `Reading ${this.path} was cancelled after ${this.summary.records} records.`);
  }

  private readError(err: unknown, file: ReadStream): AppError {
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
    if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
      return new AppError(
        'INVALID_INPUT',
        `${this.path}: truncated or corrupt gzip at or before compressed byte ${file.bytesRead} ` +
          `(uncompressed byte ${this.summary.uncompressedBytes}): ${(err as Error).message}. ${this.soFar()}`,
        { cause: err },
      );
    }
    return fileError(err, this.path, 'reading');
  }
}
