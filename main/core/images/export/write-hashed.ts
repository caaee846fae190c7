/** Writes a file's content out of an image to a new file, hashing it in the same pass. */
import { createHash } from 'node:crypto';
import { open, chmod } from 'node:fs/promises';
import type { FileSystem } from '../fs-types.js';
import { streamFile } from '../session/browse.js';

/**
 * Copies inode `inode` (size bytes; its alternate data stream `stream` when given) to `dest` (which must not exist),
 * fsyncs it, makes it read-only; returns the digests.
 */
export async function writeHashed(
  fs: FileSystem, inode: number, size: number, dest: string, signal: AbortSignal, onBytes: (done: number) => void, stream?: string,
): Promise<{ size: number; md5: string; sha1: string; sha256: string }> {
  const hashes = [createHash('md5'), createHash('sha1'), createHash('sha256')] as const;
  // 'wx': an export never overwrites anything, least of all earlier evidence.
  const handle = await open(dest, 'wx', 0o600);
  let written = 0;
  try {
    await streamFile(fs, inode, size, async (chunk) => {
      for (const h of hashes) h.update(chunk);
      let at = 0;
      while (at < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, at, chunk.length - at, written + at);
        at += bytesWritten;
      }
      written += chunk.length;
      onBytes(written);
    }, signal, stream);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(dest, 0o444);
  return { size: written, md5: hashes[0].digest('hex'), sha1: hashes[1].digest('hex'), sha256: hashes[2].digest('hex') };
}
