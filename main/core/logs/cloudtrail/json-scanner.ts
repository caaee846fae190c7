/**
 * Incremental JSON scanner: finds the byte range of each record without parsing the document, so
 * a file larger than V8's longest string streams in bounded memory; each record is JSON.parse'd
 * alone. Shapes: `{"Records":[...]}` (delivered logs), a top-level array (other tools' exports),
 * JSONL, and several top-level values in a row. The grammar is checked strictly only between
 * records; inside one only strings and bracket nesting are tracked, and its JSON.parse judges it.
 */
import {
  BSLASH, COLON, COLON_NEXT, COMMA, COMMA_OR_END, isDelimiter, isWs, KEY, KEY_OR_END, LBRACE, LBRACK, MAX_INNER_DEPTH, NL,
  QUOTE, RBRACE, RBRACK, ScanError, show, VALUE, VALUE_OR_END, decodeKey, type Frame, type ScanEvent, type ScanFormat,
} from './json-bytes.js';
import { RecordCapture } from './record-capture.js';

/** Feeds bytes in order with push(); collect what was found from `events` after each push. */
export class JsonRecordScanner {
  readonly events: ScanEvent[] = [];
  private pos = 0;
  private outer: Frame[] = [];
  private inner = new Uint8Array(MAX_INNER_DEPTH);
  private innerDepth = 0;
  private inString = false;
  private escape = false;
  private stringIsKey = false;
  private inScalar = false;
  /** outer.length at which values are records: 0 probing a top-level object, 1 array, 2 Records. */
  private elemParent = -1;
  private readonly cap: RecordCapture;
  private keyPieces: Buffer[] = [];
  private keyBytes = 0;
  private keyFrom = 0;
  private keyStart = 0;
  private lastKey = '';
  private topValues = 0;
  private topStart = 0;
  private jsonl = false;
  private newlineInValue = false;
  private skipLineFrom = -1;
  private skipWhy = '';
  private formatSent = false;

  /** `jsonl`: the file is known to hold one record per line (by its name), even if its first line is broken. */
  constructor(maxRecordBytes: number, jsonl = false) {
    this.cap = new RecordCapture(maxRecordBytes);
    this.jsonl = jsonl;
  }

  /** Scans the next chunk. Throws ScanError on a structural error. */
  push(buf: Buffer): void {
    const base = this.pos;
    for (let i = 0; i < buf.length; ) {
      try {
        i = this.run(buf, base, i);
      } catch (err) {
        // In JSONL a malformed line costs that line only: skip to its end and carry on.
        if (!(err instanceof ScanError) || !this.jsonl) throw err;
        const open = this.outer.length > 0 || this.innerDepth > 0;
        this.reset();
        this.skipLineFrom = open ? this.topStart : err.offset;
        this.skipWhy = err.message;
        i = err.offset - base + 1;
      }
    }
    this.pos = base + buf.length;
    this.keepPieces(buf);
  }

