import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32, crc32 } from '../../main/core/images/containers/checksums.js';
import { parseHeaderSection, parseSectionDescriptor } from '../../main/core/images/containers/ewf-format.js';
import { segmentExtension } from '../../main/core/images/containers/ewf-segments.js';
import { sliceReader, type ImageReader } from '../../main/core/images/containers/image-reader.js';
import { LruCache } from '../../main/core/images/containers/lru-cache.js';
import { splitScheme } from '../../main/core/images/containers/raw-reader.js';

const mem = (buf: Buffer): ImageReader => ({
  size: buf.length,
  description: 'mem',
  read: async (o, l) => buf.subarray(o, Math.min(buf.length, o + l)),
  close: async () => {},
});

describe('checksums', () => {
  it('match the published check values', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    // Long input exercises the deferred modulo.
    const big = Buffer.alloc(100_000, 0xff);
    expect(adler32(big)).toBe(deflateSync(big).readUInt32BE(deflateSync(big).length - 4));
  });
});

describe('EWF format pieces', () => {
  it('names segments E01…E99, EAA…, keeping the case of the first', () => {
    expect([1, 99, 100, 101, 126, 775].map((n) => segmentExtension('E', n))).toEqual(['E01', 'E99', 'EAA', 'EAB', 'EBA', 'EZZ']);
    expect(segmentExtension('E', 776)).toBe('FAA');
    expect(segmentExtension('e', 2)).toBe('e02');
  });

  it('parses header (ASCII, local clock) and header2 (UTF-16, POSIX time) text', () => {
    const h1 = deflateSync(Buffer.from('1\r\nmain\r\nc\tn\ta\te\tt\tav\tov\tm\tu\tp\r\nC1\tE1\tDisk\tAnn\tNote\t7\tLinux\t2018 5 16 15 5 8\t2018 5 16 15 5 9\t0\r\n\r\n', 'latin1'));
    expect(parseHeaderSection(h1, 'header')).toMatchObject({
      caseNumber: 'C1', evidenceNumber: 'E1', description: 'Disk', examiner: 'Ann', notes: 'Note',
      acquisitionDate: '2018-05-16T15:05:08', systemDate: '2018-05-16T15:05:09',
    });
    const text = '3\nmain\na\tc\tn\te\tt\tmd\tsn\tav\tov\tm\tu\tp\tdc\nDésc\tC2\tE2\tÅsa\t\tM\tS\t1\tLinux\t1526483108\t1526483108\t0\t\n\n';
    const h2 = deflateSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const v = parseHeaderSection(h2, 'header2');
    expect(v).toMatchObject({ description: 'Désc', examiner: 'Åsa', acquisitionDate: '2018-05-16T15:05:08Z', model: 'M' });
    expect(v.notes).toBeUndefined();
    expect(() => parseHeaderSection(Buffer.from('not zlib'), 'header')).toThrow(/does not decompress/);
  });

  it('checks a section descriptor checksum', () => {
    const d = Buffer.alloc(76);
    d.write('sectors', 0, 'latin1');
    d.writeBigUInt64LE(5000n, 16);
    d.writeBigUInt64LE(4000n, 24);
    d.writeUInt32LE(adler32(d, 0, 72), 72);
    expect(parseSectionDescriptor(d, 1000)).toEqual({ type: 'sectors', offset: 1000, next: 5000, size: 4000, checksumOk: true });
    d[30] = d[30]! ^ 1;
    expect(parseSectionDescriptor(d, 1000).checksumOk).toBe(false);
  });
});

describe('split raw names', () => {
  it('recognises first segments only', () => {
    expect(splitScheme('/x/disk.001')?.next(1)).toBe('002');
    expect(splitScheme('/x/disk.000')?.next(1)).toBe('001');
    expect(splitScheme('/x/disk.aa')?.next(27)).toBe('bb');
    expect(splitScheme('/x/disk.002')).toBeNull();
    expect(splitScheme('/x/disk.dd')).toBeNull();
  });
});

describe('sliceReader and LruCache', () => {
  it('keeps a partition view inside its bounds', async () => {
    const parent = mem(Buffer.from('0123456789'));
    const s = sliceReader(parent, 2, 5, 'p1');
    expect((await s.read(0, 100)).toString()).toBe('23456');
    expect((await s.read(4, 3)).toString()).toBe('6');
    expect((await s.read(5, 3)).length).toBe(0);
    await expect(s.read(-1, 1)).rejects.toThrow(/Invalid read/);
    expect(() => sliceReader(parent, 8, 5, 'p2')).toThrow(/past the end/);
  });

  it('evicts the least recently used entry', () => {
    const c = new LruCache<number, string>(2);
    c.set(1, 'a');
    c.set(2, 'b');
    c.get(1);
    c.set(3, 'c');
    expect([c.get(1), c.get(2), c.get(3)]).toEqual(['a', undefined, 'c']);
  });
});
