// Builds FAT images for the fs-fat tests with dosfstools and mtools (no mounting), and reads The Sleuth Kit's view.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const TOOLS = ['mkfs.vfat', 'mmd', 'mcopy', 'mdel', 'fls', 'icat'];

/** Null when every tool is present, else a sentence naming the missing ones. */
export function fatToolsMissing(): string | null {
  const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  return missing.length ? `missing ${missing.join(', ')} (packages dosfstools, mtools, sleuthkit)` : null;
}

/** Runs an mtools command on `img` with a fixed time zone so the stored local times are predictable. */
export function mtools(tool: string, img: string, args: string[], tz = 'UTC'): void {
  execFileSync(tool, ['-i', img, ...args], { env: { ...process.env, TZ: tz, MTOOLS_SKIP_CHECK: '1' }, stdio: 'pipe' });
}

/** Makes an empty FAT image of `sizeKb` KiB. */
export function mkfsFat(img: string, fat: 12 | 16 | 32, sizeKb: number, label: string, extra: string[] = []): void {
  execFileSync('mkfs.vfat', ['-C', '-F', String(fat), '-n', label, ...extra, img, String(sizeKb)], { stdio: 'pipe', env: { ...process.env, TZ: 'UTC' } });
}

/** One line of `fls -r -p`: path, inode, type letter, deleted. The virtual $OrphanFiles folder is left out. */
export interface FlsLine { path: string; inode: number; type: string; deleted: boolean }

/** Parses `fls -r -p [-o sectors] img`. */
export function fls(img: string, sectorOffset?: number): FlsLine[] {
  const args = ['-r', '-p', ...(sectorOffset !== undefined ? ['-o', String(sectorOffset)] : []), img];
  const out = execFileSync('fls', args, { encoding: 'utf8' });
  const lines: FlsLine[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\S)\/(\S) (\* )?(\d+)(?:\(realloc\))?:\t(.*)$/.exec(line);
    if (!m || m[5]!.startsWith('$OrphanFiles')) continue;
    lines.push({ type: m[1]!, deleted: m[3] !== undefined, inode: Number(m[4]), path: m[5]! });
  }
  return lines;
}

/** The bytes `icat` gives for an inode. */
export function icat(img: string, inode: number, sectorOffset?: number): Buffer {
  return execFileSync('icat', [...(sectorOffset !== undefined ? ['-o', String(sectorOffset)] : []), img, String(inode)], { maxBuffer: 64 * 1024 * 1024 });
}

/** Writes `content` to a scratch file with a chosen mtime and copies it into the image at `dest`, keeping the mtime. */
export function putFile(img: string, scratch: string, dest: string, content: Buffer, mtime?: Date, tz = 'UTC'): void {
  const src = path.join(scratch, `src-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(src, content);
  if (mtime) fs.utimesSync(src, mtime, mtime);
  mtools('mcopy', img, mtime ? ['-m', src, `::${dest}`] : [src, `::${dest}`], tz);
  fs.rmSync(src);
}

/** Deterministic pseudo-random bytes, so a failing comparison can be reproduced. */
export function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}
