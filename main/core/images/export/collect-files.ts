/** What a folder export takes: the regular files below a directory, walked without following links. */
import { AppError } from '../../../../shared/errors.js';
import type { FileSystem, FsStat } from '../fs-types.js';

/** A regular file to export, with its path inside the image. */
export interface ExportItem {
  inode: number;
  path: string;
  stat: FsStat;
  /** An alternate data stream exported instead of the main content; `stat.size` is then the stream's size. */
  stream?: string;
}

/** Files below `inode` (itself when it is a file); symlinks, devices and deleted entries are skipped with a reason. */
export async function collectFiles(
  fs: FileSystem, inode: number, rootPath: string, recursive: boolean, signal?: AbortSignal,
): Promise<{ items: ExportItem[]; skipped: { path: string; reason: string }[] }> {
  const top = await fs.stat(inode);
  if (top.type === 'file') return { items: [{ inode, path: rootPath, stat: top }], skipped: [] };
  if (top.type !== 'dir') throw new AppError('INVALID_INPUT', `${rootPath} is a ${top.type}; only files and folders can be exported (symlinks are not followed)`);
  if (!recursive) throw new AppError('INVALID_INPUT', `${rootPath} is a folder; export it with recursive set`);
  const items: ExportItem[] = [];
  const skipped: { path: string; reason: string }[] = [];
  // Each directory inode is entered once, so a damaged tree that loops cannot make this run forever.
  const seen = new Set<number>([inode]);
  const stack = [{ inode, path: rootPath === '/' ? '' : rootPath }];
  while (stack.length > 0) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'Export cancelled');
    const dir = stack.pop()!;
    let entries;
    try {
      entries = await fs.readDir(dir.inode);
    } catch (err) {
      skipped.push({ path: dir.path || '/', reason: `unreadable directory: ${(err as Error).message}` });
      continue;
    }
    for (const e of entries) {
      const p = `${dir.path}/${e.name}`;
      if (e.deleted) {
        skipped.push({ path: p, reason: 'deleted entry' });
      } else if (e.type === 'dir') {
        if (seen.has(e.inode)) skipped.push({ path: p, reason: `directory inode ${e.inode} seen before (loop)` });
        else {
          seen.add(e.inode);
          stack.push({ inode: e.inode, path: p });
        }
      } else if (e.type !== 'file') {
        skipped.push({ path: p, reason: e.type === 'symlink' ? 'symlink (not followed)' : 'not a regular file' });
      } else {
        try {
          items.push({ inode: e.inode, path: p, stat: await fs.stat(e.inode) });
        } catch (err) {
          skipped.push({ path: p, reason: `unreadable inode ${e.inode}: ${(err as Error).message}` });
        }
      }
    }
  }
  return { items, skipped };
}
