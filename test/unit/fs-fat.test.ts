// FAT directory entries and boot sectors built byte by byte: DOS times, VFAT long names and their checksum, detection.
import { describe, expect, it } from 'vitest';
import { looksLikeFat, parseBpb } from '../../main/core/images/fs-fat/bpb.js';
import { dosTime, parseDirectory, shortNameChecksum } from '../../main/core/images/fs-fat/dirent.js';

const LIMITS = { fat32: true, lastCluster: 1000, dataBytes: 1000 * 512 };

/** An 8.3 entry: 11-byte name, attributes, start cluster, size, write date/time. */
function shortEntry(name11: string, attr: number, cluster: number, size: number): Buffer {
  const e = Buffer.alloc(32);
  e.write(name11, 0, 'latin1');
  e[11] = attr;
  e.writeUInt16LE(cluster >>> 16, 20);
  e.writeUInt16LE(cluster & 0xffff, 26);
  e.writeUInt32LE(size, 28);
  e.writeUInt16LE(((2026 - 1980) << 9) | (11 << 5) | 27, 24); // 2026-11-27
  e.writeUInt16LE((23 << 11) | (59 << 5) | 29, 22); // 23:59:58
  return e;
}

/** The long-name entries for `name`, in on-disk order (last part first), carrying `sum`. */
function lfnEntries(name: string, sum: number): Buffer[] {
  const units = Buffer.from(name, 'utf16le');
  const chars = units.length / 2;
  const count = Math.ceil(chars / 13); // the 0x0000 terminator only when the last part has room
  const padded = Buffer.alloc(count * 26, 0xff);
  units.copy(padded);
  if (chars < count * 13) padded.writeUInt16LE(0, chars * 2);
  const out: Buffer[] = [];
  for (let i = count; i >= 1; i--) {
    const part = padded.subarray((i - 1) * 26, i * 26);
    const e = Buffer.alloc(32);
    e[0] = i | (i === count ? 0x40 : 0);
    part.copy(e, 1, 0, 10);
    e[11] = 0x0f;
    e[13] = sum;
    part.copy(e, 14, 10, 22);
    part.copy(e, 28, 22, 26);
    out.push(e);
  }
  return out;
}

const parse = (entries: Buffer[]) => parseDirectory(Buffer.concat([...entries, Buffer.alloc(32)]), (slot) => 100 + slot, LIMITS);

describe('DOS times', () => {
  it('decodes date, 2-second time and 10-ms creation steps, unconverted, with Z', () => {
    expect(dosTime(((2026 - 1980) << 9) | (11 << 5) | 27, (23 << 11) | (59 << 5) | 29)).toBe('2026-11-27T23:59:58.000Z');
    expect(dosTime(((2001 - 1980) << 9) | (2 << 5) | 3, (4 << 11) | (5 << 5) | 3, 150)).toBe('2001-02-03T04:05:07.500Z');
    expect(dosTime((46 << 9) | (11 << 5) | 27, 0)).toBe('2026-11-27T00:00:00.000Z');
  });
  it('gives null for an absent or impossible value rather than a rolled-over date', () => {
    expect(dosTime(0, 0)).toBeNull();
    expect(dosTime((46 << 9) | (13 << 5) | 1, 0)).toBeNull(); // month 13
    expect(dosTime((46 << 9) | (2 << 5) | 30, 0)).toBeNull(); // 30 February
    expect(dosTime((46 << 9) | (2 << 5) | 1, 24 << 11)).toBeNull(); // hour 24
  });
});

