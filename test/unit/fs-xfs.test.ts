// Pure decoding of XFS on-disk structures from hand-built buffers (no xfsprogs needed).
import { describe, expect, it } from 'vitest';
import { readMapped, unpackExtent } from '../../main/core/images/fs-xfs/bmap.js';
import { crc32c, xfsCrcOk } from '../../main/core/images/fs-xfs/crc32c.js';
import { parseDataBlock, parseShortform, type RawDirent } from '../../main/core/images/fs-xfs/dir.js';
import { parseInode } from '../../main/core/images/fs-xfs/inode.js';
import { fsbToByte, inodeToByte, parseSuper, type XfsSuper } from '../../main/core/images/fs-xfs/superblock.js';

const sb = (over: Partial<XfsSuper> = {}): XfsSuper => ({
  version: 5, blockSize: 4096, dblocks: 76800, agBlocks: 19200, agCount: 4, agBlkLog: 15, sectSize: 512, inodeSize: 512,
  inoPbLog: 3, dirBlkLog: 0, rootIno: 128, label: '', uuid: '', hasFtype: true, hasBigtime: true, hasNrext64: false, truncated: false, ...over,
});

describe('crc32c', () => {
  it('matches the standard check value and skips the stored field', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const b = Buffer.alloc(64, 0x5a);
    b.writeUInt32LE(crc32c(b, 8), 8);
    expect(xfsCrcOk(b, 8)).toBe(true);
    b[40] = b[40]! ^ 1;
    expect(xfsCrcOk(b, 8)).toBe(false);
  });
});

describe('superblock', () => {
  function make(version: 4 | 5): Buffer {
    const b = Buffer.alloc(512);
    b.write('XFSB', 0, 'latin1');
    b.writeUInt32BE(4096, 4);
    b.writeBigUInt64BE(76800n, 8);
    b.writeBigUInt64BE(128n, 56);
    b.writeUInt32BE(19200, 84);
    b.writeUInt32BE(4, 88);
    b.writeUInt16BE(version === 5 ? 0xb4a5 : 0xb4a4, 100);
    b.writeUInt16BE(512, 102);
    b.writeUInt16BE(512, 104);
    b.write('label', 108, 'latin1');
    b[123] = 3;
    b[124] = 15;
    if (version === 5) {
      b.writeUInt32BE(0xb, 216);
      b.writeUInt32LE(crc32c(b, 224), 224);
    }
    return b;
  }
  it('parses v5 features and flags a truncated image without refusing it', () => {
    const s = parseSuper(make(5), 76800 * 4096 - 1, 'img');
    expect(s).toMatchObject({ version: 5, label: 'label', rootIno: 128, hasFtype: true, hasBigtime: true, truncated: true });
  });
  it('refuses a bad CRC on v5 but has none to check on v4', () => {
    const b = make(5);
    b[110] = b[110]! ^ 1;
    expect(() => parseSuper(b, 1e12, 'img')).toThrow(/checksum/);
    const v4 = make(4);
    v4[110] = v4[110]! ^ 1;
    expect(parseSuper(v4, 1e12, 'img').version).toBe(4);
  });
  it('refuses impossible geometry instead of dividing by it', () => {
    const b = make(4);
    b.writeUInt32BE(3000, 4);
    expect(() => parseSuper(b, 1e12, 'img')).toThrow(/impossible geometry/);
  });
});

describe('addressing', () => {
  it('splits block and inode numbers into AG and offset', () => {
    expect(fsbToByte(sb(), (1 << 15) | 49)).toBe((19200 + 49) * 4096);
    expect(inodeToByte(sb(), 128)).toBe(16 * 4096);
    expect(inodeToByte(sb(), 262272)).toBe(19200 * 4096 + 16 * 4096); // AG 1, agino 128
    expect(inodeToByte(sb(), 4 * 2 ** 18)).toBeNull(); // AG 4 does not exist
  });
  it('unpacks a packed extent record with the unwritten flag', () => {
    const b = Buffer.alloc(16);
    const off = 123456n, blk = (5n << 15n) | 777n, cnt = 2097151n;
    b.writeBigUInt64BE((1n << 63n) | (off << 9n) | (blk >> 43n), 0);
    b.writeBigUInt64BE(((blk & ((1n << 43n) - 1n)) << 21n) | cnt, 8);
    expect(unpackExtent(b, 0)).toEqual({ unwritten: true, startOff: 123456, startBlock: Number(blk), count: 2097151 });
  });
});

