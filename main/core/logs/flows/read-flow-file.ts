/**
 * Streaming reader for VPC flow log files: plain text, `.log` or gzip (sniffed from the magic
 * bytes, not the name). The first non-empty line is the header naming the fields; every later
 * line is a record or a counted skip. Memory is bounded by the longest line accepted.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../../../shared/errors.js';
import { FlowLineError, parseHeader, parseRecord, type FlowRecord, type FlowSkipCode } from './parse-record.js';

/** A record and the line (from 1, in the uncompressed content) it came from. */
export interface FlowItem {
  line: number;
  record: FlowRecord;
}

export interface FlowSkip {
  line: number;
  code: FlowSkipCode;
  message: string;
}

/** What a read found; live while reading, final once the iteration ends. */
export interface FlowReadSummary {
  compressed: boolean;
  header: string[] | null;
  fileBytes: number;
  bytesRead: number;
  records: number;
  skipped: number;
  skippedByCode: Partial<Record<FlowSkipCode, number>>;
  /** The first MAX_SKIPS skips; the counts above cover all of them. */
  skips: FlowSkip[];
  blankLines: number;
}

/** A line longer than this is not a flow log record (the longest custom format is well under 4 KiB). */
export const MAX_LINE = 64 * 1024;
const MAX_SKIPS = 100;

export interface FlowReader extends AsyncIterable<FlowItem> {
  summary: FlowReadSummary;
}

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return fs.readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens a flow log file for reading; the iteration throws AppError at a truncated or corrupt gzip, after every record before it. */
export function readFlowFile(file: string, opts: { signal?: AbortSignal } = {}): FlowReader {
  let compressed: boolean;
  let fileBytes: number;
  try {
    fileBytes = fs.statSync(file).size;
    compressed = isGzip(file);
  } catch (err) {
    throw new AppError('UNREADABLE', `Cannot read ${file}: ${(err as Error).message}`);
  }
  const summary: FlowReadSummary = {
    compressed, header: null, fileBytes, bytesRead: 0, records: 0, skipped: 0, skippedByCode: {}, skips: [], blankLines: 0,
  };
  const skip = (line: number, e: FlowLineError) => {
    summary.skipped++;
    summary.skippedByCode[e.code] = (summary.skippedByCode[e.code] ?? 0) + 1;
    if (summary.skips.length < MAX_SKIPS) summary.skips.push({ line, code: e.code, message: e.message });
  };
  async function* lines(): AsyncGenerator<{ n: number; text: string | null }> {
    const src = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
    src.on('data', () => (summary.bytesRead = src.bytesRead));
    let stream: NodeJS.ReadableStream = src;
    if (compressed) {
      const gunzip = createGunzip();
      src.on('error', (e) => gunzip.destroy(e));
      stream = src.pipe(gunzip);
    }
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let n = 0;
    let overlong = false;
    try {
      for await (const chunk of stream) {
        if (opts.signal?.aborted) throw new AppError('CANCELLED', 'Reading stopped');
        rest += decoder.write(chunk as Buffer);
        let at: number;
        while ((at = rest.indexOf('\n')) >= 0) {
          n++;
          yield { n, text: overlong ? null : rest.slice(0, at) };
          overlong = false;
          rest = rest.slice(at + 1);
        }
        // An endless line would otherwise grow without bound: keep reading, drop its text.
        if (rest.length > MAX_LINE) {
          overlong = true;
          rest = '';
        }
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      const what = compressed ? 'The gzip data is truncated or corrupt' : 'The file could not be read to its end';
      throw new AppError('INVALID_INPUT', `${what} after line ${n} (${(err as Error).message}); the records before it are kept`);
    } finally {
      src.destroy();
    }
    rest += decoder.end();
    if (rest.length > 0 || overlong) yield { n: n + 1, text: overlong ? null : rest };
  }
  return {
    summary,
    async *[Symbol.asyncIterator]() {
      for await (const { n, text } of lines()) {
        if (text === null) {
          skip(n, new FlowLineError('too-long', `Line longer than ${MAX_LINE} characters`));
          continue;
        }
        const line = text.endsWith('\r') ? text.slice(0, -1) : text;
        if (!line.trim()) {
          summary.blankLines++;
          continue;
        }
        if (!summary.header) {
          try {
            summary.header = parseHeader(line);
          } catch (err) {
            throw new AppError('INVALID_INPUT', `Not a VPC flow log file: ${(err as Error).message}`);
          }
          continue;
        }
        let record: FlowRecord;
        try {
          record = parseRecord(summary.header, line);
        } catch (err) {
          if (!(err instanceof FlowLineError)) throw err;
          skip(n, err);
          continue;
        }
        summary.records++;
        yield { line: n, record };
      }
      if (!summary.header) throw new AppError('INVALID_INPUT', 'Not a VPC flow log file: it is empty (no header line)');
    },
  };
}
