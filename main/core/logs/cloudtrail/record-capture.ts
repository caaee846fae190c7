import type { ScanEvent } from './json-bytes.js';

/**
 * Collects the bytes of the record being scanned, across chunks, up to a size limit. Chunk slices
 * are kept as views (no copy) and joined once the record ends.
 */
export class RecordCapture {
  active = false;
  start = 0;
  private from = 0;
  private bytes = 0;
  private oversize = false;
  private pieces: Buffer[] = [];

  constructor(private readonly max: number) {}

  /** The record starts at index `i` of the current chunk, whose first byte is at offset `base`. */
  begin(i: number, base: number): void {
    Object.assign(this, { active: true, start: base + i, from: i, bytes: 0, oversize: false, pieces: [] });
  }

  cancel(): void {
    this.active = false;
    this.pieces = [];
  }

  /** The record ends before index `end` of the current chunk (whose first byte is at `base`). */
  end(buf: Buffer, end: number, base: number): ScanEvent {
    this.active = false;
    const length = base + end - this.start;
    const pieces = this.pieces;
    this.pieces = [];
    if (this.oversize || length > this.max) return { kind: 'oversize', offset: this.start, length };
    const tail = buf.subarray(this.from, end);
    return { kind: 'element', offset: this.start, bytes: pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]) };
  }

  /** At the end of a chunk: keeps the unfinished record's part of it, until the record grows too large. */
  keep(buf: Buffer): void {
    if (!this.active) return;
    if (!this.oversize) {
      const piece = buf.subarray(this.from);
      this.bytes += piece.length;
      if (this.bytes > this.max) {
        this.oversize = true;
        this.pieces = [];
      } else {
        this.pieces.push(piece);
      }
    }
    this.from = 0;
  }
}
