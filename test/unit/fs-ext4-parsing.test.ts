import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { parseDirBlock } from '../../main/core/images/fs-ext4/dirent.js';
import { decodeTime, inodeXattr, isoTime, parseInode } from '../../main/core/images/fs-ext4/inode.js';
import { descriptorLocation, groupHasSuper, parseSuperblock } from '../../main/core/images/fs-ext4/superblock.js';

/** Writes one ext4 dirent (filetype layout) at `at`. */
function dirent(buf: Buffer, at: number, inode: number, recLen: number, name: string, ft = 1): void {
  buf.writeUInt32LE(inode, at);
  buf.writeUInt16LE(recLen, at + 4);
  buf[at + 6] = Buffer.byteLength(name);
  buf[at + 7] = ft;
  buf.write(name, at + 8);
}

describe('parseDirBlock', () => {
  it('lists live records and finds a deleted one hidden in the previous record\'s rec_len slack', () => {
    const b = Buffer.alloc(1024);
    dirent(b, 0, 2, 12, '.', 2);
    dirent(b, 12, 2, 12, '..', 2);
    dirent(b, 24, 15, 40, 'kept.txt'); // rec_len 40 swallowed the next record when it was deleted
    dirent(b, 40, 16, 24, 'gone.txt');
    dirent(b, 64, 17, 1024 - 64, 'last', 7);
    expect(parseDirBlock(b, 100, true).map(({ name, inode, type, deleted }) => [name, inode, type, deleted])).toEqual([
      ['kept.txt', 15, 'file', false],
      ['gone.txt', 16, 'file', true],
      ['last', 17, 'symlink', false],
    ]);
  });

  it('treats a record with inode 0 as deleted and skips checksum tails and junk', () => {
    const b = Buffer.alloc(64, 0xff);
    dirent(b, 0, 0, 40, 'wiped', 1);
    dirent(b, 40, 0, 12, '', 0xde); // metadata_csum tail: name_len 0
    b.writeUInt32LE(0x12345678, 48);
    const got = parseDirBlock(b.subarray(0, 52), 100, true);
    expect(got).toEqual([{ name: 'wiped', inode: 0, type: 'file', deleted: true, typeKnown: true }]);
  });

  it('ignores records naming inodes past the last one and cuts names at NUL, as TSK does', () => {
    const b = Buffer.alloc(48);
    dirent(b, 0, 5000, 24, 'too-far');
    dirent(b, 24, 7, 24, 'ab\0cd');
    expect(parseDirBlock(b, 100, true).map((e) => e.name)).toEqual(['ab']);
  });

  it('marks types unknown when the file system has no filetype feature', () => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(9, 0);
    b.writeUInt16LE(16, 4);
    b.writeUInt16LE(3, 6); // 16-bit name length in the old layout
    b.write('abc', 8);
    expect(parseDirBlock(b, 100, false)).toEqual([{ name: 'abc', inode: 9, type: 'other', deleted: false, typeKnown: false }]);
  });
});

