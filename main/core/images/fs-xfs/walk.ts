import { AppError } from '../../../../shared/errors.js';
import type { FileSystem, FsEntry } from '../fs-types.js';

/** One entry found by `walk`, with its path from the start directory. */
export interface WalkItem {
  path: string;
  entry: FsEntry;
}

/** A directory that could not be listed, or a loop; the walk records it and carries on. */
export interface WalkProblem {
  path: string;
  inode: number;
  message: string;
}

/**
 * Walks a file system tree depth-first, yielding every entry. A directory reached twice (a loop or a
 * hard-linked directory in a damaged file system) is reported once as a problem and not entered again,
 * so a corrupt image cannot make the walk run forever; an unreadable directory is reported and skipped.
 */
export async function* walk(
  fs: FileSystem, start = fs.rootInode, problems: WalkProblem[] = [], signal?: AbortSignal,
): AsyncGenerator<WalkItem> {
  const visited = new Set<number>([start]);
  const stack: { path: string; inode: number }[] = [{ path: '', inode: start }];
  while (stack.length > 0) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'Walk cancelled');
    const dir = stack.pop()!;
    let entries: FsEntry[];
    try {
      entries = await fs.readDir(dir.inode);
    } catch (err) {
      problems.push({ path: dir.path || '/', inode: dir.inode, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const subdirs: { path: string; inode: number }[] = [];
    for (const entry of entries) {
      const p = `${dir.path}/${entry.name}`;
      yield { path: p, entry };
      if (entry.type !== 'dir' || entry.deleted) continue;
      if (visited.has(entry.inode)) {
        problems.push({ path: p, inode: entry.inode, message: `Directory loop: inode ${entry.inode} was already visited` });
        continue;
      }
      visited.add(entry.inode);
      subdirs.push({ path: p, inode: entry.inode });
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}
