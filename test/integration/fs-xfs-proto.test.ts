// XFS images built by mkfs.xfs -p (no mount) in every format variant; xfsprogs and the source tree are the oracles.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSystem } from '../../main/core/images/fs-types.js';
import { walk } from '../../main/core/images/fs-xfs/walk.js';
import { openXfs } from '../../main/core/images/fs-xfs/xfs.js';
import { buildXfsImage, fileReader, xfsDb, xfsDbLs, xfsToolsMissing, type ProtoNode } from '../support/xfs-proto.js';

const missing = xfsToolsMissing();
if (missing) console.warn(`fs-xfs-proto tests skipped: ${missing}`);

type Dir = Extract<ProtoNode, { kind: 'dir' }>;
const rnd = (n: number, seed: number): Buffer => {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
};
const LONG_TARGET = `../${'very-long-directory-name/'.repeat(30)}target.txt`; // > inode literal area: remote symlink
const UNICODE = 'café-ünïcødé-日本語-😀.txt';

function tree(work: string): Dir {
  const sparseSrc = path.join(work, 'sparse-src.bin');
  const fd = fs.openSync(sparseSrc, 'w');
  for (let i = 0; i < 8; i++) fs.writeSync(fd, rnd(3000, i + 7), 0, 3000, i * 1024 * 1024);
  fs.closeSync(fd);
  const many: ProtoNode[] = [];
  for (let i = 0; i < 5000; i++) {
    const name = `entry-${String(i).padStart(5, '0')}-${'x'.repeat(i % 40)}`;
    many.push({ kind: 'file', name, mode: 0o644, uid: i % 7, gid: i % 11, content: Buffer.from(i % 500 === 0 ? `n${i}\n` : '') });
  }
  return {
    kind: 'dir', name: '', mode: 0o755, uid: 0, gid: 0, children: [
      { kind: 'fifo', name: 'a-fifo', mode: 0o620, uid: 8, gid: 9 },
      { kind: 'file', name: 'empty.txt', mode: 0o644, uid: 0, gid: 0, content: Buffer.alloc(0) },
      { kind: 'file', name: 'hello.txt', mode: 0o600, uid: 1000, gid: 1001, content: Buffer.from('hello\n') },
      { kind: 'file', name: 'setuid', mode: 0o4755, uid: 0, gid: 0, content: rnd(5000, 3) },
      { kind: 'file', name: 'sparse.bin', mode: 0o640, uid: 3, gid: 4, content: { path: sparseSrc } },
      { kind: 'dir', name: 'docs', mode: 0o750, uid: 1001, gid: 1002, children: [
        { kind: 'file', name: UNICODE, mode: 0o644, uid: 1, gid: 2, content: Buffer.from('ünïcødé\n') },
        { kind: 'file', name: 'big.bin', mode: 0o644, uid: 5, gid: 6, content: rnd(5 * 1024 * 1024 + 123, 11) },
        { kind: 'dir', name: 'nested', mode: 0o700, uid: 2, gid: 2, children: [
          { kind: 'dir', name: 'deeper', mode: 0o711, uid: 2, gid: 2, children: [
            { kind: 'file', name: 'leaf.bin', mode: 0o444, uid: 9, gid: 9, content: rnd(100_000, 5) },
          ] },
        ] },
      ] },
      { kind: 'dir', name: 'links', mode: 0o755, uid: 0, gid: 0, children: [
        { kind: 'file', name: 'a', mode: 0o644, uid: 0, gid: 0, content: Buffer.from('linked content\n') },
        { kind: 'file', name: 'b', mode: 0o644, uid: 0, gid: 0, content: Buffer.from('to become a hard link\n') },
        { kind: 'symlink', name: 'short', uid: 0, gid: 0, target: '../hello.txt' },
        { kind: 'symlink', name: 'long', uid: 0, gid: 0, target: LONG_TARGET },
      ] },
      { kind: 'dir', name: 'many', mode: 0o755, uid: 0, gid: 0, children: many },
    ],
  };
}

/** Flattens the spec into path → node, as the reader should list it. */
function expected(root: Dir): Map<string, ProtoNode> {
  const out = new Map<string, ProtoNode>();
  const rec = (d: Dir, prefix: string): void => {
    for (const n of d.children) {
      out.set(`${prefix}/${n.name}`, n);
      if (n.kind === 'dir') rec(n, `${prefix}/${n.name}`);
    }
  };
  rec(root, '');
  return out;
}

