import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { ImageReader } from '../../main/core/images/containers/image-reader.js';
import type { FileSystem, FsEntry } from '../../main/core/images/fs-types.js';
import { blockMapRuns, extentRuns, findRun } from '../../main/core/images/fs-ext4/block-runs.js';
import { BlockDevice } from '../../main/core/images/fs-ext4/device.js';
import { walk, type WalkItem } from '../../main/core/images/fs-ext4/walk.js';

function memReader(buf: Buffer): ImageReader {
  return {
    size: buf.length,
    description: 'memory',
    read: async (o, l) => buf.subarray(o, Math.min(buf.length, o + l)),
    close: async () => {},
  };
}

/** An in-memory file system: directories by inode, one of them unreadable. */
function fakeFs(dirs: Record<number, [string, number, FsEntry['type']][]>, broken: number[] = []): FileSystem {
  return {
    kind: 'fake', label: '', blockSize: 1024, rootInode: 2,
    stat: async () => { throw new Error('unused'); },
    read: async () => Buffer.alloc(0),
    close: async () => {},
    readDir: async (ino) => {
      if (broken.includes(ino)) throw new AppError('UNREADABLE', `inode ${ino}: block 99 is past the end of the image`);
      return (dirs[ino] ?? []).map(([name, inode, type]) => ({ name, inode, type, deleted: false }));
    },
  };
}

async function all(fs: FileSystem, opts = {}): Promise<WalkItem[]> {
  const out: WalkItem[] = [];
  for await (const i of walk(fs, opts)) out.push(i);
  return out;
}

describe('walk', () => {
  it('reports a loop back to an ancestor and a second name for a directory, and never re-enters them', async () => {
    const fs = fakeFs({
      2: [['a', 10, 'dir'], ['f', 20, 'file']],
      10: [['b', 11, 'dir'], ['again', 11, 'dir']],
      11: [['up', 10, 'dir'], ['root', 2, 'dir']],
    });
    const items = await all(fs);
    expect(items.filter((i) => i.kind === 'entry').map((i) => i.path)).toEqual(['a', 'f', 'a/b', 'a/again', 'a/b/up', 'a/b/root']);
    expect(items.filter((i) => i.kind === 'loop').map((i) => (i.kind === 'loop' ? i.message : ''))).toEqual([
      'a/again is a second name for directory inode 11',
      'a/b/up points back to its ancestor inode 10',
      'a/b/root points back to its ancestor inode 2',
    ]);
  });

  it('reports an unreadable directory and carries on; honours maxDepth and AbortSignal', async () => {
    const fs = fakeFs({ 2: [['bad', 10, 'dir'], ['ok', 11, 'dir']], 11: [['deeper', 12, 'dir']], 12: [['x', 13, 'file']] }, [10]);
    const items = await all(fs, { maxDepth: 1 });
    const errors = items.filter((i) => i.kind === 'error').map((i) => (i.kind === 'error' ? `${i.path}: ${i.error.message}` : ''));
    expect(errors[0]).toBe('bad: inode 10: block 99 is past the end of the image');
    expect(errors[1]).toMatch(/ok\/deeper: deeper than 1 levels/);
    const ctl = new AbortController();
    ctl.abort();
    await expect(all(fs, { signal: ctl.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('block runs', () => {
  const BS = 1024;
  it('maps direct, single and double indirect pointers with holes, coalescing neighbours', async () => {
    const img = Buffer.alloc(BS * 64);
    const iblock = Buffer.alloc(60);
    iblock.writeUInt32LE(40, 0); iblock.writeUInt32LE(41, 4); // blocks 0-1 at 40-41, 2-11 holes
    iblock.writeUInt32LE(50, 12 * 4); // single indirect block 50
    img.writeUInt32LE(42, 50 * BS); // logical 12 at 42
    img.writeUInt32LE(43, 50 * BS + 4); // logical 13 at 43
    iblock.writeUInt32LE(51, 13 * 4); // double indirect 51 -> 52 -> logical 12+256 at 60
    img.writeUInt32LE(52, 51 * BS);
    img.writeUInt32LE(60, 52 * BS);
    const dev = new BlockDevice(memReader(img), BS, 64);
    const runs = await blockMapRuns(dev, 12, iblock, 300);
    expect(runs).toEqual([
      { logical: 0, physical: 40, length: 2, uninit: false },
      { logical: 12, physical: 42, length: 2, uninit: false },
      { logical: 268, physical: 60, length: 1, uninit: false },
    ]);
    expect(findRun(runs, 5)).toBe(1);
    expect(findRun(runs, 268)).toBe(2);
  });

  it('walks an extent index to its leaf and marks uninitialised extents', async () => {
    const img = Buffer.alloc(BS * 64);
    const root = Buffer.alloc(60);
    root.writeUInt16LE(0xf30a, 0); root.writeUInt16LE(1, 2); root.writeUInt16LE(4, 4); root.writeUInt16LE(1, 6);
    root.writeUInt32LE(0, 12); root.writeUInt32LE(30, 16); // index -> leaf in block 30
    const leaf = img.subarray(30 * BS);
    leaf.writeUInt16LE(0xf30a, 0); leaf.writeUInt16LE(2, 2); leaf.writeUInt16LE(84, 4); leaf.writeUInt16LE(0, 6);
    leaf.writeUInt32LE(10, 24); leaf.writeUInt16LE(32768 + 3, 28); leaf.writeUInt32LE(40, 32); // uninit 10..12
    leaf.writeUInt32LE(0, 12); leaf.writeUInt16LE(2, 16); leaf.writeUInt32LE(20, 20);
    const runs = await extentRuns(new BlockDevice(memReader(img), BS, 64), 7, root);
    expect(runs).toEqual([
      { logical: 0, physical: 20, length: 2, uninit: false },
      { logical: 10, physical: 40, length: 3, uninit: true },
    ]);
    root.writeUInt16LE(3, 6); // index claims depth 3 but the leaf says 0
    await expect(extentRuns(new BlockDevice(memReader(img), BS, 64), 7, root)).rejects.toThrow(/inode 7: corrupt extent tree \(block 30\): depth 0/);
  });
});
