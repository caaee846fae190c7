/**
 * Hashes the segments of a set in one read pass: each segment's own MD5/SHA-1/SHA-256 and, fed the
 * same chunks, the hashes of all segments' bytes concatenated in order (for split raw that is the
 * disk image's hash). Copy mode writes each segment into the case while it is read. The digests are
 * computed on two worker threads (set-hash-pass.ts); this thread only reads and writes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EvidenceSegment, Hashes } from '../../../shared/types.js';
import { cancelled } from '../hashing/cancel.js';
import { fileError, openSource } from '../hashing/file-io.js';
import { SetHashPass } from './set-hash-pass.js';

export interface SegmentPassOptions {
  signal?: AbortSignal;
  /** Bytes read so far in this segment. */
  onBytes?: (done: number) => void;
}

/**
 * Reads one segment into `pass` and returns its size; with `dest` the bytes are also written to a new
 * file there (never overwriting), synced and made read-only. A partial destination is deleted on failure.
 */
export async function passSegment(file: string, dest: string | null, pass: SetHashPass, opts: SegmentPassOptions = {}): Promise<number> {
  if (opts.signal?.aborted) throw cancelled(file);
  const src = await openSource(file);
  let out: fs.FileHandle | null = null;
  try {
    if (dest) out = await fs.open(dest, 'wx', 0o600).catch((err: unknown) => Promise.reject(fileError(err, dest, 'writing')));
    const size = await pass.segment(src, out && dest ? { handle: out, path: dest } : null, opts.onBytes);
    if (out && dest) {
      await out.sync();
      await out.close();
      out = null;
      await fs.chmod(dest, 0o444);
    }
    return size;
  } catch (err) {
    if (out) await out.close().catch(() => undefined);
    if (dest) await fs.rm(dest, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    await src.handle.close().catch(() => undefined);
  }
}

/** The set's total size and combined hashes, with each segment's size and hashes in order. */
export interface SetHashResult extends Hashes {
  size: number;
  segments: EvidenceSegment[];
}

/** Hashes (and with `destDir`, copies) every segment in order; progress counts bytes over the set. */
export async function hashSegments(
  files: string[],
  destDir: string | null,
  opts: { signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<SetHashResult> {
  const pass = new SetHashPass(opts.signal);
  const sizes: number[] = [];
  let base = 0;
  try {
    for (const file of files) {
      const dest = destDir ? path.join(destDir, path.basename(file)) : null;
      const size = await passSegment(file, dest, pass, { signal: opts.signal, onBytes: (d) => opts.onProgress?.(base + d) });
      sizes.push(size);
      base += size;
    }
  } catch (err) {
    await pass.abort();
    throw err;
  }
  const { combined, segments } = await pass.finish();
  if (destDir) await syncFolder(destDir);
  return {
    size: base,
    ...combined,
    segments: files.map((file, i) => ({ name: path.basename(file), size: sizes[i]!, ...segments[i]! })),
  };
}

/** Makes the new directory entries durable too (POSIX); Windows cannot open a folder for this. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
