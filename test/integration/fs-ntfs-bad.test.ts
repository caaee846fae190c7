import { copyFileSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNtfs } from '../../main/core/images/fs-ntfs/index.js';
import { walk, type WalkProblem } from '../../main/core/images/fs-xfs/walk.js';
import { detectFileSystem } from '../../main/core/images/session/detect-fs.js';
import { haveTools } from '../support/fs-ext4-support.js';
import {
  attrOffset, buildNtfs, editRecord, geometry, inodeOf, istatClusters, readAt, recordOffset, writeAt, type BuiltFiles,
} from '../support/fs-ntfs-support.js';
import { openRawForTest } from '../support/raw-image-reader.js';

const noTools = !haveTools('mkntfs', 'ntfscp', 'ntfstruncate', 'fls', 'istat', 'fsstat');
if (noTools) console.warn('fs-ntfs-bad: skipped, needs ntfs-3g (mkntfs, ntfscp, ntfstruncate) and sleuthkit (fls, istat, fsstat)');

describe.skipIf(noTools)('NTFS reader on damaged images: clear errors, the rest browsable, no hang', () => {
  let dir: string;
  let pristine: string;
  let files: BuiltFiles;
  let n = 0;
  /** A fresh copy of the built image to damage. */
  const copy = (): string => {
    const f = path.join(dir, `bad-${n++}.img`);
    copyFileSync(pristine, f);
    return f;
  };
  async function browse(img: string): Promise<{ paths: string[]; problems: WalkProblem[] }> {
    const reader = await openRawForTest(img);
    try {
      const fs = await openNtfs(reader);
      const problems: WalkProblem[] = [];
      const paths: string[] = [];
      for await (const item of walk(fs, fs.rootInode, problems)) paths.push(item.path);
      return { paths, problems };
    } finally {
      await reader.close();
    }
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cw-ntfs-bad-'));
    ({ img: pristine, files } = buildNtfs(dir));
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a corrupt boot sector is reported by detect-fs, not thrown', async () => {
    const img = copy();
    writeAt(img, 0x0b, Buffer.from([0, 0])); // bytes per sector
    const reader = await openRawForTest(img);
    const d = await detectFileSystem(reader);
    await reader.close();
    expect(d.kind).toBe('unknown');
    expect(d.warnings.join()).toMatch(/NTFS boot sector found but .*bytes per sector 0/);
    const img2 = copy();
    writeAt(img2, 0x30, Buffer.from([0xff, 0xff, 0xff, 0, 0, 0, 0, 0])); // $MFT cluster past the end of the volume
    const r2 = await openRawForTest(img2);
    await expect(openNtfs(r2)).rejects.toMatchObject({ code: 'UNREADABLE', message: expect.stringMatching(/\$MFT cluster 16777215 is past the end of the volume/) });
    await r2.close();
  });

  it('a fixup mismatch in one MFT record makes that file unreadable by name, the rest browsable', async () => {
    const img = copy();
    const ino = inodeOf(img, 'small.txt');
    writeAt(img, recordOffset(img, ino) + 510, Buffer.from([0x12, 0x34]));
    const reader = await openRawForTest(img);
    const fs = await openNtfs(reader);
    await expect(fs.stat(ino)).rejects.toMatchObject({ code: 'UNREADABLE', message: `MFT record ${ino}: fixup mismatch in sector 0 (torn write or corruption)` });
    const names = (await fs.readDir(5)).map((e) => e.name);
    expect(names).toContain('small.txt'); // the name comes from the index, which is intact
    const big = inodeOf(img, 'large.bin');
    expect((await fs.read(big, 0, 400_000)).equals(files.get('large.bin')!)).toBe(true);
    await reader.close();
  });

  it('a damaged $MFT record 0 is replaced by its $MFTMirr copy, with a warning', async () => {
    const img = copy();
    writeAt(img, recordOffset(img, 0), Buffer.from('JUNK'));
    const reader = await openRawForTest(img);
    const fs = await openNtfs(reader);
    expect(fs.warnings.join()).toMatch(/MFT record 0 is unreadable .*\$MFTMirr was used/);
    expect((await fs.readDir(5)).length).toBeGreaterThan(60);
    await reader.close();
  });

  it('a corrupt INDX record fails that directory with a clear error; other directories still list', async () => {
    const img = copy();
    const g = geometry(img);
    for (const c of istatClusters(img, 5, '$INDEX_ALLOCATION')) {
      if (readAt(img, c * g.cluster, 4).toString('latin1') === 'INDX') writeAt(img, c * g.cluster + 1022, Buffer.from([0xde, 0xad]));
    }
    const reader = await openRawForTest(img);
    const fs = await openNtfs(reader);
    await expect(fs.readDir(5)).rejects.toMatchObject({ code: 'UNREADABLE', message: expect.stringMatching(/INDX record \d+ \(VCN \d+\): fixup mismatch in sector 1/) });
    expect((await fs.readDir(11)).map((e) => e.name)).toContain('$Quota'); // $Extend
    await reader.close();
    const { problems } = await browse(img);
    expect(problems).toHaveLength(1);
  });

  it('a directory loop (an index entry naming the root as a child of $Extend) is reported once, no hang', async () => {
    const img = copy();
    editRecord(img, 11, (rec) => {
      // $Extend's entries live in its $INDEX_ROOT; point "$Quota" at the root directory and mark it a directory.
      const at = attrOffset(rec, 0x90);
      const value = at + rec.readUInt16LE(at + 0x14);
      const nh = value + 0x10;
      for (let p = nh + rec.readUInt32LE(nh); !(rec.readUInt16LE(p + 12) & 2); p += rec.readUInt16LE(p + 8)) {
        const key = p + 16;
        if (rec.toString('utf16le', key + 0x42, key + 0x42 + rec[key + 0x40]! * 2) !== '$Quota') continue;
        rec.writeUIntLE(5, p, 6);
        rec.writeUInt16LE(5, p + 6);
        rec.writeUInt32LE(rec.readUInt32LE(key + 0x38) | 0x10000000, key + 0x38);
      }
    });
    const { paths, problems } = await browse(img);
    expect(paths).toContain('/$Extend/$Quota');
    expect(problems).toEqual([expect.objectContaining({ path: '/$Extend/$Quota', message: expect.stringMatching(/loop/) })]);
  });

  it('compressed or encrypted data is refused by name, never returned as stored bytes', async () => {
    const img = copy();
    const small = inodeOf(img, 'small.txt');
    const large = inodeOf(img, 'large.bin');
    editRecord(img, small, (rec) => {
      const at = attrOffset(rec, 0x80);
      rec.writeUInt16LE(rec.readUInt16LE(at + 0x0c) | 0x0001, at + 0x0c);
    });
    editRecord(img, large, (rec) => {
      const si = attrOffset(rec, 0x10);
      const v = si + rec.readUInt16LE(si + 0x14);
      rec.writeUInt32LE(rec.readUInt32LE(v + 32) | 0x4000, v + 32);
    });
    const reader = await openRawForTest(img);
    const fs = await openNtfs(reader);
    await expect(fs.read(small, 0, 10)).rejects.toMatchObject({ code: 'UNREADABLE', message: expect.stringMatching(/NTFS-compressed/) });
    await expect(fs.read(large, 0, 10)).rejects.toMatchObject({ code: 'UNREADABLE', message: expect.stringMatching(/EFS-encrypted/) });
    expect((await fs.stat(large)).size).toBe(300_000); // metadata is still shown
    await reader.close();
  });

  it('a truncated image opens with a warning; data past the cut is an error naming the truncation', async () => {
    const img = copy();
    const g = geometry(img);
    const large = inodeOf(img, 'large.bin');
    const clusters = istatClusters(img, large, '$DATA');
    const cut = (clusters[10]! + 1) * g.cluster;
    truncateSync(img, cut);
    const reader = await openRawForTest(img);
    const d = await detectFileSystem(reader);
    expect(d.kind).toBe('ntfs');
    expect(d.warnings.join()).toMatch(/truncated/);
    const fs = d.fs!;
    expect((await fs.read(large, 0, 4096)).equals(files.get('large.bin')!.subarray(0, 4096))).toBe(true);
    await expect(fs.read(large, 0, 300_000)).rejects.toMatchObject({ code: 'UNREADABLE', message: expect.stringMatching(/truncated image/) });
    await reader.close();
    const { problems } = await browse(img);
    for (const p of problems) expect(p.message).toMatch(/truncated|past the end/);
  });
});
