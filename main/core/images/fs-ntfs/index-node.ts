import { AppError } from '../../../../shared/errors.js';
import { parseFileName, type FileName } from './attrs.js';
import { fileRef } from './record.js';

/** One entry of a $I30 directory index: the file it refers to and its $FILE_NAME key. */
export interface IndexEntry { num: number; seq: number; fileName: FileName }

/** $INDEX_ROOT's header: the indexed attribute type and the size of its INDX records. */
export function parseIndexRootHeader(v: Buffer, what: string): { attrType: number; indexRecordSize: number } {
  if (v.length < 0x20) throw new AppError('UNREADABLE', `${what}: $INDEX_ROOT of ${v.length} bytes is too short`);
  return { attrType: v.readUInt32LE(0), indexRecordSize: v.readUInt32LE(8) };
}

/**
 * The entries of one index node whose node header starts at `nh` (0x10 in $INDEX_ROOT, 0x18 in an INDX
 * record). Entries are walked by length only, never through sub-node pointers, so a damaged tree cannot loop.
 */
export function parseIndexNode(buf: Buffer, nh: number, what: string): IndexEntry[] {
  if (nh + 16 > buf.length) throw new AppError('UNREADABLE', `${what}: index node header past the end`);
  const first = nh + buf.readUInt32LE(nh);
  const end = Math.min(nh + buf.readUInt32LE(nh + 4), buf.length);
  const out: IndexEntry[] = [];
  let p = first;
  while (p + 16 <= end) {
    const len = buf.readUInt16LE(p + 8);
    const keyLen = buf.readUInt16LE(p + 10);
    const flags = buf.readUInt16LE(p + 12);
    if (flags & 2) break; // the last entry carries no key
    if (len < 16 || len & 7 || p + len > end || 16 + keyLen > len) {
      throw new AppError('UNREADABLE', `${what}: corrupt index entry at byte ${p} (length ${len})`);
    }
    const ref = fileRef(buf, p);
    out.push({ num: ref.num, seq: ref.seq, fileName: parseFileName(buf.subarray(p + 16, p + 16 + keyLen), `${what} entry at byte ${p}`) });
    p += len;
  }
  return out;
}