  /** Scans buf from `i` to its end; returns buf.length. */
  private run(buf: Buffer, base: number, i: number): number {
    const n = buf.length;
    let nextBackslash = -1;
    while (i < n) {
      if (this.inString && !this.escape && !this.jsonl) {
        // Most bytes are inside strings: jump to the next quote or backslash (JSONL checks every byte for a newline).
        if (nextBackslash < i) nextBackslash = buf.indexOf(BSLASH, i) >>> 0; // -1 becomes 2^32-1: none
        const q = buf.indexOf(QUOTE, i) >>> 0;
        i = Math.min(q, nextBackslash, n);
        if (i === n) break;
      }
      const c = buf[i]!;
      if (this.skipLineFrom >= 0) {
        const nl = buf.indexOf(NL, i);
        if (nl < 0) break;
        this.endSkippedLine(base + nl);
        i = nl + 1;
        continue;
      }
      if (c === NL && this.jsonl && (this.inString || this.innerDepth > 0 || this.inScalar || this.outer.length > 0)) {
        this.brokenLine(base + i);
        i++;
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          // Strings inside a record need nothing more; outer ones end a key or a value.
          if (this.innerDepth === 0 && this.stringIsKey) this.keyEnd(buf, i);
          else if (this.innerDepth === 0) this.valueEnd(buf, i + 1);
        }
        i++;
        continue;
      }
      if (this.innerDepth > 0) {
        if (c === QUOTE) this.inString = true;
        else if (c === LBRACE || c === LBRACK) {
          if (this.innerDepth >= MAX_INNER_DEPTH) throw new ScanError(`nesting deeper than ${MAX_INNER_DEPTH} levels`, base + i);
          this.inner[this.innerDepth++] = c === LBRACE ? RBRACE : RBRACK;
        } else if (c === RBRACE || c === RBRACK) {
          if (this.inner[this.innerDepth - 1] !== c) throw new ScanError(`unexpected ${show(c)}: brackets do not match`, base + i);
          if (--this.innerDepth === 0) this.valueEnd(buf, i + 1);
        } else if (c === NL) this.newlineInValue = true;
        i++;
        continue;
      }
      if (this.inScalar) {
        if (!isDelimiter(c)) {
          i++;
          continue;
        }
        this.inScalar = false;
        this.valueEnd(buf, i);
      }
      this.outerByte(buf, i, c, base);
      i++;
    }
    return n;
  }

  /** Call at end of input; throws if a value is left open. */
  finish(): void {
    if (this.skipLineFrom >= 0) return this.endSkippedLine(this.pos);
    if (!(this.inString || this.innerDepth > 0 || this.inScalar || this.outer.length > 0)) return;
    if (this.jsonl) return this.brokenLine(this.pos);
    const where = this.cap.active ? `the record starting at byte ${this.cap.start}` : 'the document';
    throw new ScanError(`truncated JSON: ${where} never closes (input ends at byte ${this.pos})`, this.pos);
  }

  private outerByte(buf: Buffer, i: number, c: number, base: number): void {
    if (isWs(c)) {
      if (c === NL && this.outer.length > 0) this.newlineInValue = true;
      return;
    }
    const depth = this.outer.length;
    if (depth === 0) {
      if (c === LBRACE || c === LBRACK) return this.startValue(buf, i, c, base);
      if (this.jsonl) {
        this.skipLineFrom = base + i;
        this.skipWhy = 'it is not a JSON object';
        return;
      }
      throw new ScanError(`unexpected ${show(c)} after the end of the JSON value`, base + i);
    }
    const f = this.outer[depth - 1]!;
    switch (f.state) {
      case KEY_OR_END:
      case KEY:
        if (c === QUOTE) {
          this.inString = true;
          this.stringIsKey = true;
          this.keyFrom = i + 1;
          this.keyStart = base + i + 1;
          this.keyPieces = [];
          this.keyBytes = 0;
          return;
        }
        if (c === RBRACE && f.state === KEY_OR_END) return this.closeOuter(buf, i);
        throw new ScanError(`expected a property name, found ${show(c)}`, base + i);
      case COLON_NEXT:
        if (c !== COLON) throw new ScanError(`expected ':' after property name, found ${show(c)}`, base + i);
        f.state = VALUE;
        return;
      case VALUE_OR_END:
        if (c === RBRACK) return this.closeOuter(buf, i);
        return this.startValue(buf, i, c, base);
      case VALUE:
        return this.startValue(buf, i, c, base);
      default:
        if (c === COMMA) f.state = f.close === RBRACE ? KEY : VALUE;
        else if (c === f.close) this.closeOuter(buf, i);
        else throw new ScanError(`expected ',' or '${String.fromCharCode(f.close)}', found ${show(c)}`, base + i);
    }
  }

  private startValue(buf: Buffer, i: number, c: number, base: number): void {
    const depth = this.outer.length;
    if (depth === 0) {
      this.newlineInValue = false;
      this.topStart = base + i;
      this.elemParent = c === LBRACE ? 0 : 1;
      if (c === LBRACK) this.announce('array');
      this.outer.push({ close: c === LBRACE ? RBRACE : RBRACK, state: c === LBRACE ? KEY_OR_END : VALUE_OR_END });
      if (c === LBRACE) this.cap.begin(i, base);
      return;
    }
    const parent = this.outer[depth - 1]!;
    if (depth === 1 && this.elemParent === 0 && c === LBRACK && parent.close === RBRACE && this.lastKey === 'Records') {
      // The top-level object is a delivered log file, not a record: its Records array holds them.
      this.cap.cancel();
      this.elemParent = 2;
      this.announce('records-object');
      this.outer.push({ close: RBRACK, state: VALUE_OR_END });
      return;
    }
    if (depth === this.elemParent) this.cap.begin(i, base);
    if (c === LBRACE || c === LBRACK) {
      this.inner[0] = c === LBRACE ? RBRACE : RBRACK;
      this.innerDepth = 1;
    } else if (c === QUOTE) {
      this.inString = true;
      this.stringIsKey = false;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
      this.inScalar = true;
    } else {
      throw new ScanError(`unexpected ${show(c)} where a value should start`, base + i);
    }
  }

  private closeOuter(buf: Buffer, i: number): void {
    const closed = this.outer.pop()!;
    if (closed.close === RBRACK && this.elemParent === this.outer.length + 1) this.elemParent = -1;
    this.valueEnd(buf, i + 1);
  }

  /** A value ended just before `end` (index into buf) in the innermost outer frame (or at top level). */
  private valueEnd(buf: Buffer, end: number): void {
    const depth = this.outer.length;
    if (this.cap.active && depth === this.elemParent) this.events.push(this.cap.end(buf, end, this.pos));
    if (depth > 0) {
      this.outer[depth - 1]!.state = COMMA_OR_END;
      return;
    }
    this.topValues++;
    if (this.elemParent === 0 && this.topValues === 1 && !this.newlineInValue) {
      // A first record written on one line: read the rest line by line, so one broken line
      // costs one record and not everything after it.
      this.jsonl = true;
    }
    if (this.elemParent === 0) this.announce(this.jsonl ? 'jsonl' : 'objects');
    this.elemParent = -1;
  }

  private keyEnd(buf: Buffer, i: number): void {
    const f = this.outer[this.outer.length - 1]!;
    f.state = COLON_NEXT;
    if (this.outer.length !== 1) return;
    const tail = buf.subarray(this.keyFrom, i);
    const key = decodeKey(this.keyPieces.length === 0 ? tail : Buffer.concat([...this.keyPieces, tail]));
    this.keyPieces = [];
    this.lastKey = key;
    if (this.topValues === 0) this.events.push({ kind: 'top-key', key, offset: this.keyStart });
  }

  /** At the end of a chunk, keeps the unfinished record's bytes (until it grows too large). */
  private keepPieces(buf: Buffer): void {
    if (this.inString && this.stringIsKey) {
      // Copied, so a long key does not pin whole chunks; past 64 KiB it is no key we look for.
      if (this.keyBytes < 65536) this.keyPieces.push(Buffer.from(buf.subarray(this.keyFrom)));
      this.keyBytes += buf.length - this.keyFrom;
      this.keyFrom = 0;
    }
    this.cap.keep(buf);
  }

  private endSkippedLine(at: number): void {
    this.events.push({ kind: 'broken-line', offset: this.skipLineFrom, length: at - this.skipLineFrom, why: this.skipWhy });
    this.skipLineFrom = -1;
  }

  private brokenLine(at: number): void {
    const start = this.outer.length > 0 || this.innerDepth > 0 ? this.topStart : at;
    this.events.push({ kind: 'broken-line', offset: start, length: at - start, why: 'it ends before its JSON value closes' });
    this.reset();
  }

  private reset(): void {
    this.outer = [];
    this.innerDepth = 0;
    this.inString = false;
    this.escape = false;
    this.inScalar = false;
    this.cap.cancel();
    this.elemParent = -1;
  }

  private announce(format: ScanFormat): void {
    if (this.formatSent) return;
    this.formatSent = true;
    this.events.push({ kind: 'format', format });
  }
}
