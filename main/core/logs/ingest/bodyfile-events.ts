/**
 * File-system times as timeline rows: each body file record gives one ct_events row per distinct
 * time, flagged in mactime's "macb" convention (m = modified, a = accessed, c = inode changed,
 * b = born), so CloudTrail's filters, facets, histogram and export show them unchanged.
 */
import type { CaseDb } from '../../cases/case-db.js';
import type { BodyfileRecord } from '../../images/bodyfile/bodyfile-line.js';

/** event_source of every row made from a body file. */
export const FILE_SYSTEM_SOURCE = 'file-system';

/** One timeline row from a body file record. */
export interface FileSystemEvent {
  eventTime: string;
  macb: string;
  record: BodyfileRecord;
}

// Beyond ±8.64e15 ms a Date is invalid; a corrupt inode can hold any 64-bit time.
const MAX_SECONDS = 8.64e12;

/**
 * The record's events: one per distinct non-zero time (0 means "not recorded", and mactime leaves it out),
 * with the letters of every time equal to it, e.g. "m.c." when modified and changed at the same second.
 */
export function eventsOf(record: BodyfileRecord): FileSystemEvent[] {
  const times = [record.mtime, record.atime, record.ctime, record.crtime];
  const out: FileSystemEvent[] = [];
  const done = new Set<number>();
  for (const t of times) {
    if (t === 0 || done.has(t) || Math.abs(t) > MAX_SECONDS) continue;
    done.add(t);
    const macb = times.map((x, i) => (x === t ? 'macb'[i] : '.')).join('');
    out.push({ eventTime: new Date(t * 1000).toISOString(), macb, record });
  }
  return out;
}

/** Where a body file's rows come from; stored on every row so an event leads back to its line. */
export interface BodyfileSource {
  artifactId: string;
  sha256: string;
  jobId: string;
}

/** Counts of one batch. */
export interface BodyfileBatchOutcome {
  events: number;
  inserted: number;
  duplicates: number;
}

/**
 * Stable dedupe key: the body file's content hash, the line's byte offset and the flags. Adding the same
 * body file again (or a byte-identical copy) stores nothing new; two different body files never collide.
 */
export function fileSystemEventId(sha256: string, offset: number, macb: string): string {
  return `fs:${sha256}:${offset}:${macb}`;
}

const COLUMNS = [
  'event_time', 'event_source', 'event_name', 'actor', 'event_id', 'resources', 'raw',
  'source_artifact_id', 'source_sha256', 'source_offset', 'ingest_job_id',
] as const;

/** A writer of body file rows into ct_events; `write` must run inside a transaction for speed. */
export class BodyfileEventStore {
  private readonly insert;

  constructor(db: CaseDb) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO ct_events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  }

  /** Inserts the events of parsed lines (line text and byte offset in the file). */
  write(lines: { line: string; offset: number; record: BodyfileRecord }[], src: BodyfileSource): BodyfileBatchOutcome {
    const out: BodyfileBatchOutcome = { events: 0, inserted: 0, duplicates: 0 };
    for (const { line, offset, record } of lines) {
      // The raw record: the line exactly as in the file, and its fields, for the event detail and text search.
      const raw = JSON.stringify({ bodyfile: line, ...record });
      for (const e of eventsOf(record)) {
        out.events++;
        // actor is what the timeline's table shows beside the time: for a file, its path.
        const res = this.insert.run(
          e.eventTime, FILE_SYSTEM_SOURCE, e.macb, record.name, fileSystemEventId(src.sha256, offset, e.macb), '[]', raw,
          src.artifactId, src.sha256, offset, src.jobId,
        );
        if (res.changes === 1) out.inserted++;
        else out.duplicates++;
      }
    }
    return out;
  }
}

/** A line that is not a body file record, by byte offset. */
export interface BodyfileSkip {
  offset: number;
  reason: string;
}

/**
 * Splits a body file into lines with their byte offsets, streaming: feed chunks, then `end()`.
 * CR before LF is dropped; an empty line is ignored.
 */
export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);
  private restOffset = 0;

  constructor(private readonly onLine: (line: string, offset: number) => void) {}

  push(chunk: Buffer): void {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      this.emit(buf.subarray(start, nl), this.restOffset + start);
      start = nl + 1;
    }
    this.rest = Buffer.from(buf.subarray(start));
    this.restOffset += start;
  }

  end(): void {
    if (this.rest.length) this.emit(this.rest, this.restOffset);
    this.rest = Buffer.alloc(0);
  }

  private emit(bytes: Buffer, offset: number): void {
    const end = bytes.length && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    if (end === 0) return;
    this.onLine(bytes.subarray(0, end).toString('utf8'), offset);
  }
}
