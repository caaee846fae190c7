import { describe, expect, it } from 'vitest';
import { filetimeIso, isLinkTag, parseReparse } from '../../main/core/images/fs-ntfs/attrs.js';
import { parseBoot } from '../../main/core/images/fs-ntfs/boot.js';
import { liveEntries, typeOfName } from '../../main/core/images/fs-ntfs/directory.js';
import { parseIndexNode } from '../../main/core/images/fs-ntfs/index-node.js';
import { applyFixups } from '../../main/core/images/fs-ntfs/record.js';
import { decodeRuns, readRuns } from '../../main/core/images/fs-ntfs/runs.js';
import type { FileName } from '../../main/core/images/fs-ntfs/attrs.js';

describe('NTFS FILETIME', () => {
  it('converts 100-ns intervals since 1601 to ISO UTC, keeping all 7 fraction digits', () => {
    // 2021-03-04T05:06:07.1234567Z = unix 1614834367 s + 1234567 * 100 ns
    const ft = (1614834367n * 10_000_000n + 1234567n) + 116444736000000000n;
    expect(filetimeIso(ft)).toBe('2021-03-04T05:06:07.123456700Z');
    expect(filetimeIso(116444736000000000n)).toBe('1970-01-01T00:00:00.000000000Z');
    expect(filetimeIso(116444736000000000n - 1n)).toBe('1969-12-31T23:59:59.999999900Z');
    expect(filetimeIso(1n)).toBe('1601-01-01T00:00:00.000000100Z');
    expect(filetimeIso(0n)).toBeNull();
    // The largest FILETIME is year 60056: shown (ISO extended year) rather than hidden, it may be evidence of tampering.
    expect(filetimeIso(0xffffffffffffffffn)).toBe('+060056-05-28T05:36:10.955161500Z');
  });
});

describe('NTFS data runs', () => {
  it('decodes relative LCNs, negative offsets and sparse runs', () => {
    // 0x21: 1 length byte, 2 offset bytes. Run 1: 0x18 clusters at 0x5634; run 2: 0x10 at -0x34 relative;
    // run 3 (0x01): 8 sparse clusters; run 4: 4 clusters at +0x100 relative to run 2.
    const buf = Buffer.from([0x21, 0x18, 0x34, 0x56, 0x11, 0x10, 0xcc, 0x01, 0x08, 0x21, 0x04, 0x00, 0x01, 0x00]);
    expect(decodeRuns(buf, 0, 't')).toEqual([
      { vcn: 0, lcn: 0x5634, length: 0x18 },
      { vcn: 0x18, lcn: 0x5600, length: 0x10 },
      { vcn: 0x28, lcn: null, length: 8 },
      { vcn: 0x30, lcn: 0x5700, length: 4 },
    ]);
    expect(decodeRuns(Buffer.from([0x11, 0x02, 0x05, 0x00]), 100, 't')).toEqual([{ vcn: 100, lcn: 5, length: 2 }]);
  });

  it('refuses a corrupt run list by name', () => {
    expect(() => decodeRuns(Buffer.from([0x19, 1, 2]), 0, 'record 9')).toThrow(/record 9: corrupt run list/);
    expect(() => decodeRuns(Buffer.from([0x11, 0x01, 0x80, 0x00]), 0, 'record 9')).toThrow(/negative cluster/);
  });

  it('reads across runs, zero-fills sparse ones and reports unmapped bytes', async () => {
    const disk = Buffer.alloc(64);
    for (let i = 0; i < 64; i++) disk[i] = i;
    const reader = { size: 64, description: 't', read: async (o: number, l: number) => disk.subarray(o, Math.min(64, o + l)), close: async () => {} };
    const vol = { reader, clusterSize: 8, totalClusters: 8 };
    const runs = [{ vcn: 0, lcn: 4, length: 1 }, { vcn: 1, lcn: null, length: 1 }, { vcn: 2, lcn: 1, length: 1 }];
    const got = await readRuns(vol, runs, 4, 16, 't');
    expect([...got]).toEqual([36, 37, 38, 39, 0, 0, 0, 0, 0, 0, 0, 0, 8, 9, 10, 11]);
    await expect(readRuns(vol, runs, 20, 8, 'f')).rejects.toThrow(/f: no data run maps byte 24/);
    await expect(readRuns(vol, [{ vcn: 0, lcn: 7, length: 2 }], 0, 8, 'f')).rejects.toThrow(/past the end of the volume/);
  });
});

