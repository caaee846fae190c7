import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { openExt4, type Ext4FileSystem } from '../../main/core/images/fs-ext4/ext4-fs.js';
import { walk, type WalkItem } from '../../main/core/images/fs-ext4/walk.js';
import { openRawForTest } from '../support/raw-image-reader.js';
import { fls, haveTools, mkfs } from '../support/fs-ext4-support.js';

const missing = !haveTools('mkfs.ext4', 'debugfs', 'e2fsck', 'fls');
if (missing) console.warn('fs-ext4-bad: skipped, needs e2fsprogs (mkfs.ext4, debugfs, e2fsck) and sleuthkit (fls)');

let tmp = '';
let good = '';
const BIG = randomBytes(2 << 20);

beforeAll(() => {
  if (missing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fs-ext4-bad-'));
  const src = path.join(tmp, 'src');
  mkdirSync(path.join(src, 'a/b/c'), { recursive: true });
  writeFileSync(path.join(src, 'hello.txt'), 'hello\n');
  writeFileSync(path.join(src, 'a/b/c/deep.txt'), 'deep\n');
  // 4 KiB of data every 8 KiB: 256 extents, so the tree has depth 1 (index in the inode, leaves in blocks).
  const fd = openSync(path.join(src, 'big.bin'), 'w');
  for (let off = 0; off < BIG.length; off += 8192) writeSync(fd, BIG, off, 4096, off);
  closeSync(fd);
  truncateSync(path.join(src, 'big.bin'), BIG.length);
  for (let off = 4096; off < BIG.length; off += 8192) BIG.fill(0, off, off + 4096);
  good = path.join(tmp, 'good.img');
  mkfs('mkfs.ext4', ['-b', '4096'], src, good, 32);
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A copy of the good image, changed by `patch` (the test's own scratch copy, never evidence). */
function variant(name: string, patch: (file: string) => void): string {
  const file = path.join(tmp, `${name}.img`);
  copyFileSync(good, file);
  patch(file);
  return file;
}

function poke(file: string, offset: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

async function withFs<T>(file: string, fn: (fs: Ext4FileSystem) => Promise<T>): Promise<T> {
  const reader = await openRawForTest(file);
  try {
    return await fn(await openExt4(reader));
  } finally {
    await reader.close();
  }
}

async function walkAll(fs: Ext4FileSystem): Promise<WalkItem[]> {
  const items: WalkItem[] = [];
  for await (const item of walk(fs)) items.push(item);
  return items;
}

const inodeOf = (items: WalkItem[], p: string): number => {
  const hit = items.find((i) => i.kind === 'entry' && i.path === p);
  if (!hit || hit.kind !== 'entry') throw new Error(`${p} not listed`);
  return hit.entry.inode;
};

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).message).toMatch(pattern);
  return err as AppError;
}

describe.skipIf(missing)('ext4 reader on damaged images', () => {
  it('refuses a zeroed superblock, a tiny file and an absurd block size with clear errors', async () => {
    const zeroed = variant('zeroed', (f) => poke(f, 1024, Buffer.alloc(1024)));
    const e = await rejects(withFs(zeroed, async () => null), /superblock magic is 0x0 \(expected 0xef53/);
    expect(e.code).toBe('UNREADABLE');
    const tiny = variant('tiny', (f) => truncateSync(f, 1500));
    await rejects(withFs(tiny, async () => null), /too small to hold a superblock/);
    const absurd = variant('absurd', (f) => poke(f, 1024 + 0x18, Buffer.from([30, 0, 0, 0])));
    await rejects(withFs(absurd, async () => null), /block size exponent 30/);
  });

  it('opens a truncated image with a warning; missing blocks are named, everything else reads', async () => {
    const bigLast = await withFs(good, async (fs) => {
      const items = await walkAll(fs);
      const runs = await fs.runs(await fs.inode(inodeOf(items, 'big.bin')));
      return Math.max(...runs.map((r) => r.physical + r.length - 1));
    });
    const cut = variant('truncated', (f) => truncateSync(f, bigLast * 4096));
    await withFs(cut, async (fs) => {
      expect(fs.warnings.join()).toMatch(/truncated/);
      const items = await walkAll(fs);
      expect(items.filter((i) => i.kind === 'error')).toEqual([]);
      const big = inodeOf(items, 'big.bin');
      await rejects(fs.read(big, 0, BIG.length), new RegExp(`inode ${big}: data: block ${bigLast} is past the end of the image`));
      expect((await fs.read(big, 0, 1 << 20)).equals(BIG.subarray(0, 1 << 20))).toBe(true);
      expect((await fs.read(inodeOf(items, 'a/b/c/deep.txt'), 0, 100)).toString()).toBe('deep\n');
    });
  });

  it('reports a corrupt extent header (root and leaf) naming the inode and block; the rest stays browsable', async () => {
    const { big, at, leaf } = await withFs(good, async (fs) => {
      const items = await walkAll(fs);
      const ino = inodeOf(items, 'big.bin');
      const n = await fs.inode(ino);
      expect(n.iblock.readUInt16LE(6)).toBe(1); // depth 1: the root is an index
      return { big: ino, at: (await fs.inodeLocation(ino)).imageOffset, leaf: n.iblock.readUInt32LE(12 + 4) };
    });
    const rootBad = variant('root-bad', (f) => poke(f, at + 0x28, Buffer.from([0xde, 0xad])));
    await withFs(rootBad, async (fs) => {
      await rejects(fs.read(big, 0, 10), new RegExp(`inode ${big}: corrupt extent tree \\(root in i_block\\): header magic 0xadde`));
      expect((await fs.stat(big)).size).toBe(BIG.length);
      const items = await walkAll(fs);
      expect(items.filter((i) => i.kind !== 'entry')).toEqual([]);
      expect((await fs.read(inodeOf(items, 'hello.txt'), 0, 10)).toString()).toBe('hello\n');
    });
    const leafBad = variant('leaf-bad', (f) => poke(f, leaf * 4096, Buffer.from([0, 0])));
    await withFs(leafBad, async (fs) => {
      await rejects(fs.read(big, 0, 10), new RegExp(`inode ${big}: corrupt extent tree \\(block ${leaf}\\)`));
    });
    const farAway = variant('far', (f) => poke(f, at + 0x28 + 12 + 4, Buffer.from([0xff, 0xff, 0xff, 0x0f])));
    await withFs(farAway, async (fs) => {
      await rejects(fs.read(big, 0, 10), new RegExp(`inode ${big}: extent index block: block 268435455 is past the end of the file system`));
    });
  });

  it('walks a directory loop made with debugfs once, reports it, and lists the same names as fls', async () => {
    const looped = variant('loop', (f) => execFileSync('debugfs', ['-w', '-R', 'ln a a/b/c/back-to-a', f], { stdio: 'pipe' }));
    await withFs(looped, async (fs) => {
      const items = await walkAll(fs);
      const loops = items.filter((i) => i.kind === 'loop');
      expect(loops).toHaveLength(1);
      expect(loops[0]).toMatchObject({ path: 'a/b/c/back-to-a', inode: inodeOf(items, 'a') });
      const mine = items.flatMap((i) => (i.kind === 'entry' ? [`${i.path} ${i.entry.inode}`] : [])).sort();
      const theirs = [...fls(looped)].flatMap(([p, rs]) => rs.map((r) => `${p} ${r.inode}`)).sort();
      expect(mine).toEqual(theirs);
    });
  });

  it('survives a directory block overwritten with junk: that directory is empty, the walk completes', async () => {
    const { dirBlock } = await withFs(good, async (fs) => {
      const items = await walkAll(fs);
      const runs = await fs.runs(await fs.inode(inodeOf(items, 'a/b')));
      return { dirBlock: runs[0]!.physical };
    });
    const junk = variant('junk-dir', (f) => poke(f, dirBlock * 4096, Buffer.alloc(4096, 0xff)));
    await withFs(junk, async (fs) => {
      const items = await walkAll(fs);
      expect(items.some((i) => i.kind === 'entry' && i.path.startsWith('a/b/'))).toBe(false);
      expect(items.some((i) => i.kind === 'entry' && i.path === 'hello.txt')).toBe(true);
      await rejects(fs.stat(0), /inode 0 does not exist/);
      await rejects(fs.readDir(inodeOf(items, 'hello.txt')), /is not a directory/);
    });
  });

  it('reads uninitialised extents (debugfs fallocate) as zeros even when their blocks hold old data', async () => {
    const file = variant('unwritten', (f) => execFileSync('debugfs', ['-w', '-R', 'fallocate /hello.txt 1 40', f], { stdio: 'pipe' }));
    const { ino, uninit } = await withFs(file, async (fs) => {
      const ino = inodeOf(await walkAll(fs), 'hello.txt');
      return { ino, uninit: (await fs.runs(await fs.inode(ino))).filter((r) => r.uninit) };
    });
    expect(uninit.length).toBeGreaterThan(0);
    for (const r of uninit) poke(file, r.physical * 4096, Buffer.alloc(r.length * 4096, 0x41)); // stale bytes
    // Make the file long enough to cover the unwritten blocks, as a kernel would after writing past them.
    await withFs(file, async (fs) => {
      const at = (await fs.inodeLocation(ino)).imageOffset;
      poke(file, at + 4, Buffer.from([0, 0, 0xa0, 0])); // i_size = 40 KiB
    });
    await withFs(file, async (fs) => {
      const data = await fs.read(ino, 0, 40 << 10);
      expect(data.subarray(0, 6).toString()).toBe('hello\n');
      expect(data.subarray(4096).equals(Buffer.alloc((40 << 10) - 4096))).toBe(true);
    });
  });
});