describe('inode decoding', () => {
  it('decodes extra time words: nanoseconds and epoch bits past 2038', () => {
    expect(decodeTime(0x6b09faa0, (123456789 << 2) >>> 0)).toEqual({ seconds: 0x6b09faa0, ns: 123456789 });
    expect(decodeTime(0x80000000, 1).seconds).toBe(2 ** 31); // 2038-01-19 with epoch bit 1
    expect(isoTime(decodeTime(0x80000000, 1))).toBe('2038-01-19T03:14:08.000Z');
    expect(isoTime(decodeTime(0xffffffff, null))).toBe('1969-12-31T23:59:59.000Z');
  });

  it('formats times exactly as Date#toISOString across the whole ext4 range', () => {
    for (let i = 0; i < 20000; i++) {
      const seconds = Math.floor(Math.random() * (2 ** 34 + 2 ** 31)) - 2 ** 31;
      const ns = Math.floor(Math.random() * 1e9);
      expect(isoTime({ seconds, ns })).toBe(new Date(seconds * 1000 + Math.floor(ns / 1e6)).toISOString());
    }
  });

  it('reads uid/gid high halves, 64-bit size, crtime only when extra_isize covers it, and in-inode xattrs', () => {
    const raw = Buffer.alloc(256);
    raw.writeUInt16LE(0x81a4, 0);
    raw.writeUInt16LE(0x0001, 0x02);
    raw.writeUInt16LE(0x0002, 0x78); // uid = 0x20001
    raw.writeUInt32LE(5, 0x04);
    raw.writeUInt32LE(1, 0x6c); // size = 2^32 + 5
    raw.writeUInt16LE(16, 0x80); // extra_isize 16: no crtime (needs 24)
    expect(parseInode(12, raw)).toMatchObject({ uid: 0x20001, size: 2 ** 32 + 5, crtime: null });
    raw.writeUInt16LE(32, 0x80);
    raw.writeUInt32LE(1_000_000_000, 0x90);
    expect(parseInode(12, raw).crtime).toEqual({ seconds: 1_000_000_000, ns: 0 });
    const x = 128 + 32;
    raw.writeUInt32LE(0xea020000, x);
    raw[x + 4] = 4; raw[x + 5] = 7; raw.writeUInt16LE(24, x + 6); raw.writeUInt32LE(3, x + 12);
    raw.write('data', x + 20);
    raw.write('xyz', x + 4 + 24);
    expect(inodeXattr(raw, 7, 'data')?.toString()).toBe('xyz');
    expect(inodeXattr(raw, 7, 'other')).toBeNull();
  });
});

function superblock(patch: (b: Buffer) => void = () => {}): Buffer {
  const b = Buffer.alloc(1024);
  b.writeUInt32LE(2048, 0x00); // inodes
  b.writeUInt32LE(16384, 0x04); // blocks
  b.writeUInt32LE(1, 0x14); // first data block (1 KiB blocks)
  b.writeUInt32LE(8192, 0x20);
  b.writeUInt32LE(1024, 0x28);
  b.writeUInt16LE(0xef53, 0x38);
  b.writeUInt32LE(1, 0x4c);
  b.writeUInt16LE(256, 0x58);
  b.writeUInt32LE(0x2, 0x60);
  b.writeUInt32LE(0x1, 0x64);
  b.write('evidence', 0x78);
  patch(b);
  return b;
}

describe('parseSuperblock', () => {
  it('parses a plain ext2 superblock', () => {
    expect(parseSuperblock(superblock())).toMatchObject({ kind: 'ext2', blockSize: 1024, groupCount: 2, label: 'evidence', descSize: 32 });
    expect(parseSuperblock(superblock((b) => b.writeUInt32LE(0x4, 0x5c))).kind).toBe('ext3');
    expect(parseSuperblock(superblock((b) => b.writeUInt32LE(0x42, 0x60))).kind).toBe('ext4');
  });

  it.each([
    ['bad magic', (b: Buffer) => b.writeUInt16LE(0, 0x38), /magic is 0x0/],
    ['zero per group', (b: Buffer) => b.writeUInt32LE(0, 0x20), /per group is zero/],
    ['inode size', (b: Buffer) => b.writeUInt16LE(100, 0x58), /inode size 100/],
    ['inode count', (b: Buffer) => b.writeUInt32LE(99999, 0x00), /inode count 99999/],
    ['journal device', (b: Buffer) => b.writeUInt32LE(0x8, 0x60), /external journal/],
  ])('rejects %s with an AppError', (_name, patch, msg) => {
    const err = (() => { try { parseSuperblock(superblock(patch)); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(msg);
  });

  it('locates group descriptors with and without meta_bg and knows sparse_super backups', () => {
    const sb = parseSuperblock(superblock());
    expect(descriptorLocation(sb, 1)).toEqual({ block: 2, offset: 32 });
    expect([0, 1, 2, 3, 9, 25, 49, 10].map((g) => groupHasSuper(sb, g))).toEqual([true, true, false, true, true, true, true, false]);
    const meta = parseSuperblock(superblock((b) => b.writeUInt32LE(0x12, 0x60)));
    expect(descriptorLocation(meta, 1)).toEqual({ block: 2, offset: 32 }); // meta group 0 starts in group 0 (superblock at 1)
  });
});
