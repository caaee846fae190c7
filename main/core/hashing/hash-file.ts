import fs from 'node:fs/promises';
import path from 'node:path';
import { cancelled } from './cancel.js';
import { fileError, openSource, type SourceFile } from './file-io.js';
import { inlinePass } from './inline-pass.js';
import type { DestFile, HashOptions, HashResult } from './pass-types.js';
import { SMALL_FILE_LIMIT } from './ring-layout.js';
import { ringPass } from './ring-pass.js';

function runPass(src: SourceFile, dest: DestFile | null, opts: HashOptions): Promise<HashResult> {
  return src.size < SMALL_FILE_LIMIT ? inlinePass(src, dest, opts) : ringPass(src, dest, opts);
}

/**
 * MD5, SHA-1 and SHA-256 of a regular file in one read pass, in bounded memory. Rejects with
 * FILE_MISSING, NOT_A_FILE, UNREADABLE, CANCELLED, or FILE_CHANGED if the file changes meanwhile.
 */
export async function hashFile(filePath: string, opts: HashOptions = {}): Promise<HashResult> {
  if (opts.signal?.aborted) throw cancelled(filePath);
  const src = await openSource(filePath);
  try {
    return await runPass(src, null, opts);
  } finally {
    await src.handle.close().catch(() => undefined);
  }
}

/**
 * Copies `srcPath` to a new file `destPath` while hashing it, in the same read pass. The source is
 * only read (not even its access time changes where the OS allows). The destination must not exist
 * (EXISTS otherwise, and it is left alone); it is fsynced and then made read-only (0o444) before this
 * resolves. On any error or cancellation the partial destination is deleted and the error rethrown.
 */
export async function copyAndHash(srcPath: string, destPath: string, opts: HashOptions = {}): Promise<HashResult> {
  if (opts.signal?.aborted) throw cancelled(srcPath);
  const src = await openSource(srcPath);
  try {
    let dest: DestFile;
    try {
      // 'wx' (O_EXCL): never overwrite, and never follow a link planted at the destination.
      dest = { path: destPath, handle: await fs.open(destPath, 'wx', 0o600) };
    } catch (err) {
      throw fileError(err, destPath, 'writing');
    }
    let open = true;
    try {
      const result = await runPass(src, dest, opts);
      await dest.handle.sync();
      open = false;
      await dest.handle.close();
      await fs.chmod(destPath, 0o444);
      await syncFolder(path.dirname(destPath));
      return result;
    } catch (err) {
      if (open) await dest.handle.close().catch(() => undefined);
      await fs.rm(destPath, { force: true }).catch(() => undefined);
      throw fileError(err, destPath, 'writing');
    }
  } finally {
    await src.handle.close().catch(() => undefined);
  }
}

/** Makes the new directory entry durable too (POSIX); Windows cannot open a folder for this. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
