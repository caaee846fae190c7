// Builders and Sleuth Kit oracles shared by the fs-ext4 integration tests.
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync, symlinkSync, linkSync, truncateSync, rmSync } from 'node:fs';
import path from 'node:path';

/** True when every named command can be run. */
export function haveTools(...tools: string[]): boolean {
  return tools.every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
}

export const LONG_TARGET = `${'long/'.repeat(20)}target-of-more-than-sixty-bytes`;
export const UNICODE_NAMES = ['café.txt', 'Ωμέγα', '日本語ファイル.md', 'emoji-😀.bin'];
export const MANY = 3000;

/** Writes the known tree that every image in the tests is built from. */
export function makeSourceTree(root: string): void {
  mkdirSync(path.join(root, 'a/b/c/d/e/f/g/h'), { recursive: true });
  writeFileSync(path.join(root, 'a/b/c/d/e/f/g/h/deep.txt'), 'deep file\n');
  writeFileSync(path.join(root, 'hello.txt'), 'hello, ext4\n');
  writeFileSync(path.join(root, 'empty'), '');
  writeFileSync(path.join(root, 'doomed.txt'), 'this file will be deleted with debugfs\n'.repeat(50));
  // Many extents: 4 KiB of data every 8 KiB for 12 MiB (1536 extents, an extent tree of depth 2 at 4 KiB
  // blocks), then a hole every other MiB up to 40 MiB.
  const fd = openSync(path.join(root, 'big-extents.bin'), 'w');
  for (let off = 0; off < 12 << 20; off += 8192) writeSync(fd, randomBytes(4096), 0, 4096, off);
  for (let off = 12 << 20; off < 40 << 20; off += 2 << 20) writeSync(fd, randomBytes(1 << 20), 0, 1 << 20, off);
  closeSync(fd);
  truncateSync(path.join(root, 'big-extents.bin'), 40 << 20);
  // Sparse: data far out (past the double-indirect range of 1 KiB-block ext2, so triple indirect is used).
  const sp = openSync(path.join(root, 'sparse.bin'), 'w');
  writeSync(sp, Buffer.from('start'), 0, 5, 0);
  writeSync(sp, randomBytes(5000), 0, 5000, 70 << 20);
  closeSync(sp);
  truncateSync(path.join(root, 'sparse.bin'), 80 << 20);
  linkSync(path.join(root, 'hello.txt'), path.join(root, 'a/hardlink-to-hello'));
  symlinkSync('hello.txt', path.join(root, 'short-link'));
  symlinkSync(LONG_TARGET, path.join(root, 'long-link'));
  for (const n of UNICODE_NAMES) writeFileSync(path.join(root, 'a', n), `unicode ${n}\n`);
  mkdirSync(path.join(root, 'many'));
  for (let i = 0; i < MANY; i++) writeFileSync(path.join(root, 'many', `file-${String(i).padStart(5, '0')}`), `${i}\n`);
}

/** Runs mkfs with `args`, populating from `src` (mke2fs -d), into a new image of `sizeMiB`; then e2fsck -D unless told not to. */
export function mkfs(tool: string, args: string[], src: string, img: string, sizeMiB: number, indexDirs = true): void {
  execFileSync('truncate', ['-s', `${sizeMiB}M`, img]);
  execFileSync(tool, ['-q', '-F', ...args, '-d', src, img], { stdio: 'pipe' });
  if (!indexDirs) return;
  // mke2fs -d writes linear directories; e2fsck -D rebuilds them, indexing big ones with htree.
  const fsck = spawnSync('e2fsck', ['-fyD', img], { stdio: 'pipe' });
  if (fsck.status !== 0 && fsck.status !== 1) throw new Error(`e2fsck -fyD ${img} failed: ${fsck.stderr}`);
}

export interface FlsRow { type: 'file' | 'dir' | 'symlink' | 'other'; inode: number; deleted: boolean }