describe('VFAT long names', () => {
  const short = shortEntry('SMILE~1 TXT', 0x20, 5, 12);
  const sum = shortNameChecksum(short);

  it('joins the parts in order, surrogate pairs and a name filling its last part exactly included', () => {
    const [e] = parse([...lfnEntries('😀 smile and a long tail.txt', sum), short]);
    expect(e).toMatchObject({ name: '😀 smile and a long tail.txt', shortName: 'SMILE~1.TXT', inode: 103, startCluster: 5, size: 12, deleted: false });
    const s2 = shortEntry('EXACTL~1   ', 0x20, 6, 1);
    const exact = parse([...lfnEntries('exactly-13-ch', shortNameChecksum(s2)), s2]);
    expect(exact.map((x) => [x.name, x.inode])).toEqual([['exactly-13-ch', 101]]);
  });

  it('falls back to the 8.3 name when the checksum or the sequence does not match', () => {
    expect(parse([...lfnEntries('not mine.txt', (sum + 1) & 0xff), short])[0]!.name).toBe('SMILE~1.TXT');
    const parts = lfnEntries('a name that needs three parts of thirteen.txt', sum);
    expect(parse([parts[0]!, parts[2]!, short])[0]!.name).toBe('SMILE~1.TXT'); // part 2 missing
  });

  it('keeps a deleted long name whose parts agree, shows the lost first byte as _, skips . and ..', () => {
    const dead = Buffer.from(short);
    dead[0] = 0xe5;
    const parts = lfnEntries('gone but named.txt', sum).map((p) => { const c = Buffer.from(p); c[0] = 0xe5; return c; });
    const dot = shortEntry('.          ', 0x10, 9, 0);
    const entries = parse([dot, ...parts, dead]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ name: 'gone but named.txt', shortName: '_MILE~1.TXT', deleted: true });
  });

  it('applies the lower-case flags and names a volume label entry like TSK', () => {
    const lower = shortEntry('README  TXT', 0x20, 7, 3);
    lower[12] = 0x18;
    const label = shortEntry('MY DISK    ', 0x08, 0, 0);
    expect(parse([lower, label]).map((e) => [e.name, e.volumeLabel])).toEqual([['readme.txt', false], ['MY DISK     (Volume Label Entry)', true]]);
  });

  it('ignores deleted leftovers that cannot be entries', () => {
    const junk = shortEntry('\xe5UNK    BIN', 0x20, 5000, 10); // start cluster beyond the volume
    expect(parse([junk])).toEqual([]);
  });
});

describe('FAT boot sector', () => {
  /** A FAT16-shaped boot sector: 512-byte sectors, 4 per cluster, 1 reserved, 2 FATs of `spf` sectors, 512 root entries. */
  function boot(total: number, spf: number): Buffer {
    const b = Buffer.alloc(512);
    b[0] = 0xeb; b[1] = 0x3c; b[2] = 0x90;
    b.write('mkfs.fat', 3, 'latin1');
    b.writeUInt16LE(512, 11); b[13] = 4; b.writeUInt16LE(1, 14); b[16] = 2; b.writeUInt16LE(512, 17);
    b.writeUInt32LE(total, 32); b[21] = 0xf8; b.writeUInt16LE(spf, 22);
    b[38] = 0x29; b.write('LABEL      FAT16   ', 43, 'latin1');
    b[510] = 0x55; b[511] = 0xaa;
    return b;
  }

  it('derives the type from the cluster count and lays out the regions', () => {
    const g = parseBpb(boot(40_960, 40), 40_960 * 512, 'test');
    expect(g).toMatchObject({ type: 16, firstDataSector: 81, firstClusterSector: 113, clusterCount: 10_211, bpbLabel: 'LABEL' });
    expect(parseBpb(boot(4000, 4), 4000 * 512, 'test').type).toBe(12);
  });

  it('refuses a FAT too small for its clusters and a volume cut inside its FATs', () => {
    expect(() => parseBpb(boot(40_960, 10), 40_960 * 512, 'test')).toThrow(/FAT of 10 sectors cannot hold 10\d+ clusters/);
    expect(() => parseBpb(boot(40_960, 40), 20 * 512, 'test')).toThrow(/ends inside the FATs/);
  });

  it('is told apart from NTFS, an empty MBR and a sector without the signature', () => {
    expect(looksLikeFat(boot(40_960, 40))).toBe(true);
    const ntfs = boot(40_960, 40);
    ntfs.write('NTFS    ', 3, 'latin1');
    expect(looksLikeFat(ntfs)).toBe(false);
    const mbr = Buffer.alloc(512);
    mbr[510] = 0x55; mbr[511] = 0xaa;
    expect(looksLikeFat(mbr)).toBe(false);
    const unsigned = boot(40_960, 40);
    unsigned[511] = 0;
    expect(looksLikeFat(unsigned)).toBe(false);
  });
});
