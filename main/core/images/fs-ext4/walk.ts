import { AppError } from '../../../../shared/errors.js';
import type { FileSystem, FsEntry } from '../fs-types.js';

/** One step of a tree walk: an entry, a directory not descended into because it loops, or an unreadable directory. */
export type WalkItem =
  | { kind: 'entry'; path: string; depth: number; entry: FsEntry }
  | { kind: 'loop'; path: string; inode: number; message: string }
  | { kind: 'error'; path: string; inode: number; error: AppError };

export interface WalkOptions { maxDepth?: number; signal?: AbortSignal }

/** Optional file-system hook: whether a deleted directory entry can still be listed (its inode free and intact). */
export interface RecoverableDirs { isRecoverableDir(inode: number): Promise<boolean> }

/**
 * Depth-first walk of the whole tree from the root. Each directory inode is entered once: one seen before
 * (an ancestor pointing back, or a second name for a directory) is reported as a loop, so damaged or
 * crafted file systems cannot make the walk run forever. A deleted directory is entered only when the file
 * system says its inode is free and still a directory (as `fls -r` does); its contents are reported deleted.
 */
export async function* walk(fs: FileSystem, opts: WalkOptions = {}): AsyncGenerator<WalkItem> {
  const maxDepth = opts.maxDepth ?? 256;
  const seen = new Set<number>([fs.rootInode]);
  const recoverable = (fs as Partial<RecoverableDirs>).isRecoverableDir?.bind(fs);
  const stack: { inode: number; path: string; depth: number; ancestors: number[]; deleted: boolean }[] = [
    { inode: fs.rootInode, path: '', depth: 0, ancestors: [fs.rootInode], deleted: false },
  ];
  while (stack.length > 0) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'File system walk cancelled');
    const dir = stack.pop()!;
    let entries: FsEntry[];
    try {
      entries = await fs.readDir(dir.inode);
    } catch (err) {
      const error = err instanceof AppError ? err : new AppError('UNREADABLE', String(err));
      yield { kind: 'error', path: dir.path || '/', inode: dir.inode, error };
      continue;
    }
    const children: typeof stack = [];
    for (const found of entries) {
      // Everything inside a deleted directory is deleted too, whatever its own record says.
      const entry = dir.deleted && !found.deleted ? { ...found, deleted: true } : found;
      const path = dir.path ? `${dir.path}/${entry.name}` : entry.name;
      yield { kind: 'entry', path, depth: dir.depth, entry };
      if (entry.type !== 'dir' || entry.inode === 0) continue;
      if (entry.deleted && !(recoverable && (await recoverable(entry.inode)))) continue;
      if (seen.has(entry.inode)) {
        const back = dir.ancestors.includes(entry.inode);
        yield {
          kind: 'loop', path, inode: entry.inode,
          message: back ? `${path} points back to its ancestor inode ${entry.inode}` : `${path} is a second name for directory inode ${entry.inode}`,
        };
        continue;
      }
      seen.add(entry.inode);
      if (dir.depth + 1 > maxDepth) {
        yield { kind: 'error', path, inode: entry.inode, error: new AppError('UNREADABLE', `${path}: deeper than ${maxDepth} levels, not entered`) };
        continue;
      }
      children.push({ inode: entry.inode, path, depth: dir.depth + 1, ancestors: [...dir.ancestors, entry.inode], deleted: entry.deleted });
    }
    // Reverse so the first child is walked first, like `fls -r`.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}
