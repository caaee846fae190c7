// Damaged FAT images: truncated, corrupt boot sector, FAT chain loop, out-of-range cluster, directory loop.
// Each gives a clear AppError naming the fault, nothing hangs, and the rest of the file system stays browsable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { parseBpb, type FatGeometry } from '../../main/core/images/fs-fat/bpb.js';
import { openFat, type FatFileSystem } from '../../main/core/images/fs-fat/index.js';
import { walk, type WalkProblem } from '../../main/core/images/fs-xfs/walk.js';
import { detectFileSystem } from '../../main/core/images/session/detect-fs.js';
import { openRawForTest } from '../support/raw-image-reader.js';
import { fatToolsMissing, mkfsFat, mtools, pattern, putFile } from './fs-fat-build.js';

const missing = fatToolsMissing();
if (missing) console.warn(`fs-fat damage tests skipped: ${missing}`);

async function appError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.skipIf(missing !== null)('damaged FAT16 images', () => {
  let work: string;
  let clean: string;
  let g: FatGeometry;
  const opened: FatFileSystem[] = [];
  const big = pattern(20_000, 3); // 10 clusters of 2 KiB
  const small = Buffer.from('still readable\n');

  const copy = (name: string, edit?: (fd: number) => void): string => {
    const p = path.join(work, name);
    fs.copyFileSync(clean, p);
    if (edit) {
      const fd = fs.openSync(p, 'r+');
      edit(fd);
      fs.closeSync(fd);
    }
    return p;
  };
  const open = async (img: string): Promise<FatFileSystem> => {
    const f = await openFat(await openRawForTest(img));
    opened.push(f);
    return f;
  };
  const inodeOf = async (f: FatFileSystem, dir: number, name: string): Promise<number> => (await f.readDir(dir)).find((e) => e.name === name)!.inode;
  const fatEntryAt = (cluster: number): number => g.reservedSectors * g.sectorSize + cluster * 2;
  const writeU16 = (fd: number, at: number, v: number): void => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    fs.writeSync(fd, b, 0, 2, at);
  };

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-fat-bad-'));
    clean = path.join(work, 'clean.img');
    mkfsFat(clean, 16, 20_480, 'DAMAGED', ['-s', '4']);
    mtools('mmd', clean, ['::/sub', '::/sub/deeper']);
    putFile(clean, work, '/small.txt', small);
    putFile(clean, work, '/big.bin', big);
    putFile(clean, work, '/sub/deeper/leaf.txt', small);
    g = parseBpb(fs.readFileSync(clean).subarray(0, 512), fs.statSync(clean).size, 'clean');
  });
  afterAll(async () => {
    for (const f of opened) await f.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('reads the clean image (the baseline the damage is compared to)', async () => {
    const f = await open(clean);
    expect((await f.read(await inodeOf(f, 2, 'big.bin'), 0, big.length)).equals(big)).toBe(true);
  });

  it('a FAT chain that loops is refused with the cluster named; other files still read', async () => {
    const f0 = await open(clean);
    const start = (await f0.stat(await inodeOf(f0, 2, 'big.bin'))).startCluster;
    // The 5th cluster points back to the 2nd: a cycle inside a 10-cluster file.
    const img = copy('loop.img', (fd) => writeU16(fd, fatEntryAt(start + 4), start + 1));
    const f = await open(img);
    const err = await appError(f.read(await inodeOf(f, 2, 'big.bin'), 0, big.length));
    expect(err.message).toMatch(new RegExp(`loops back to cluster ${start + 1} after 5 clusters`));
    expect((await f.read(await inodeOf(f, 2, 'small.txt'), 0, 100)).equals(small)).toBe(true);
    // Only the first FAT was edited: the copies now differ, which the examiner is told at open.
    expect(f.warnings.join()).toMatch(/FAT copy 2 differs from copy 1 \(first difference near cluster \d+\); copy 1 is used/);
  });

  it('a chain pointing outside the volume, or ending early, is refused clearly', async () => {
    const f0 = await open(clean);
    const start = (await f0.stat(await inodeOf(f0, 2, 'big.bin'))).startCluster;
    const out = await open(copy('range.img', (fd) => writeU16(fd, fatEntryAt(start + 2), 0xfff0)));
    expect((await appError(out.read(await inodeOf(out, 2, 'big.bin'), 0, 10))).message).toMatch(/cluster 65520 .* outside the volume's clusters 2–\d+/);
    const short = await open(copy('short.img', (fd) => writeU16(fd, fatEntryAt(start + 2), 0xffff)));
    expect((await appError(short.read(await inodeOf(short, 2, 'big.bin'), 0, 10))).message).toMatch(/chain ends after 3 clusters, but its size of 20000 bytes needs 10/);
  });

  it('a directory that contains its own parent is reported as a loop by the walk, which finishes', async () => {
    const f0 = await open(clean);
    const sub = await f0.stat(await inodeOf(f0, 2, 'sub'));
    const deeperIno = await inodeOf(f0, sub.inode, 'deeper');
    // Point /sub/deeper at /sub's own cluster: /sub/deeper/deeper/deeper/... forever unless guarded.
    const at = g.firstDataSector * g.sectorSize + (deeperIno - 3) * 32 + 26;
    const f = await open(copy('dirloop.img', (fd) => writeU16(fd, at, sub.startCluster)));
    const problems: WalkProblem[] = [];
    const paths: string[] = [];
    for await (const item of walk(f, f.rootInode, problems)) paths.push(item.path);
    expect(paths).toContain('/sub/deeper/deeper');
    expect(problems.map((p) => p.message).join()).toMatch(/Directory loop/);
    expect(paths.length).toBeLessThan(20);
  });

  it('a corrupt boot sector is named; detectFileSystem reports it without throwing', async () => {
    const img = copy('bpb.img', (fd) => writeU16(fd, 11, 0)); // bytes per sector = 0
    const d = await detectFileSystem(await openRawForTest(img));
    expect(d.kind).toBe('unknown');
    expect(d.warnings.join()).toMatch(/FAT boot sector found but .*bytes per sector 0 is not 512/);
    const spc = copy('spc.img', (fd) => fs.writeSync(fd, Buffer.from([3]), 0, 1, 13));
    expect((await appError(openFat(await openRawForTest(spc)))).message).toMatch(/sectors per cluster 3 is not a power of two/);
    const clean0 = await detectFileSystem(await openRawForTest(clean));
    expect(clean0.kind).toBe('fat');
    await clean0.fs?.close();
  });

  it('a FAT32 volume whose boot sector is corrupt is read through its backup boot sector, with a warning', async () => {
    const img = path.join(work, 'fat32.img');
    mkfsFat(img, 32, 40_000, 'BACKUP', ['-s', '1']);
    putFile(img, work, '/kept.txt', small);
    const fd = fs.openSync(img, 'r+');
    writeU16(fd, 11, 0);
    fs.closeSync(fd);
    const d = await detectFileSystem(await openRawForTest(img));
    expect(d.kind).toBe('fat');
    expect(d.warnings).toEqual(['The boot sector is corrupt; the FAT32 backup boot sector (sector 6) was used']);
    const f = d.fs as FatFileSystem;
    opened.push(f);
    expect((await f.read(await inodeOf(f, 2, 'kept.txt'), 0, 100)).equals(small)).toBe(true);
    const both = copy('both.img'); // and a FAT16 image has no backup: the primary's fault is reported
    const fd2 = fs.openSync(both, 'r+');
    writeU16(fd2, 11, 0);
    fs.closeSync(fd2);
    expect((await appError(openFat(await openRawForTest(both)))).message).toMatch(/bytes per sector 0/);
  });

  it('a truncated image opens with a warning; what lies before the cut reads, what lies after is an error', async () => {
    const f0 = await open(clean);
    const bigStart = (await f0.stat(await inodeOf(f0, 2, 'big.bin'))).startCluster;
    const cut = path.join(work, 'cut.img');
    // Cut in the middle of big.bin: small.txt and the directories lie before it.
    const cutAt = (g.firstClusterSector + (bigStart - 2 + 5) * g.sectorsPerCluster) * g.sectorSize;
    fs.writeFileSync(cut, fs.readFileSync(clean).subarray(0, cutAt));
    const d = await detectFileSystem(await openRawForTest(cut));
    expect(d.kind).toBe('fat');
    expect(d.warnings.join()).toMatch(/truncated/);
    const f = d.fs as FatFileSystem;
    opened.push(f);
    expect((await f.read(await inodeOf(f, 2, 'small.txt'), 0, 100)).equals(small)).toBe(true);
    const bigIno = await inodeOf(f, 2, 'big.bin');
    expect((await f.read(bigIno, 0, 4096)).equals(big.subarray(0, 4096))).toBe(true);
    expect((await appError(f.read(bigIno, 0, big.length))).message).toMatch(/past the end of the image \(truncated\)/);
    // An image cut inside the FATs is refused at open.
    const tiny = path.join(work, 'tiny.img');
    fs.writeFileSync(tiny, fs.readFileSync(clean).subarray(0, 4096));
    expect((await detectFileSystem(await openRawForTest(tiny))).warnings.join()).toMatch(/ends inside the FATs/);
  });
});
