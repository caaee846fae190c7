import { createHash } from 'node:crypto';
import { cancelled } from './cancel.js';
import { assertUnchanged, readFull, writeAll, type SourceFile } from './file-io.js';
import type { DestFile, HashOptions, HashResult } from './pass-types.js';
import { SMALL_FILE_LIMIT } from './ring-layout.js';

/** Hashes (and optionally copies) a file below SMALL_FILE_LIMIT on the calling thread, in one read. */
export async function inlinePass(src: SourceFile, dest: DestFile | null, opts: HashOptions): Promise<HashResult> {
  // The whole file fits in one small buffer; bounded because the caller checked the size.
  const buffer = Buffer.allocUnsafe(Math.min(Math.max(src.size, 1), SMALL_FILE_LIMIT));
  const bytes = await readFull(src, buffer, src.size, 0);
  if (opts.signal?.aborted) throw cancelled(src.path);
  const chunk = buffer.subarray(0, bytes);
  if (dest) await writeAll(dest.handle, dest.path, chunk, 0);
  opts.onProgress?.(bytes, src.size);
  await assertUnchanged(src, bytes);
  if (opts.signal?.aborted) throw cancelled(src.path);
  return {
    size: bytes,
    md5: createHash('md5').update(chunk).digest('hex'),
    sha1: createHash('sha1').update(chunk).digest('hex'),
    sha256: createHash('sha256').update(chunk).digest('hex'),
  };
}
