import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageReader } from '../../main/core/images/containers/image-reader.js';
import { openNtfs, type NtfsFileSystem } from '../../main/core/images/fs-ntfs/index.js';
import { walk } from '../../main/core/images/fs-xfs/walk.js';
import { detectFileSystem } from '../../main/core/images/session/detect-fs.js';
import { haveTools } from '../support/fs-ext4-support.js';
import {
  buildNtfs, deleteByHand, flsNtfs, icatNtfs, isoAsIstat, istatSiTimes, MANY_FILES, UNICODE_NAME, type BuiltFiles,
} from '../support/fs-ntfs-support.js';
import { openRawForTest } from '../support/raw-image-reader.js';

const noTools = !haveTools('mkntfs', 'ntfscp', 'ntfstruncate', 'fls', 'icat', 'istat', 'fsstat');
if (noTools) console.warn('fs-ntfs-built: skipped, needs ntfs-3g (mkntfs, ntfscp, ntfstruncate) and sleuthkit (fls, icat, istat, fsstat)');

describe.skipIf(noTools)('NTFS image built with mkntfs + ntfscp', () => {
  let dir: string;
  let img: string;
  let files: BuiltFiles;
  let reader: ImageReader;
  let fs: NtfsFileSystem;
  let deletedIno: number;
  const entries = new Map<string, { inode: number; type: string; deleted: boolean }>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cw-ntfs-'));
    ({ img, files } = buildNtfs(dir));
    deletedIno = deleteByHand(img, 'file-010.txt');
    reader = await openRawForTest(img);
    fs = await openNtfs(reader);
    const problems: unknown[] = [];
    for await (const item of walk(fs, fs.rootInode, problems as never)) entries.set(item.path.slice(1), item.entry);
    expect(problems).toEqual([]);
  }, 60_000);
  afterAll(async () => {
    await reader?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is recognised by detect-fs, with its label and cluster size', async () => {
    const d = await detectFileSystem(reader);
    expect(d.kind).toBe('ntfs');
    expect(d.warnings).toEqual([]);
    expect(fs.label).toBe('Caseward');
    expect(fs.blockSize).toBe(4096);
    expect(fs.rootInode).toBe(5);
  });

  it('lists exactly what fls -r -p lists (MFT entry as inode), the hand-deleted file marked deleted', () => {
    const mine = [...entries].map(([p, e]) => `${p} ${e.type} ${e.inode} ${e.deleted}`).sort();
    const theirs = [...flsNtfs(img)].flatMap(([p, rs]) => rs.map((r) => `${p} ${r.type} ${r.inode} ${r.deleted}`)).sort();
    expect(mine).toEqual(theirs);
    expect(mine).toContain(`file-010.txt file ${deletedIno} true`);
    expect(mine).toContain(`${UNICODE_NAME} file ${entries.get(UNICODE_NAME)!.inode} false`);
    expect(mine.filter((l) => l.startsWith('file-')).length).toBe(MANY_FILES);
  });

  it('reads every written file byte for byte, equal to icat (resident, multi-cluster, sparse, $ATTRIBUTE_LIST)', async () => {
    for (const [name, want] of files) {
      const e = entries.get(name)!;
      const st = await fs.stat(e.inode);
      expect(st.size, name).toBe(want.length);
      const got = await fs.read(e.inode, 0, want.length + 100);
      expect(got.equals(want), name).toBe(true);
      // icat costs a process each: the many one-line files are checked against it once.
      if (!/^file-0(0[1-9]|[1-9]\d)/.test(name)) expect(got.equals(icatNtfs(img, e.inode)), `${name} vs icat`).toBe(true);
    }
    // A read that starts inside the sparse tail and one that straddles data and hole.
    const sp = entries.get('sparse.bin')!.inode;
    expect((await fs.read(sp, 2_000_000, 4096)).equals(Buffer.alloc(4096))).toBe(true);
    expect((await fs.read(sp, 19_000, 2000)).equals(files.get('sparse.bin')!.subarray(19_000, 21_000))).toBe(true);
    const big = entries.get('large.bin')!.inode;
    expect((await fs.read(big, 123_457, 70_000)).equals(files.get('large.bin')!.subarray(123_457, 193_457))).toBe(true);
  });

  it('resolves an $ATTRIBUTE_LIST: the named streams from both records are listed', async () => {
    const st = await fs.stat(entries.get('streams.txt')!.inode);
    expect(st.streams.map((x) => x.name).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `ads${i}`).sort());
    expect(st.streams.every((x) => x.size === 300)).toBe(true);
  });

  it('gives $STANDARD_INFORMATION times equal to istat, to the 100 ns', async () => {
    let checked = 0;
    for (const name of ['small.txt', 'large.bin', UNICODE_NAME, 'sparse.bin', 'streams.txt']) {
      const ino = entries.get(name)!.inode;
      const st = await fs.stat(ino);
      const t = istatSiTimes(img, ino);
      expect(isoAsIstat(st.crtime), name).toBe(t.Created);
      expect(isoAsIstat(st.mtime), name).toBe(t['File Modified']);
      expect(isoAsIstat(st.ctime), name).toBe(t['MFT Modified']);
      expect(isoAsIstat(st.atime), name).toBe(t.Accessed);
      expect(st.mtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}00Z$/);
      expect(st.fileNameTimes?.crtime).toBeTruthy();
      checked++;
    }
    expect(checked).toBe(5);
  });

  it('shows the deleted file as not allocated, its content still readable from its clusters', async () => {
    const st = await fs.stat(deletedIno);
    expect(st.allocated).toBe(false);
    expect((await fs.read(deletedIno, 0, 100)).toString()).toBe('10\n');
    expect((await fs.stat(entries.get('small.txt')!.inode)).allocated).toBe(true);
  });

  it('refuses a directory read and lists only directories', async () => {
    await expect(fs.read(5, 0, 10)).rejects.toMatchObject({ code: 'NOT_A_FILE' });
    await expect(fs.readDir(entries.get('small.txt')!.inode)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(fs.stat(10_000_000)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('leaves the image untouched (read-only)', () => {
    const before = execFileSync('sha256sum', [img]).toString();
    return fs.read(entries.get('large.bin')!.inode, 0, 1 << 20).then(() => {
      expect(execFileSync('sha256sum', [img]).toString()).toBe(before);
    });
  });
});
