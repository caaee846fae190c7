// Damaged XFS images: each damage gives a clear AppError that names what is wrong, and the rest stays browsable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { FileSystem } from '../../main/core/images/fs-types.js';
import { walk, type WalkProblem } from '../../main/core/images/fs-xfs/walk.js';
import { openXfs } from '../../main/core/images/fs-xfs/xfs.js';
import { buildXfsImage, fileReader, xfsDb, xfsDbLs, xfsToolsMissing, type ProtoNode } from '../support/xfs-proto.js';

const missing = xfsToolsMissing();
if (missing) console.warn(`fs-xfs-bad tests skipped: ${missing}`);

const many: ProtoNode[] = Array.from({ length: 3000 }, (_, i) => ({ kind: 'file' as const, name: `n${i}`, mode: 0o644, uid: 0, gid: 0, content: Buffer.alloc(0) }));
const root: Extract<ProtoNode, { kind: 'dir' }> = {
  kind: 'dir', name: '', mode: 0o755, uid: 0, gid: 0, children: [
    { kind: 'file', name: 'small.txt', mode: 0o644, uid: 0, gid: 0, content: Buffer.from('still here\n') },
    { kind: 'file', name: 'big.bin', mode: 0o644, uid: 0, gid: 0, content: Buffer.alloc(20 * 1024 * 1024, 7) },
    { kind: 'dir', name: 'many', mode: 0o755, uid: 0, gid: 0, children: many },
    { kind: 'dir', name: 'a', mode: 0o755, uid: 0, gid: 0, children: [
      { kind: 'dir', name: 'b', mode: 0o755, uid: 0, gid: 0, children: [{ kind: 'dir', name: 'c', mode: 0o755, uid: 0, gid: 0, children: [] }] },
    ] },
  ],
};

async function expectAppError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).message).toMatch(pattern);
}

/** Image byte offset of an inode's first data block, from xfs_db's "startblock N (agno/agbno)". */
function diskOffset(img: string, inode: number): number {
  const agblocks = Number(/agblocks = (\d+)/.exec(xfsDb(img, ['sb 0', 'print agblocks']))![1]);
  const m = /data offset 0 startblock \d+ \((\d+)\/(\d+)\)/.exec(xfsDb(img, [`inode ${inode}`, 'bmap']))!;
  return (Number(m[1]) * agblocks + Number(m[2])) * 4096;
}

describe.skipIf(missing !== null)('damaged XFS images', () => {
  let work: string;
  let clean: string;
  let ino: Map<string, number>;
  const opened: FileSystem[] = [];
  const copy = (name: string): string => {
    const p = path.join(work, name);
    fs.copyFileSync(clean, p);
    return p;
  };
  const open = async (img: string): Promise<FileSystem> => {
    const f = await openXfs(fileReader(img));
    opened.push(f);
    return f;
  };

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-xfs-bad-'));
    clean = buildXfsImage(work, root, { size: '300m' });
    ino = xfsDbLs(clean, '/');
    for (const [k, v] of xfsDbLs(clean, '/a')) ino.set(`a/${k}`, v);
    for (const [k, v] of xfsDbLs(clean, '/a/b')) ino.set(`a/b/${k}`, v);
  });
  afterAll(async () => {
    for (const f of opened) await f.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('rejects a superblock whose CRC does not match, and a file that is not XFS', async () => {
    const img = copy('crc.img');
    const fd = fs.openSync(img, 'r+');
    fs.writeSync(fd, Buffer.from('X'), 0, 1, 110); // inside the label: only the checksum can notice
    fs.closeSync(fd);
    await expectAppError(openXfs(fileReader(img)), /checksum/);
    const zeros = path.join(work, 'zeros.img');
    fs.writeFileSync(zeros, Buffer.alloc(65536));
    await expectAppError(openXfs(fileReader(zeros)), /not an XFS file system/);
  });

  it('opens a truncated image: early files read, a cut-off file fails naming its inode', async () => {
    const img = copy('trunc.img');
    fs.truncateSync(img, diskOffset(img, ino.get('big.bin')!) + 1024 * 1024);
    const f = await open(img);
    expect((await f.readDir(f.rootInode)).map((e) => e.name).sort()).toEqual(['a', 'big.bin', 'many', 'small.txt']);
    expect((await f.read(ino.get('small.txt')!, 0, 100)).toString()).toBe('still here\n');
    expect((await f.read(ino.get('big.bin')!, 0, 4096)).equals(Buffer.alloc(4096, 7))).toBe(true);
    await expectAppError(f.read(ino.get('big.bin')!, 0, 20 * 1024 * 1024), new RegExp(`inode ${ino.get('big.bin')}.*past the end`));
  });

  it('reports a directory block with bad magic and keeps the rest browsable', async () => {
    const img = copy('dirmagic.img');
    const fd = fs.openSync(img, 'r+');
    fs.writeSync(fd, Buffer.from('JUNK'), 0, 4, diskOffset(img, ino.get('many')!));
    fs.closeSync(fd);
    const f = await open(img);
    await expectAppError(f.readDir(ino.get('many')!), new RegExp(`directory inode ${ino.get('many')}.*bad magic "JUNK"`));
    const problems: WalkProblem[] = [];
    const seen: string[] = [];
    for await (const item of walk(f, f.rootInode, problems)) seen.push(item.path);
    expect(seen.sort()).toEqual(['/a', '/a/b', '/a/b/c', '/big.bin', '/many', '/small.txt']);
    expect(problems.map((p) => p.path)).toEqual(['/many']);
  });

  it('maps to blocks outside the file system: error names the inode', async () => {
    const img = copy('badblock.img');
    xfsDb(img, [`inode ${ino.get('big.bin')}`, 'write u3.bmx[0].startblock 99999999'], true);
    const f = await open(img);
    await expectAppError(f.read(ino.get('big.bin')!, 0, 10), new RegExp(`inode ${ino.get('big.bin')} maps blocks 99999999`));
    expect((await f.read(ino.get('small.txt')!, 0, 100)).toString()).toBe('still here\n');
  });

  it('detects an inode whose checksum fails', async () => {
    const img = copy('inocrc.img');
    xfsDb(img, [`inode ${ino.get('small.txt')}`, 'write -c core.uid 4242'], true); // -c: leave the CRC stale
    const f = await open(img);
    await expectAppError(f.stat(ino.get('small.txt')!), /checksum mismatch/);
    expect((await f.readDir(f.rootInode)).length).toBe(4);
  });

  it('a directory loop ends the walk with a reported problem instead of running forever', async () => {
    const img = copy('loop.img');
    // /a/b/c's entry in /a/b now names /a: walking would go a → b → a → b … without loop detection.
    const printed = xfsDb(img, [`inode ${ino.get('a/b')}`, 'print']);
    expect(printed).toMatch(/u3\.sfdir3\.list\[0\]\.name = "c"/);
    xfsDb(img, [`inode ${ino.get('a/b')}`, `write u3.sfdir3.list[0].inumber.i4 ${ino.get('a')}`], true);
    const f = await open(img);
    const problems: WalkProblem[] = [];
    const seen: string[] = [];
    for await (const item of walk(f, f.rootInode, problems)) seen.push(item.path);
    expect(seen).toContain('/a/b/c');
    expect(seen.filter((p) => p.startsWith('/many/')).length).toBe(3000);
    expect(problems).toEqual([{ path: '/a/b/c', inode: ino.get('a'), message: expect.stringMatching(/loop/) }]);
  });
});
