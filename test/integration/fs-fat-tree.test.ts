// FAT12/16/32 images built with mkfs.vfat + mtools: listing equals `fls -r -p`, every file equals what was written
// and `icat`, times equal what was written (and TSK's bodyfile), deleted entries are listed and recovered like TSK.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFat, type FatFileSystem } from '../../main/core/images/fs-fat/index.js';
import { openRawForTest } from '../support/raw-image-reader.js';
import { fatToolsMissing, fls, icat, mkfsFat, mtools, pattern, putFile } from './fs-fat-build.js';

const missing = fatToolsMissing();
if (missing) console.warn(`fs-fat tree tests skipped: ${missing}`);

const MTIME = new Date('2026-03-04T05:06:07Z'); // odd second: FAT keeps 2-second steps, so 06 is stored

interface Built { img: string; files: Map<string, Buffer>; deleted: Map<string, Buffer> }

function build(work: string, fat: 12 | 16 | 32, sizeKb: number, extra: string[]): Built {
  const img = path.join(work, `fat${fat}.img`);
  mkfsFat(img, fat, sizeKb, `CW FAT${fat}`, extra);
  const files = new Map<string, Buffer>();
  const deleted = new Map<string, Buffer>();
  const put = (p: string, c: Buffer, mtime?: Date): void => { putFile(img, work, p, c, mtime); files.set(p, c); };
  mtools('mmd', img, ['::/dir1', '::/dir1/sub', '::/many', '::/gone']);
  put('/a.txt', Buffer.from('hello FAT\n'), MTIME);
  put('/dir1/A long file name.bin', pattern(70_000, fat));
  put('/dir1/sub/empty', Buffer.alloc(0));
  put('/dir1/Ünïcødé ñame.txt', Buffer.from('unicode\n'));
  put('/dir1/日本語のファイル名.txt', Buffer.from('cjk\n'));
  put('/dir1/Ελληνικά και русский.txt', Buffer.from('greek and cyrillic\n')); // mtools cannot store astral-plane names
  put('/dir1/exactly-thirteen', Buffer.from('13 chars long name: no terminator in its long-name part\n'));
  for (let i = 0; i < 40; i++) put(`/many/file number ${i}.txt`, Buffer.from(`file ${i}\n`));
  // A fragmented chain: a hole left by a deleted file is filled first, the rest goes after the next file.
  putFile(img, work, '/hole.bin', pattern(3000, 7));
  put('/after.bin', pattern(5000, 8));
  mtools('mdel', img, ['::/hole.bin']);
  // FAT32's FSInfo "next free" hint makes writers skip the hole; "unknown" makes mtools search from cluster 2 again.
  if (fat === 32) forgetNextFree(img);
  put('/fragmented.bin', pattern(40_000, 9));
  // The same again, then deleted: recovery must skip the clusters of after2.bin (in use) to get it back whole.
  putFile(img, work, '/hole2.bin', pattern(3000, 11));
  put('/after2.bin', pattern(5000, 12));
  mtools('mdel', img, ['::/hole2.bin']);
  if (fat === 32) forgetNextFree(img);
  const fragDeleted = pattern(30_000, 13);
  putFile(img, work, '/fragmented then deleted.bin', fragDeleted);
  // Deleted entries: a short name, a long multi-cluster name (contiguous, so recovery is exact), one in a subdirectory.
  putFile(img, work, '/todel.txt', Buffer.from('short lived\n'));
  const longDeleted = pattern(9000, 10);
  putFile(img, work, '/deleted long name.bin', longDeleted);
  putFile(img, work, '/gone/inside.txt', Buffer.from('deleted in a folder\n'));
  mtools('mmd', img, ['::/old folder']);
  putFile(img, work, '/old folder/kept name.txt', Buffer.from('in a deleted folder\n'));
  mtools('mdel', img, ['::/todel.txt', '::/deleted long name.bin', '::/gone/inside.txt', '::/fragmented then deleted.bin']);
  deleted.set('/fragmented then deleted.bin', fragDeleted);
  mtools('mdeltree', img, ['::/old folder']);
  deleted.set('/_odel.txt', Buffer.from('short lived\n'));
  deleted.set('/deleted long name.bin', longDeleted);
  deleted.set('/gone/_nside.txt', Buffer.from('deleted in a folder\n'));
  deleted.set('/old folder/kept name.txt', Buffer.from('in a deleted folder\n'));
  return { img, files, deleted };
}

