/**
 * Hashes the segments of a set in one read pass: each segment's own MD5/SHA-1/SHA-256 and, fed the
 * same chunks, the hashes of all segments' bytes concatenated in order (for split raw that is the
 * disk image's hash). Copy mode writes each segment into the case while it is read.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EvidenceSegment, Hashes } from '../../../shared/types.js';
import { cancelled } from '../hashing/cancel.js';
import { assertUnchanged, fileError, openSource, readFull, writeAll } from '../hashing/file-io.js';

const CHUNK = 4 * 1024 * 1024;

/** MD5, SHA-1 and SHA-256 fed together. */
export class TripleHash {
  private readonly hashes: [Hash, Hash, Hash] = [createHash('md5'), createHash('sha1'), createHash('sha256')];

  update(chunk: Buffer): void {
    for (const h of this.hashes) h.update(chunk);
  }

  digest(): Hashes {
    const [md5, sha1, sha256] = this.hashes.map((h) => h.digest('hex')) as [string, string, string];
    return { md5, sha1, sha256 };
  }
}

export interface SegmentPassOptions {
  signal?: AbortSignal;
  /** Bytes read so far in this segment. */
  onBytes?: (done: number) => void;
}

/**
 * Reads one segment, feeding `combined` too; with `dest` the bytes are also written to a new file
 * there (never overwriting), synced and made read-only. A partial destination is deleted on failure.
 */
export async function passSegment(file: string, dest: string | null, combined: TripleHash | null, opts: SegmentPassOptions = {}): Promise<EvidenceSegment> {
  if (opts.signal?.aborted) throw cancelled(file);
  const src = await openSource(file);
  let out: fs.FileHandle | null = null;
  try {
    if (dest) out = await fs.open(dest, 'wx', 0o600).catch((err: unknown) => Promise.reject(fileError(err, dest, 'writing')));
    const own = new TripleHash();
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    for (;;) {
      if (opts.signal?.aborted) throw cancelled(file);
      const n = await readFull(src, buf, Math.min(CHUNK, src.size - pos), pos);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      own.update(chunk);
      combined?.update(chunk);
      if (out && dest) await writeAll(out, dest, chunk, pos);
      pos += n;
      opts.onBytes?.(pos);
      if (pos >= src.size) break;
    }
    await assertUnchanged(src, pos);
    if (out && dest) {
      await out.sync();
      await out.close();
      out = null;
      await fs.chmod(dest, 0o444);
    }
    return { name: path.basename(file), size: pos, ...own.digest() };
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
  const combined = new TripleHash();
  const segments: EvidenceSegment[] = [];
  let base = 0;
  for (const file of files) {
    const dest = destDir ? path.join(destDir, path.basename(file)) : null;
    const seg = await passSegment(file, dest, combined, { signal: opts.signal, onBytes: (d) => opts.onProgress?.(base + d) });
    segments.push(seg);
    base += seg.size;
  }
  if (destDir) await syncFolder(destDir);
  return { size: base, ...combined.digest(), segments };
}

/** Makes the new directory entries durable too (POSIX); Windows cannot open a folder for this. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