const NAME_TYPE: Record<string, FlsRow['type']> = { r: 'file', d: 'dir', l: 'symlink' };

/** `fls -r -p` as a map from "path" to name type, inode and deleted flag ($OrphanFiles left out). */
export function fls(img: string): Map<string, FlsRow[]> {
  const out = execFileSync('fls', ['-r', '-p', img], { maxBuffer: 1 << 30 }).toString('utf8');
  const rows = new Map<string, FlsRow[]>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    // e.g. "r/r * 14(realloc):\ta_directory/a_file" or "d/d 11:\tlost+found"
    const m = /^(\S)\/(\S) (\* )?(\d+)(?:-\d+-\d+)?(?:\(realloc\))?:\t(.*)$/.exec(line);
    if (!m) throw new Error(`unparsed fls line: ${JSON.stringify(line)}`);
    const p = m[5]!;
    if (p === '$OrphanFiles' || p.startsWith('$OrphanFiles/')) continue;
    const row = { type: NAME_TYPE[m[1]!] ?? 'other', inode: Number(m[4]), deleted: m[3] !== undefined };
    rows.set(p, [...(rows.get(p) ?? []), row]);
  }
  return rows;
}

/** `icat` of one inode. */
export function icat(img: string, inode: number): Buffer {
  return execFileSync('icat', [img, String(inode)], { maxBuffer: 1 << 30 });
}

/** Times from `istat` as "YYYY-MM-DD HH:MM:SS.nnnnnnnnn" strings keyed by Accessed/File Modified/Inode Modified/Created. */
export function istatTimes(img: string, inode: number): Record<string, string> {
  const out = execFileSync('istat', ['-z', 'UTC', img, String(inode)]).toString('utf8');
  const times: Record<string, string> = {};
  for (const m of out.matchAll(/^(Accessed|File Modified|Inode Modified|File Created|Created):\s+(\S+ \S+) \(UTC\)$/gm)) times[m[1]!] = m[2]!;
  return times;
}

/** Our time (ISO ms + ns) in istat's "YYYY-MM-DD HH:MM:SS.nnnnnnnnn" form. */
export function asIstat(iso: string | null, ns: number | null): string | null {
  if (iso === null) return null;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(ns ?? 0).padStart(9, '0')}`;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The sector the partition of ext4InGptDisk starts at (1 MiB, as partitioning tools align). */
export const GPT_P1_SECTOR = 2048;

/**
 * `dir/disk.img`: a GPT disk of `diskMiB` whose one partition, at GPT_P1_SECTOR and `fsMiB` long, holds
 * an ext4 made from the tree `src` with `mkfs.ext4 -d` (and `label`; GPT partition `name`).
 */
export function ext4InGptDisk(dir: string, src: string, opts: { fsMiB: number; diskMiB: number; label?: string; name?: string }): string {
  const fsImg = path.join(dir, 'p1.ext4');
  execFileSync('truncate', ['-s', `${opts.fsMiB}M`, fsImg]);
  execFileSync('mkfs.ext4', ['-q', '-F', ...(opts.label ? ['-L', opts.label] : []), '-d', src, fsImg], { stdio: 'pipe' });
  const disk = path.join(dir, 'disk.img');
  execFileSync('truncate', ['-s', `${opts.diskMiB}M`, disk]);
  const name = opts.name ? `, name=${opts.name}` : '';
  execSync(`sfdisk -q ${JSON.stringify(disk)}`, {
    input: `label: gpt\nstart=${GPT_P1_SECTOR}, size=${opts.fsMiB * 2048}, type=L${name}\n`, stdio: ['pipe', 'pipe', 'pipe'],
  });
  execFileSync('dd', [`if=${fsImg}`, `of=${disk}`, 'bs=512', `seek=${GPT_P1_SECTOR}`, 'conv=notrunc'], { stdio: 'pipe' });
  rmSync(fsImg);
  return disk;
}
