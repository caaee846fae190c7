import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openExt4 } from '../../main/core/images/fs-ext4/ext4-fs.js';
import { walk } from '../../main/core/images/fs-ext4/walk.js';
import { openRawForTest } from '../support/raw-image-reader.js';
import { fls, haveTools, mkfs } from '../support/fs-ext4-support.js';

const missing = !haveTools('mkfs.ext2', 'mkfs.ext4', 'debugfs', 'fls');
if (missing) console.warn('fs-ext4-deleted: skipped, needs e2fsprogs (mkfs.ext2/4, debugfs) and sleuthkit (fls)');

let tmp = '';
let src = '';
beforeAll(() => {
  if (missing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fs-ext4-deleted-'));
  src = path.join(tmp, 'src');
  mkdirSync(path.join(src, 'gone/sub'), { recursive: true });
  mkdirSync(path.join(src, 'keep'));
  writeFileSync(path.join(src, 'gone/f1'), 'one\n');
  writeFileSync(path.join(src, 'gone/sub/f2'), 'two\n');
  writeFileSync(path.join(src, 'keep/k'), 'kept\n');
  for (let i = 0; i < 20; i++) writeFileSync(path.join(src, 'keep', `n${i}`), `${i}\n`);
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function listing(img: string): Promise<string[]> {
  const reader = await openRawForTest(img);
  try {
    const fs = await openExt4(reader);
    const out: string[] = [];
    for await (const i of walk(fs)) {
      if (i.kind !== 'entry') throw new Error(`${i.kind} at ${i.path}`);
      out.push(`${i.path} ${i.entry.type} ${i.entry.inode} ${i.entry.deleted}`);
    }
    return out.sort();
  } finally {
    await reader.close();
  }
}

const oracle = (img: string): string[] =>
  [...fls(img)].flatMap(([p, rs]) => rs.map((r) => `${p} ${r.type} ${r.inode} ${r.deleted}`)).sort();

describe.skipIf(missing)('deleted names and directories, compared with fls -r -p', () => {
  it.each([
    ['ext2', 'mkfs.ext2'],
    ['ext4', 'mkfs.ext4'],
  ])('%s: a directory freed with kill_file + unlink and files removed with rm', async (name, tool) => {
    const img = path.join(tmp, `${name}.img`);
    mkfs(tool, [], src, img, 8, false);
    for (const cmd of ['kill_file gone', 'unlink gone', 'rm keep/n3', 'rm keep/n4', 'rm keep/n17']) {
      execFileSync('debugfs', ['-w', '-R', cmd, img], { stdio: 'pipe' });
    }
    const mine = await listing(img);
    expect(mine).toEqual(oracle(img));
    expect(mine.filter((l) => l.startsWith('keep/n') && l.endsWith(' true'))).toHaveLength(3);
    if (name === 'ext2') expect(mine.some((l) => l.startsWith('gone/f1 file ') && l.endsWith(' true'))).toBe(true);
  });
});