describe('NTFS fixups', () => {
  function record(): Buffer {
    const b = Buffer.alloc(1024);
    b.write('FILE', 0, 'latin1');
    b.writeUInt16LE(0x30, 4);
    b.writeUInt16LE(3, 6);
    b.writeUInt16LE(0x0007, 0x30); // update sequence number
    b.writeUInt16LE(0xaaaa, 0x32); // original last bytes of sector 0
    b.writeUInt16LE(0xbbbb, 0x34); // ... of sector 1
    b.writeUInt16LE(0x0007, 510);
    b.writeUInt16LE(0x0007, 1022);
    return b;
  }
  it('restores the saved sector-end bytes', () => {
    const b = record();
    applyFixups(b, 'FILE', 'r');
    expect(b.readUInt16LE(510)).toBe(0xaaaa);
    expect(b.readUInt16LE(1022)).toBe(0xbbbb);
  });
  it('reports a mismatch (torn write), a wrong signature and a chkdsk-marked record', () => {
    const b = record();
    b.writeUInt16LE(0x0008, 1022);
    expect(() => applyFixups(b, 'FILE', 'MFT record 9')).toThrow('MFT record 9: fixup mismatch in sector 1 (torn write or corruption)');
    const c = record();
    expect(() => applyFixups(c, 'INDX', 'x')).toThrow(/no INDX signature/);
    c.write('BAAD', 0, 'latin1');
    expect(() => applyFixups(c, 'FILE', 'x')).toThrow(/marked bad/);
  });
});

describe('NTFS boot sector', () => {
  function boot(): Buffer {
    const b = Buffer.alloc(512);
    b.write('NTFS    ', 3, 'latin1');
    b.writeUInt16LE(512, 0x0b);
    b[0x0d] = 8;
    b.writeBigUInt64LE(2047n, 0x28);
    b.writeBigUInt64LE(4n, 0x30);
    b.writeBigUInt64LE(255n, 0x38);
    b[0x40] = 0xf6; // -10: 2^10 = 1024-byte records
    b[0x44] = 1; // 1 cluster per index record
    b.writeUInt16LE(0xaa55, 510);
    return b;
  }
  it('reads the geometry, including negative record-size encodings', () => {
    expect(parseBoot(boot())).toMatchObject({ bytesPerSector: 512, clusterSize: 4096, recordSize: 1024, indexRecordSize: 4096, mftLcn: 4, totalClusters: 255 });
    const big = boot();
    big[0x0d] = 0xf4; // 2^(256-244) = 4096 sectors: 2 MiB clusters
    big.writeBigUInt64LE(1n << 20n, 0x28);
    big[0x44] = 0xf4; // index records of 2^12 bytes
    expect(parseBoot(big).clusterSize).toBe(2 * 1024 * 1024);
  });
  it('names the bad field', () => {
    const b = boot();
    b.writeUInt16LE(0, 510);
    expect(() => parseBoot(b)).toThrow(/0x55AA signature/);
    const c = boot();
    c[0x0d] = 3;
    expect(() => parseBoot(c)).toThrow(/sectors per cluster 3/);
    const d = boot();
    d.writeBigUInt64LE(5000n, 0x30);
    expect(() => parseBoot(d)).toThrow(/\$MFT cluster 5000 is past the end/);
  });
});

