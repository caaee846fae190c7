import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageReader } from '../../main/core/images/containers/image-reader.js';
import { openExt4, type Ext4FileSystem } from '../../main/core/images/fs-ext4/ext4-fs.js';
import { walk } from '../../main/core/images/fs-ext4/walk.js';
import { openRawForTest } from '../support/raw-image-reader.js';
import { fls, haveTools, icat, mkfs, sha256 } from '../support/fs-ext4-support.js';

const missing = !haveTools('mkfs.ext4', 'debugfs', 'fls', 'icat');
if (missing) console.warn('fs-ext4-inline: skipped, needs e2fsprogs (mkfs.ext4, debugfs) and sleuthkit (fls, icat)');

const FILES: Record<string, Buffer> = {
  'tiny.txt': Buffer.from('tiny\n'),
  'd1/sixty.bin': Buffer.alloc(60, 7),
  'd1/hundred.bin': Buffer.from(Array.from({ length: 100 }, (_, i) => i)), // 60 in i_block + 40 in system.data
  'd1/big.bin': Buffer.alloc(3000, 0x5a), // too big for the inode: ordinary extents
  // libext2fs moves a directory out of the inode once it passes 60 bytes, so d3 stays small.
  'd3/x1': Buffer.from('1'), 'd3/x2': Buffer.from('2'), 'd3/x3': Buffer.from('3'),
  empty: Buffer.alloc(0),
};

describe.skipIf(missing)('ext4 with inline_data (mkfs.ext4 -O inline_data -d)', () => {
  let tmp = '';
  let img = '';
  let reader: ImageReader;
  let fs: Ext4FileSystem;
  const entries = new Map<string, { inode: number; type: string; deleted: boolean }>();

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'fs-ext4-inline-'));
    const src = path.join(tmp, 'src');
    for (const [rel, data] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      writeFileSync(path.join(src, rel), data);
    }
    symlinkSync('tiny.txt', path.join(src, 'link'));
    img = path.join(tmp, 'inline.img');
    mkfs('mkfs.ext4', ['-O', 'inline_data', '-I', '256'], src, img, 16, false); // e2fsck -D would move dirs out of the inode
    execFileSync('debugfs', ['-w', '-R', 'rm d3/x2', img], { stdio: 'pipe' });
    reader = await openRawForTest(img);
    fs = await openExt4(reader);
    for await (const item of walk(fs)) if (item.kind === 'entry') entries.set(item.path, item.entry);
  });
  afterAll(async () => {
    await reader?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const ino = (p: string): number => entries.get(p)!.inode;

  it('stores small files and directories in the inode (the feature under test is really in use)', async () => {
    expect((await fs.stat(ino('tiny.txt'))).inlineData).toBe(true);
    expect((await fs.stat(ino('d1/hundred.bin'))).inlineData).toBe(true);
    expect((await fs.stat(ino('d1'))).inlineData).toBe(true);
    expect((await fs.stat(ino('d3'))).inlineData).toBe(true);
    expect((await fs.stat(ino('d1/big.bin'))).inlineData).toBe(false);
  });

  it('lists what fls -r -p lists, including a name deleted from an inline directory', () => {
    const mine = [...entries].map(([p, e]) => `${p} ${e.type} ${e.inode} ${e.deleted}`).sort();
    const theirs = [...fls(img)].flatMap(([p, rs]) => rs.map((r) => `${p} ${r.type} ${r.inode} ${r.deleted}`)).sort();
    expect(mine).toEqual(theirs);
    for (const x of ['x1', 'x3']) expect(entries.get(`d3/${x}`)?.deleted, x).toBe(false);
    expect(entries.get('d3/x2')?.deleted).toBe(true);
  });

  it('reads inline and extent files byte for byte, matching the source and icat', async () => {
    for (const [rel, data] of Object.entries(FILES)) {
      if (rel === 'd3/x2') continue;
      const got = await fs.read(ino(rel), 0, data.length + 10);
      expect(sha256(got), rel).toBe(sha256(data));
      expect(got.equals(icat(img, ino(rel))), rel).toBe(true);
    }
    expect((await fs.read(ino('d1/hundred.bin'), 55, 10)).equals(FILES['d1/hundred.bin']!.subarray(55, 65))).toBe(true);
    expect((await fs.stat(ino('link'))).symlinkTarget).toBe('tiny.txt');
    expect(readFileSync(img).length).toBe(16 << 20);
  });
});
