/**
 * The Sleuth Kit 3.x+ body file line: MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime,
 * times in whole epoch seconds, 0 for "none". Writing (as `fls -m /` does) and reading (for the timeline).
 */
import type { FsEntry, FsStat } from '../fs-types.js';

/** One body file record. `inode` is text because TSK writes NTFS addresses as "128-128-1". */
export interface BodyfileRecord {
  md5: string;
  name: string;
  inode: string;
  mode: string;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
  crtime: number;
}

const META_TYPE: Record<number, string> = { 0x8000: 'r', 0x4000: 'd', 0xa000: 'l', 0x2000: 'c', 0x6000: 'b', 0x1000: 'p', 0xc000: 's' };
const NAME_TYPE: Record<FsEntry['type'], string> = { file: 'r', dir: 'd', symlink: 'l', other: '-' };

/** rwx triplets as `ls` and TSK show them, with setuid/setgid/sticky as s/S and t/T. */
function permissions(mode: number): string {
  const triplet = (shift: number, special: boolean, on: string, off: string): string => {
    const bits = (mode >> shift) & 7;
    const x = bits & 1 ? (special ? on : 'x') : special ? off : '-';
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${x}`;
  };
  return triplet(6, (mode & 0o4000) !== 0, 's', 'S') + triplet(3, (mode & 0o2000) !== 0, 's', 'S') + triplet(0, (mode & 0o1000) !== 0, 't', 'T');
}

/**
 * TSK's mode_as_string: the name's type (from the directory entry), '/', then the inode's type and
 * permissions, e.g. "r/rrw-r--r--". Without readable inode metadata the second half is dashes.
 */
export function modeString(entryType: FsEntry['type'], stat: FsStat | null): string {
  const meta = stat ? (META_TYPE[stat.mode & 0xf000] ?? '-') : '-';
  // A directory entry that does not say its type (ours: 'other') takes it from the inode, as TSK's does.
  const name = entryType === 'other' && meta !== 'r' && meta !== 'd' && meta !== 'l' ? meta : NAME_TYPE[entryType];
  return `${name}/${meta}${stat ? permissions(stat.mode) : '---------'}`;
}

/** UTC ISO time to whole epoch seconds (floor, so times before 1970 stay in their second); null is 0. */
export function epochSeconds(iso: string | null): number {
  if (iso === null) return 0;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

/** Control characters become '^', as TSK prints names, so one record is always one line. */
export function sanitizeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, '^');
}

/**
 * The body file name of an entry: "/" + path, " -> target" for a symlink, then " (deleted)" or
 * " (deleted-realloc)" (the name is deleted but its inode is in use again), in TSK's order.
 */
export function bodyfileName(path: string, stat: FsStat | null, deleted: boolean, realloc: boolean): string {
  let name = `/${path}`;
  if (stat?.type === 'symlink' && stat.symlinkTarget !== undefined) name += ` -> ${stat.symlinkTarget}`;
  if (deleted) name += realloc ? ' (deleted-realloc)' : ' (deleted)';
  return sanitizeName(name);
}

/** One line (without its newline) for an entry and its inode's metadata (null when unreadable). */
export function formatBodyfileLine(r: BodyfileRecord): string {
  return [r.md5, r.name, r.inode, r.mode, r.uid, r.gid, r.size, r.atime, r.mtime, r.ctime, r.crtime].join('|');
}

/** The record of a directory entry: MD5 column 0 (not computed), inode metadata or zeros. */
export function recordOf(path: string, entry: FsEntry, stat: FsStat | null, realloc: boolean): BodyfileRecord {
  return {
    md5: '0',
    name: bodyfileName(path, stat, entry.deleted, realloc),
    inode: String(entry.inode),
    mode: modeString(entry.type, stat),
    uid: stat?.uid ?? 0,
    gid: stat?.gid ?? 0,
    size: stat?.size ?? 0,
    atime: epochSeconds(stat?.atime ?? null),
    mtime: epochSeconds(stat?.mtime ?? null),
    ctime: epochSeconds(stat?.ctime ?? null),
    crtime: epochSeconds(stat?.crtime ?? null),
  };
}

const INT = /^-?\d+$/;

/**
 * Parses a line. Names may contain '|' (TSK does not escape it), so the name is everything between
 * the first field and the last nine. Returns a reason instead of a record for a malformed line.
 */
export function parseBodyfileLine(line: string): BodyfileRecord | { error: string } {
  const parts = line.split('|');
  if (parts.length < 11) return { error: `${parts.length} fields, a body file line has 11` };
  const tail = parts.slice(-9);
  const [inode, mode, ...numbers] = tail as [string, string, ...string[]];
  const bad = numbers.findIndex((n) => !INT.test(n));
  if (bad >= 0) return { error: `field ${bad + 5} (${JSON.stringify(numbers[bad]!.slice(0, 20))}) is not a whole number` };
  const [uid, gid, size, atime, mtime, ctime, crtime] = numbers.map(Number) as [number, number, number, number, number, number, number];
  return { md5: parts[0]!, name: parts.slice(1, -9).join('|'), inode, mode, uid, gid, size, atime, mtime, ctime, crtime };
}