function forgetNextFree(img: string): void {
  const fd = fs.openSync(img, 'r+');
  const b = Buffer.alloc(4, 0xff);
  fs.writeSync(fd, b, 0, 4, 512 + 0x1ec);
  fs.closeSync(fd);
}

const variants: [12 | 16 | 32, number, string[]][] = [
  [12, 2048, ['-s', '1']],
  [16, 20_480, ['-s', '4']],
  [32, 40_000, ['-s', '1']],
];

describe.skipIf(missing !== null).each(variants)('FAT%i image from mkfs.vfat + mtools', (fat, sizeKb, extra) => {
  let work: string;
  let built: Built;
  let fsys: FatFileSystem;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), `cw-fat${fat}-`));
    built = build(work, fat, sizeKb, extra);
    fsys = await openFat(await openRawForTest(built.img));
  });
  afterAll(async () => {
    await fsys?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('recognises the type and label', () => {
    expect(fsys.kind).toBe(`fat${fat}`);
    expect(fsys.label).toBe(`CW FAT${fat}`);
    expect(fsys.warnings).toEqual([]);
  });

  it('lists the same names, inode numbers and deleted flags as fls -r -p', async () => {
    // fls descends into deleted folders too (their first cluster, recovered), so this walk does as well.
    const ours: string[] = [];
    const seen = new Set<number>();
    const visit = async (dir: number, prefix: string): Promise<void> => {
      for (const e of await fsys.readDir(dir)) {
        ours.push(`${e.type[0]}${e.deleted ? '*' : ''} ${e.inode} ${prefix}${e.name}`);
        if (e.type === 'dir' && !seen.has(e.inode)) {
          seen.add(e.inode);
          await visit(e.inode, `${prefix}${e.name}/`);
        }
      }
    };
    await visit(fsys.rootInode, '');
    expect(ours.some((l) => l.startsWith('d* ') && l.endsWith(' old folder'))).toBe(true);
    const letter = (t: string): string => (t === 'r' || t === 'v' ? 'f' : t === 'd' ? 'd' : 'o'); // TSK's virtual files are files to us
    const theirs = fls(built.img).map((l) => `${letter(l.type)}${l.deleted ? '*' : ''} ${l.inode} ${l.path}`);
    // The volume label entry is a regular file to TSK and 'other' to us; compare it by name and inode.
    const norm = (s: string): string => s.replace(/^[fo](\*?) (\d+) (.*\(Volume Label Entry\))$/, 'L$1 $2 $3');
    expect(ours.map(norm).sort()).toEqual(theirs.map(norm).sort());
  });

  it('reads every file as written and as icat gives it, fragmented chains included', async () => {
    for (const [p, content] of built.files) {
      const ino = await lookup(fsys, p);
      const st = await fsys.stat(ino);
      expect(st.size, p).toBe(content.length);
      const got = await fsys.read(ino, 0, st.size + 100);
      expect(got.equals(content), p).toBe(true);
      expect(got.equals(icat(built.img, ino)), `${p} vs icat`).toBe(true);
    }
    // TSK's virtual files: the boot sector and each FAT.
    for (const name of ['$MBR', '$FAT1', '$FAT2']) {
      const ino = await lookup(fsys, `/${name}`);
      const st = await fsys.stat(ino);
      expect(st.size, name).toBe(name === '$MBR' ? 512 : fsys.geometry.sectorsPerFat * 512);
      expect((await fsys.read(ino, 0, st.size)).equals(icat(built.img, ino)), name).toBe(true);
    }
    await expect(fsys.readDir(await lookup(fsys, '/$FAT1'))).rejects.toThrow(/not a directory/);
    const frag = await fsys.stat(await lookup(fsys, '/fragmented.bin'));
    expect((await fsys.fat.chain(frag.startCluster, 1000, 'test')).length).toBeGreaterThan(1); // really fragmented
    // Reads at odd offsets cross cluster boundaries and fragments.
    const ino = await lookup(fsys, '/fragmented.bin');
    expect((await fsys.read(ino, 2999, 3000)).equals(built.files.get('/fragmented.bin')!.subarray(2999, 5999))).toBe(true);
  });

  it('recovers deleted files from their start cluster as TSK does, flagged best-effort', async () => {
    for (const [p, content] of built.deleted) {
      const ino = await lookup(fsys, p, true);
      const st = await fsys.stat(ino);
      expect(st.deleted, p).toBe(true);
      expect(st.bestEffort, p).toBe(true);
      const got = await fsys.read(ino, 0, st.size);
      expect(got.equals(content), p).toBe(true);
      expect(got.equals(icat(built.img, ino)), `${p} vs icat`).toBe(true);
    }
  });

  it('gives the times TSK gives (fls -m, TZ=UTC) and the written mtime in 2-second steps', async () => {
    const body = execFileSync('fls', ['-r', '-m', '/', built.img], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const secs = (iso: string | null): number => (iso === null ? 0 : Math.floor(Date.parse(iso) / 1000));
    let checked = 0;
    for (const line of body.trim().split('\n')) {
      const f = line.split('|');
      const ino = Number(f[2]);
      if (!f[1]!.startsWith('/') || f[1]!.includes('$OrphanFiles') || f[1]!.includes('(Volume Label Entry)')) continue;
      const st = await fsys.stat(ino);
      expect([secs(st.atime), secs(st.mtime), secs(st.ctime), secs(st.crtime)], f[1]).toEqual([Number(f[7]), Number(f[8]), Number(f[9]), Number(f[10])]);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    const st = await fsys.stat(await lookup(fsys, '/a.txt'));
    expect(st.mtime).toBe('2026-03-04T05:06:06.000Z');
    expect(st.atime).toMatch(/T00:00:00\.000Z$/); // FAT keeps a date only for access
    expect(st.ctime).toBeNull(); // FAT has no change time
    expect(st.crtime).toMatch(/\.\d\d0Z$/); // 10 ms steps
  });
});

/** Inode of a path, resolving names case-sensitively as stored; `deleted` picks the deleted entry. */
async function lookup(fsys: FatFileSystem, p: string, deleted = false): Promise<number> {
  let ino = fsys.rootInode;
  const parts = p.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const entries = await fsys.readDir(ino);
    const hit = entries.find((e) => e.name === parts[i] && (last ? e.deleted === deleted : true));
    if (!hit) throw new Error(`${parts[i]} not found in ${p}`);
    ino = hit.inode;
  }
  return ino;
}

describe.skipIf(missing !== null)('FAT local times', () => {
  it('shows the writing machine\'s wall clock as if it were UTC (as TSK does), not the true instant', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-fat-tz-'));
    try {
      const img = path.join(work, 'tz.img');
      mkfsFat(img, 12, 1024, 'TZ', []);
      // Written on a machine in New York (UTC-4 in July): FAT stores 08:00, with no zone.
      putFile(img, work, '/ny.txt', Buffer.from('x'), new Date('2026-07-01T12:00:00Z'), 'America/New_York');
      const f = await openFat(await openRawForTest(img));
      const st = await f.stat(await lookup(f, '/ny.txt'));
      expect(st.mtime).toBe('2026-07-01T08:00:00.000Z');
      await f.close();
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