const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');
const contentOf = (n: Extract<ProtoNode, { kind: 'file' }>): Buffer => (Buffer.isBuffer(n.content) ? n.content : fs.readFileSync(n.content.path));

async function readAll(fsys: FileSystem, ino: number, size: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let off = 0; off < size; off += 1 << 20) parts.push(await fsys.read(ino, off, 1 << 20));
  return Buffer.concat(parts);
}

const variants: { name: string; mkfs: string[] }[] = [
  { name: 'v5 bigtime (Amazon Linux 2023 default)', mkfs: ['-m', 'bigtime=1'] },
  { name: 'v5 without bigtime, 64k dir blocks, 1k blocks', mkfs: ['-m', 'bigtime=0', '-n', 'size=65536', '-b', 'size=1024'] },
  { name: 'v5 with 64-bit extent counters (nrext64)', mkfs: ['-i', 'nrext64=1'] },
  { name: 'v4 (crc=0) with ftype', mkfs: ['-m', 'crc=0'] },
  { name: 'v4 without ftype, 512-byte inodes', mkfs: ['-m', 'crc=0', '-n', 'ftype=0', '-i', 'size=512'] },
];

describe.skipIf(missing !== null).each(variants)('XFS $name', ({ mkfs }) => {
  let work: string;
  let img: string;
  let spec: Dir;
  let fsys: FileSystem;
  let hardInode: number;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-xfs-'));
    spec = tree(work);
    img = buildXfsImage(work, spec, { size: '300m', mkfs: ['-L', 'cwtest', ...mkfs] });
    // Protofiles cannot express hard links: point links/b's entry at a's inode with xfs_db, as a real `ln` would.
    const ls = xfsDbLs(img, '/links');
    hardInode = ls.get('a')!;
    const dirIno = xfsDbLs(img, '/').get('links')!;
    const printed = xfsDb(img, [`inode ${dirIno}`, 'print']);
    const field = /^(u3?\.sfdir[23])\.list\[(\d+)\]\.name = "b"$/m.exec(printed)!;
    const inoField = /inumber\.i4/.test(printed) ? 'inumber.i4' : 'inumber.i8';
    xfsDb(img, [`inode ${dirIno}`, `write ${field[1]}.list[${field[2]}].${inoField} ${hardInode}`, `inode ${hardInode}`, 'write core.nlinkv2 2'], true);
    fsys = await openXfs(fileReader(img));
  });
  afterAll(async () => {
    await fsys?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists exactly the source tree, with types, and the label', async () => {
    expect(fsys.kind).toBe('xfs');
    expect(fsys.label).toBe('cwtest');
    const want = expected(spec);
    const problems: unknown[] = [];
    const got = new Map<string, string>();
    for await (const item of walk(fsys, fsys.rootInode, problems as never[])) got.set(item.path, item.entry.type);
    expect(problems).toEqual([]);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [p, n] of want) expect(got.get(p), p).toBe(n.kind === 'fifo' ? 'other' : n.kind);
  });

  it('reads every file byte for byte and stats match the protofile', async () => {
    const want = expected(spec);
    for await (const { path: p, entry } of walk(fsys)) {
      const n = want.get(p)!;
      const st = await fsys.stat(entry.inode);
      if (p === '/links/b') continue; // now the hard link to /links/a, checked below
      expect(st.uid, p).toBe(n.uid);
      expect(st.gid, p).toBe(n.gid);
      if (n.kind === 'symlink') {
        expect(st.symlinkTarget, p).toBe(n.target);
        expect((await fsys.read(entry.inode, 0, 4096)).toString(), p).toBe(n.target);
        continue;
      }
      expect(st.mode & 0o7777, p).toBe(n.mode);
      if (n.kind === 'file') {
        const body = contentOf(n);
        expect(st.size, p).toBe(body.length);
        expect(sha(await readAll(fsys, entry.inode, st.size)), p).toBe(sha(body));
      }
    }
  });

  it('reads at odd offsets and past the end', async () => {
    const big = (expected(spec).get('/docs/big.bin') as Extract<ProtoNode, { kind: 'file' }>).content as Buffer;
    const ino = (await fsys.readDir((await fsys.readDir(fsys.rootInode)).find((e) => e.name === 'docs')!.inode)).find((e) => e.name === 'big.bin')!.inode;
    for (const [off, len] of [[0, 1], [4095, 2], [1_000_003, 70_000], [big.length - 5, 100], [big.length + 10, 10]] as const) {
      expect((await fsys.read(ino, off, len)).equals(big.subarray(off, off + len))).toBe(true);
    }
  });

  it('shows the hard link as two names of one inode with nlink 2', async () => {
    const links = await fsys.readDir((await fsys.readDir(fsys.rootInode)).find((e) => e.name === 'links')!.inode);
    const a = links.find((e) => e.name === 'a')!;
    const b = links.find((e) => e.name === 'b')!;
    expect(a.inode).toBe(hardInode);
    expect(b.inode).toBe(hardInode);
    expect((await fsys.stat(b.inode)).nlink).toBe(2);
    expect((await fsys.read(b.inode, 0, 100)).toString()).toBe('linked content\n');
  });

  it('the 5,000-entry directory is in leaf or node form (blocks past the 32 GiB leaf offset)', () => {
    const many = xfsDbLs(img, '/').get('many')!;
    const bs = mkfs.includes('size=1024') ? 1024 : 4096;
    const offsets = [...xfsDb(img, [`inode ${many}`, 'bmap']).matchAll(/data offset (\d+) /g)].map((m) => Number(m[1]) * bs);
    expect(offsets.some((o) => o >= 32 * 2 ** 30)).toBe(true);
    expect(offsets.filter((o) => o < 32 * 2 ** 30).length).toBeGreaterThan(1);
  });

  it('inode numbers equal xfs_db ls, including the 5,000-entry directory', async () => {
    for (const dir of ['/', '/docs', '/links', '/many']) {
      let ino = fsys.rootInode;
      for (const part of dir.split('/').filter(Boolean)) ino = (await fsys.readDir(ino)).find((e) => e.name === part)!.inode;
      const mine = new Map((await fsys.readDir(ino)).map((e) => [e.name, e.inode]));
      const oracle = xfsDbLs(img, dir);
      expect(oracle.size, dir).toBeGreaterThan(0);
      // xfs_db prints names byte-wise; compare the ASCII ones exactly and count all.
      expect(mine.size, dir).toBe(oracle.size);
      for (const [name, n] of oracle) if (/^[\x20-\x7e]+$/.test(name)) expect(mine.get(name), `${dir}/${name}`).toBe(n);
    }
  });

  it('times equal xfs_db for a sample of inodes', async () => {
    const sample: number[] = [fsys.rootInode];
    for (const e of await fsys.readDir(fsys.rootInode)) sample.push(e.inode);
    const v5 = !mkfs.includes('crc=0');
    for (const ino of sample) {
      const st = await fsys.stat(ino);
      const out = xfsDb(img, [`inode ${ino}`, 'print core.mtime.sec core.mtime.nsec core.atime.sec core.ctime.sec', ...(v5 ? ['print v3.crtime.sec v3.crtime.nsec'] : [])]);
      const field = (f: string): string => new RegExp(`^${f.replace(/\./g, '\\.')} = (.*)$`, 'm').exec(out)![1]!;
      const asIso = (s: string): string => new Date(`${s} UTC`).toISOString().slice(0, 19);
      expect(st.mtime!.slice(0, 19)).toBe(asIso(field('core.mtime.sec')));
      expect(st.mtime!.slice(20, 29)).toBe(field('core.mtime.nsec').padStart(9, '0'));
      expect(st.atime!.slice(0, 19)).toBe(asIso(field('core.atime.sec')));
      expect(st.ctime!.slice(0, 19)).toBe(asIso(field('core.ctime.sec')));
      if (v5) {
        expect(st.crtime!.slice(0, 19)).toBe(asIso(field('v3.crtime.sec')));
        expect(st.crtime!.slice(20, 29)).toBe(field('v3.crtime.nsec').padStart(9, '0'));
      } else expect(st.crtime).toBeNull();
      // mkfs stamps files with the time it ran: a sanity bound that catches a wrong epoch.
      expect(Math.abs(Date.parse(st.mtime!) - Date.now())).toBeLessThan(3_600_000);
    }
  });
});
