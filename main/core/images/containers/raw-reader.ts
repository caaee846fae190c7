import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/errors.js';
import { checkRange, type ImageReader } from './image-reader.js';

interface Segment {
  path: string;
  start: number; // logical offset of the segment's first byte
  size: number;
  handle: FileHandle;
}

/** Opens a plain raw image (sparse or not) read-only. */
export async function openRawImage(file: string): Promise<ImageReader> {
  return openSegments([file], `raw image ${file}`);
}

/** Opens a split raw image given its first segment; the other segments are found by name, in order. */
export async function openSplitRawImage(first: string): Promise<ImageReader> {
  const files = await findSplitSegments(first);
  return openSegments(files, `raw image ${first} (${files.length} segments)`);
}

type Scheme = { prefix: string; next: (i: number) => string; width: number; numeric: boolean };

/** Recognises `name.001` / `name.000` and `name.aa` style first segments. */
export function splitScheme(file: string): Scheme | null {
  const base = path.basename(file);
  const num = /^(.*\.)(0*[01])$/.exec(base);
  if (num && num[2]!.length >= 2) {
    const width = num[2]!.length;
    const startAt = Number(num[2]);
    return { prefix: num[1]!, width, numeric: true, next: (i) => String(startAt + i).padStart(width, '0') };
  }
  const alpha = /^(.*?)(a+)$/.exec(base);
  if (alpha && alpha[2]!.length >= 2 && /[._-]?$/.test(alpha[1]!)) {
    const width = alpha[2]!.length;
    return { prefix: alpha[1]!, width, numeric: false, next: (i) => toLetters(i, width) };
  }
  return null;
}

function toLetters(n: number, width: number): string {
  let out = '';
  for (let k = 0; k < width; k += 1) {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

/** Lists the segments of a split image in order; a missing segment before the last one is refused. */
export async function findSplitSegments(first: string): Promise<string[]> {
  const scheme = splitScheme(first);
  if (!scheme) throw new AppError('INVALID_INPUT', `${first} is not the first segment of a split image`);
  const dir = path.dirname(first);
  const names = new Set(await readdir(dir));
  const pattern = scheme.numeric
    ? new RegExp(`^${escapeRe(scheme.prefix)}\\d{${scheme.width}}$`)
    : new RegExp(`^${escapeRe(scheme.prefix)}[a-z]{${scheme.width}}$`);
  const members = [...names].filter((n) => pattern.test(n));
  const ordered: string[] = [];
  for (let i = 0; names.has(scheme.prefix + scheme.next(i)); i += 1) ordered.push(scheme.prefix + scheme.next(i));
  if (ordered.length < members.length) {
    const missing = scheme.prefix + scheme.next(ordered.length);
    throw new AppError('FILE_MISSING', `Split image ${first}: segment ${missing} is missing but later segments exist`);
  }
  return ordered.map((n) => path.join(dir, n));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function openSegments(files: string[], description: string): Promise<ImageReader> {
  const segments: Segment[] = [];
  let start = 0;
  try {
    for (const file of files) {
      const info = await stat(file);
      if (!info.isFile()) throw new AppError('NOT_A_FILE', `${file} is not a regular file`);
      // 'r' only: evidence is never opened for writing.
      const handle = await open(file, 'r');
      segments.push({ path: file, start, size: info.size, handle });
      start += info.size;
    }
  } catch (err) {
    await Promise.all(segments.map((s) => s.handle.close()));
    if (err instanceof AppError) throw err;
    throw new AppError('UNREADABLE', `Cannot open ${description}: ${(err as Error).message}`, { cause: err });
  }
  return new SegmentedReader(segments, start, description);
}

class SegmentedReader implements ImageReader {
  constructor(
    private readonly segments: Segment[],
    readonly size: number,
    readonly description: string,
  ) {}

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length);
    const want = Math.max(0, Math.min(length, this.size - offset));
    const out = Buffer.alloc(want);
    let done = 0;
    // Binary search would matter only for thousands of segments; split images rarely have that many.
    for (const seg of this.segments) {
      if (done >= want) break;
      const pos = offset + done;
      if (pos >= seg.start + seg.size || pos < seg.start) continue;
      const n = Math.min(want - done, seg.start + seg.size - pos);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await seg.handle.read(out, done + got, n - got, pos - seg.start + got);
        if (bytesRead === 0) throw new AppError('UNREADABLE', `${seg.path} shrank while being read`);
        got += bytesRead;
      }
      done += n;
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.segments.map((s) => s.handle.close()));
  }
}