describe('inode timestamps', () => {
  function inode(flags2: bigint): Buffer {
    const b = Buffer.alloc(512);
    b.writeUInt16BE(0x494e, 0);
    b.writeUInt16BE(0o100644, 2);
    b[4] = 3;
    b[5] = 2;
    b.writeUInt32BE(1, 16);
    b.writeBigUInt64BE(flags2, 120);
    b.writeBigUInt64BE(77n, 152);
    return b;
  }
  it('decodes legacy signed seconds, including before 1970', () => {
    const b = inode(0n);
    b.writeInt32BE(-1, 40);
    b.writeUInt32BE(500, 44);
    b.writeUInt32LE(crc32c(b, 100), 100);
    expect(parseInode(sb(), 77, b).mtime).toBe('1969-12-31T23:59:59.000000500Z');
  });
  it('decodes bigtime nanoseconds since 1901 and beyond 2038', () => {
    const b = inode(1n << 3n);
    const unix = 4102444800n; // 2100-01-01
    b.writeBigUInt64BE((unix + 2n ** 31n) * 1_000_000_000n + 123_456_789n, 40);
    b.writeBigUInt64BE(0n, 144);
    b.writeUInt32LE(crc32c(b, 100), 100);
    const ino = parseInode(sb(), 77, b);
    expect(ino.mtime).toBe('2100-01-01T00:00:00.123456789Z');
    expect(ino.crtime).toBe('1901-12-13T20:45:52.000000000Z');
  });
  it('refuses an inode stored under another number', () => {
    const b = inode(0n);
    b.writeUInt32LE(crc32c(b, 100), 100);
    expect(() => parseInode(sb(), 78, b)).toThrow(/records itself as inode 77/);
  });
});

describe('directories', () => {
  it('parses short-form entries with ftype and 8-byte inode numbers', () => {
    const parts = [Buffer.from([2, 2]), Buffer.alloc(8)];
    for (const [name, ino, ft] of [['ab', 5, 1], ['dir', 2 ** 40, 2]] as const) {
      const e = Buffer.alloc(3 + name.length + 1 + 8);
      e[0] = name.length;
      e.write(name, 3);
      e[3 + name.length] = ft;
      e.writeBigUInt64BE(BigInt(ino), 4 + name.length);
      parts.push(e);
    }
    const fork = Buffer.concat([...parts, Buffer.alloc(50)]);
    expect(parseShortform(sb(), 1, fork, fork.length - 50)).toEqual([
      { name: 'ab', inode: 5, ftype: 1 },
      { name: 'dir', inode: 2 ** 40, ftype: 2 },
    ]);
  });
  it('skips free regions in a data block and rejects a bad magic', () => {
    const blk = Buffer.alloc(4096);
    blk.write('XDD3', 0, 'latin1');
    blk.writeUInt16BE(0xffff, 64); // a freed (deleted) entry's space
    blk.writeUInt16BE(32, 66);
    blk.writeBigUInt64BE(999n, 96);
    blk[104] = 4;
    blk.write('name', 105);
    blk[109] = 1;
    blk.writeUInt16BE(0xffff, 112);
    blk.writeUInt16BE(4096 - 112, 114);
    const out: RawDirent[] = [];
    parseDataBlock(sb(), 1, 0, blk, out);
    expect(out).toEqual([{ name: 'name', inode: 999, ftype: 1 }]);
    blk.write('XXXX', 0, 'latin1');
    expect(() => parseDataBlock(sb(), 1, 0, blk, [])).toThrow(/bad magic "XXXX"/);
  });
});

describe('readMapped', () => {
  // A 64-block "disk" whose every byte is its block number + 1, so misplaced blocks show.
  const s = sb({ blockSize: 512, agBlkLog: 6, agBlocks: 64, dblocks: 64, agCount: 1 });
  const disk = Buffer.alloc(64 * 512);
  for (let b = 0; b < 64; b++) disk.fill(b + 1, b * 512, (b + 1) * 512);
  const read = async (o: number, n: number): Promise<Buffer> => disk.subarray(o, Math.min(o + n, 40 * 512)); // image cut at block 40
  const ext = [
    { startOff: 0, startBlock: 10, count: 2, unwritten: false },
    { startOff: 4, startBlock: 20, count: 1, unwritten: true },
    { startOff: 5, startBlock: 30, count: 2, unwritten: false },
    { startOff: 7, startBlock: 45, count: 1, unwritten: false },
  ];
  it('fills holes and unwritten extents with zeros and stops at the file size', async () => {
    const b = await readMapped(s, 9, ext, 7 * 512 - 100, 0, 10_000, read);
    expect(b.length).toBe(7 * 512 - 100);
    expect([b[0], b[600], b[1024], b[2048], b[5 * 512], b[6 * 512]]).toEqual([11, 12, 0, 0, 31, 32]);
    expect((await readMapped(s, 9, ext, 4000, 520, 10, read)).equals(Buffer.alloc(10, 12))).toBe(true);
  });
  it('names the inode when data lies past the end of a truncated image', async () => {
    await expect(readMapped(s, 9, ext, 8 * 512, 7 * 512, 512, read)).rejects.toThrow(/inode 9: .*past the end/);
  });
});
