/** Body file lines of a whole file system, from any FileSystem reader, walked without following links. */
import type { FileSystem, FsStat } from '../fs-types.js';
import { walk } from '../fs-ext4/walk.js';
import { formatBodyfileLine, recordOf } from './bodyfile-line.js';

/** What a walk met besides entries; kept bounded so a badly damaged file system cannot flood custody. */
export interface BodyfileWalkStats {
  entries: number;
  deleted: number;
  /** Entries whose inode could not be read (written with zeros, as TSK does for a deleted name without one). */
  unreadableInodes: number;
  loops: number;
  unreadableDirectories: number;
  /** The first problems, with the path they were met at. */
  problems: { path: string; problem: string }[];
}

const MAX_PROBLEMS = 50;

/** Optional file-system hook: whether an inode is in use (tells a deleted name whose inode was reused). */
interface AllocationAware { inodeAllocated(inode: number): Promise<boolean> }

/** A fresh, empty stats object. */
export function newWalkStats(): BodyfileWalkStats {
  return { entries: 0, deleted: 0, unreadableInodes: 0, loops: 0, unreadableDirectories: 0, problems: [] };
}

function note(stats: BodyfileWalkStats, path: string, problem: string): void {
  if (stats.problems.length < MAX_PROBLEMS) stats.problems.push({ path, problem });
}

/**
 * Yields one body file line (no newline) per directory entry below the root, deleted names included,
 * "." and ".." left out, paths prefixed "/" as `fls -m /` writes them. Directory loops and unreadable
 * directories are counted in `stats` and the walk goes on (see fs-ext4/walk.ts for the loop guard).
 */
export async function* bodyfileLines(fs: FileSystem, stats: BodyfileWalkStats, signal?: AbortSignal): AsyncGenerator<string> {
  const allocated = (fs as Partial<AllocationAware>).inodeAllocated?.bind(fs);
  // Inodes are read one after another: reading them concurrently measured twice as slow (duplicate block reads).
  for await (const item of walk(fs, { signal })) {
    if (item.kind === 'loop') {
      stats.loops++;
      note(stats, `/${item.path}`, item.message);
      continue;
    }
    if (item.kind === 'error') {
      stats.unreadableDirectories++;
      note(stats, item.path.startsWith('/') ? item.path : `/${item.path}`, item.error.message);
      continue;
    }
    const { entry, path } = item;
    if (entry.name === '.' || entry.name === '..') continue;
    let stat: FsStat | null = null;
    if (entry.inode > 0) {
      try {
        stat = await fs.stat(entry.inode);
      } catch (err) {
        stats.unreadableInodes++;
        if (!entry.deleted) note(stats, `/${path}`, `inode ${entry.inode}: ${(err as Error).message}`);
      }
    }
    let realloc = false;
    if (entry.deleted && stat && allocated) realloc = await allocated(entry.inode).catch(() => false);
    stats.entries++;
    if (entry.deleted) stats.deleted++;
    yield formatBodyfileLine(recordOf(path, entry, stat, realloc));
  }
}