describe('NTFS reparse points', () => {
  function reparse(tag: number, print: string, sub: string): Buffer {
    const hdr = tag === 0xa000000c ? 20 : 16;
    const s = Buffer.from(sub, 'utf16le');
    const p = Buffer.from(print, 'utf16le');
    const b = Buffer.alloc(hdr + s.length + p.length);
    b.writeUInt32LE(tag, 0);
    b.writeUInt16LE(b.length - 8, 4);
    b.writeUInt16LE(0, 8);
    b.writeUInt16LE(s.length, 10);
    b.writeUInt16LE(s.length, 12);
    b.writeUInt16LE(p.length, 14);
    s.copy(b, hdr);
    p.copy(b, hdr + s.length);
    return b;
  }
  it('shows symlink and junction targets as Windows prints them, and never anything for other tags', () => {
    expect(parseReparse(reparse(0xa000000c, 'C:\\target.txt', '\\??\\C:\\target.txt'))).toEqual({ tag: 0xa000000c, target: 'C:\\target.txt' });
    expect(parseReparse(reparse(0xa0000003, '', '\\??\\D:\\data'))).toEqual({ tag: 0xa0000003, target: '\\??\\D:\\data' });
    expect(parseReparse(reparse(0x80000017, 'x', 'y'))).toEqual({ tag: 0x80000017, target: null });
    expect(isLinkTag(0x80000017)).toBe(false);
  });
  it('types index entries from their $FILE_NAME flags', () => {
    const fn = (flags: number, reparseTag = 0): FileName =>
      ({ flags, reparseTag, parent: 5, parentSeq: 5, realSize: 0, namespace: 1, name: 'x', crtime: null, mtime: null, ctime: null, atime: null });
    expect(typeOfName(fn(0x20))).toBe('file');
    expect(typeOfName(fn(0x10000000))).toBe('dir');
    expect(typeOfName(fn(0x10000400, 0xa0000003))).toBe('symlink'); // a junction is never entered
    expect(typeOfName(fn(0x400, 0xa000000c))).toBe('symlink');
    expect(typeOfName(fn(0x400, 0x80000017))).toBe('other');
  });
});

describe('NTFS directory index', () => {
  /** An index node (header at 0) holding $FILE_NAME keys: [file ref, name, namespace, flags]. */
  function node(items: [number, string, number, number][]): Buffer {
    const parts = items.map(([ref, name, ns, flags]) => {
      const n = Buffer.from(name, 'utf16le');
      const keyLen = 0x42 + n.length;
      const len = (16 + keyLen + 7) & ~7;
      const e = Buffer.alloc(len);
      e.writeUIntLE(ref, 0, 6);
      e.writeUInt16LE(1, 6);
      e.writeUInt16LE(len, 8);
      e.writeUInt16LE(keyLen, 10);
      e.writeUIntLE(5, 16, 6); // parent: root
      e.writeUInt32LE(flags, 16 + 0x38);
      e[16 + 0x40] = name.length;
      e[16 + 0x41] = ns;
      n.copy(e, 16 + 0x42);
      return e;
    });
    const last = Buffer.alloc(16);
    last.writeUInt16LE(16, 8);
    last.writeUInt16LE(2, 12);
    const body = Buffer.concat([...parts, last]);
    const hdr = Buffer.alloc(16);
    hdr.writeUInt32LE(16, 0);
    hdr.writeUInt32LE(16 + body.length, 4);
    hdr.writeUInt32LE(16 + body.length, 8);
    return Buffer.concat([hdr, body]);
  }
  it('keeps Win32, POSIX and Win32+DOS names, drops DOS 8.3 duplicates and the directory itself', () => {
    const entries = parseIndexNode(node([
      [5, '.', 3, 0x10000000],
      [64, 'Program Files', 1, 0x10000000],
      [64, 'PROGRA~1', 2, 0x10000000],
      [65, 'notes.txt', 3, 0x20],
      [66, 'Case', 0, 0x20],
      [67, 'case', 0, 0x20],
    ]), 0, 'idx');
    expect(entries).toHaveLength(6);
    expect(liveEntries(entries, 5)).toEqual([
      { name: 'Case', inode: 66, type: 'file', deleted: false },
      { name: 'case', inode: 67, type: 'file', deleted: false },
      { name: 'notes.txt', inode: 65, type: 'file', deleted: false },
      { name: 'Program Files', inode: 64, type: 'dir', deleted: false },
    ]);
  });
  it('refuses a corrupt entry length instead of looping', () => {
    const buf = node([[64, 'a', 1, 0]]);
    buf.writeUInt16LE(0, 16 + 8);
    expect(() => parseIndexNode(buf, 0, 'dir 7')).toThrow(/dir 7: corrupt index entry at byte 16/);
  });
});
