// Builders and Sleuth Kit oracles for the NTFS reader tests: images made by mkntfs/ntfscp, then checked with fls/icat/istat.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, readSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export interface FlsNtfsRow { type: 'file' | 'dir' | 'symlink' | 'other'; inode: number; deleted: boolean }

const NAME_TYPE: Record<string, FlsNtfsRow['type']> = { r: 'file', d: 'dir', l: 'symlink' };

/**
 * `fls -r -p` of an NTFS volume as "path" -> rows. Alternate data streams ("name:stream") count as their file
 * (a file whose only data is a named stream, like $Secure, appears in fls only that way); $OrphanFiles is left out.
 */
export function flsNtfs(img: string, sectorOffset = 0): Map<string, FlsNtfsRow[]> {
  const out = execFileSync('fls', ['-r', '-p', '-o', String(sectorOffset), img], { maxBuffer: 1 << 28 }).toString('utf8');
  const rows = new Map<string, FlsNtfsRow[]>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const m = /^(\S)\/(\S) (\* )?(\d+)(?:-\d+-\d+)?(?:\(realloc\))?:\t(.*)$/.exec(line);
    if (!m) throw new Error(`unparsed fls line: ${JSON.stringify(line)}`);
    const full = m[5]!;
    if (full === '$OrphanFiles' || full.startsWith('$OrphanFiles/')) continue;
    const slash = full.lastIndexOf('/');
    const colon = full.indexOf(':', slash + 1);
    const p = colon >= 0 ? full.slice(0, colon) : full;
    // A deleted file found through its MFT entry alone has no name type ("-/r"): its entry's type stands in.
    const row: FlsNtfsRow = { type: NAME_TYPE[m[1] === '-' ? m[2]! : m[1]!] ?? 'other', inode: Number(m[4]), deleted: m[3] !== undefined };
    const list = rows.get(p) ?? [];
    if (!list.some((r) => r.inode === row.inode && r.deleted === row.deleted)) list.push(row);
    rows.set(p, list);
  }
  return rows;
}

/** `icat` of one MFT entry's default $DATA. */
export function icatNtfs(img: string, inode: number, sectorOffset = 0): Buffer {
  return execFileSync('icat', ['-o', String(sectorOffset), img, String(inode)], { maxBuffer: 1 << 30 });
}

/** $STANDARD_INFORMATION times from `istat` as "YYYY-MM-DD HH:MM:SS.nnnnnnnnn", keyed Created/File Modified/MFT Modified/Accessed. */
export function istatSiTimes(img: string, inode: number, sectorOffset = 0): Record<string, string> {
  const out = execFileSync('istat', ['-z', 'UTC', '-o', String(sectorOffset), img, String(inode)]).toString('utf8');
  const si = out.split('$FILE_NAME Attribute Values:')[0]!;
  const times: Record<string, string> = {};
  for (const m of si.matchAll(/^(Created|File Modified|MFT Modified|Accessed):\s+(\S+ \S+) \(UTC\)$/gm)) times[m[1]!] = m[2]!;
  return times;
}

/** An ISO time of ours in istat's form. */
export function isoAsIstat(iso: string | null): string | null {
  return iso === null ? null : `${iso.slice(0, 10)} ${iso.slice(11, 29)}`;
}

/** The files written into the built image, by name, with their bytes. */
export type BuiltFiles = Map<string, Buffer>;

export const UNICODE_NAME = 'café-日本語-Ωμέγα.txt';
export const MANY_FILES = 60;

/**
 * An 8 MiB NTFS image from mkntfs with: a small (resident) file, a 300 KB multi-cluster file, a unicode
 * name, a sparse file (ntfstruncate past its data), a file with many alternate data streams (which forces
 * an $ATTRIBUTE_LIST and extension records), and enough names that the root index needs INDX records.
 */
export function buildNtfs(dir: string): { img: string; files: BuiltFiles } {
  const img = path.join(dir, 'ntfs.img');
  execFileSync('truncate', ['-s', '8M', img]);
  execFileSync('mkntfs', ['-F', '-Q', '-q', '-s', '512', '-c', '4096', '-L', 'Caseward', img], { stdio: 'pipe' });
  const files: BuiltFiles = new Map();
  const put = (name: string, data: Buffer, extra: string[] = []): void => {
    const src = path.join(dir, 'src.bin');
    writeFileSync(src, data);
    execFileSync('ntfscp', ['-q', ...extra, img, src, name], { stdio: 'pipe' });
    if (extra.length === 0) files.set(name, data);
  };
  put('small.txt', Buffer.from('hello, ntfs\n'));
  put('large.bin', randomBytes(300_000));
  put(UNICODE_NAME, Buffer.from('unicode name\n'));
  put('empty.txt', Buffer.alloc(0));
  const head = randomBytes(20_000);
  put('sparse.bin', head);
  const sparseIno = inodeOf(img, 'sparse.bin');
  execFileSync('ntfstruncate', ['-f', img, String(sparseIno), '3000000'], { stdio: 'pipe' });
  files.set('sparse.bin', Buffer.concat([head, Buffer.alloc(3_000_000 - head.length)]));
  put('streams.txt', Buffer.from('main stream of a file with many named streams\n'));
  for (let i = 0; i < 12; i++) put('streams.txt', randomBytes(300), ['-N', `ads${i}`]);
  for (let i = 0; i < MANY_FILES; i++) put(`file-${String(i).padStart(3, '0')}.txt`, Buffer.from(`${i}\n`));
  return { img, files };
}

/** The MFT entry of a name in the root directory, from fls. */
export function inodeOf(img: string, name: string): number {
  const line = execFileSync('fls', [img]).toString('utf8').split('\n').find((l) => l.endsWith(`\t${name}`));
  if (!line) throw new Error(`${name} not in fls output`);
  return Number(/ (\d+)-/.exec(line)![1]);
}

/** Geometry from fsstat: cluster size, first cluster of the MFT, MFT entry size. */
export function geometry(img: string): { cluster: number; mftCluster: number; recordSize: number; indexSize: number } {
  const out = execFileSync('fsstat', [img]).toString('utf8');
  const num = (re: RegExp): number => Number(re.exec(out)![1]);
  return {
    cluster: num(/Cluster Size: (\d+)/), mftCluster: num(/First Cluster of MFT: (\d+)/),
    recordSize: num(/Size of MFT Entries: (\d+)/), indexSize: num(/Size of Index Records: (\d+)/),
  };
}

/** Reads `len` bytes at `at` of a file. */
export function readAt(file: string, at: number, len: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, at);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** Writes bytes at `at` of a file (test images only). */
export function writeAt(file: string, at: number, data: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, data, 0, data.length, at);
  } finally {
    closeSync(fd);
  }
}

/** Byte offset of MFT entry `n` (the built images' MFT is one contiguous run from its first cluster). */
export function recordOffset(img: string, n: number): number {
  const g = geometry(img);
  return g.mftCluster * g.cluster + n * g.recordSize;
}

/** Clusters of an attribute as istat lists them (e.g. type "$INDEX_ALLOCATION", or "$BITMAP"). */
export function istatClusters(img: string, inode: number, type: string): number[] {
  const out = execFileSync('istat', [img, String(inode)]).toString('utf8');
  const at = out.indexOf(`Type: ${type} (`);
  if (at < 0) throw new Error(`istat ${inode}: no ${type}`);
  const lines = out.slice(at).split('\n').slice(1);
  const clusters: number[] = [];
  for (const l of lines) {
    if (!/^[\d ]+$/.test(l.trim()) || !l.trim()) break;
    clusters.push(...l.trim().split(/\s+/).map(Number));
  }
  return clusters;
}

/** Undoes a FILE/INDX record's fixups, runs `edit`, then puts the fixups back (so the record stays valid). */
export function withFixups(buf: Buffer, edit: (b: Buffer) => void): void {
  const usaOff = buf.readUInt16LE(4);
  const count = buf.readUInt16LE(6);
  const usn = buf.readUInt16LE(usaOff);
  for (let i = 1; i < count; i++) buf.writeUInt16LE(buf.readUInt16LE(usaOff + 2 * i), i * 512 - 2);
  edit(buf);
  for (let i = 1; i < count; i++) {
    buf.writeUInt16LE(buf.readUInt16LE(i * 512 - 2), usaOff + 2 * i);
    buf.writeUInt16LE(usn, i * 512 - 2);
  }
}

/**
 * Deletes a root-directory file the way NTFS does, by hand (ntfs-3g has no offline rm): its MFT entry is
 * marked not in use with its sequence number bumped, its bit in $MFT's $BITMAP cleared, and its index entry
 * removed from the root's INDX record. Its clusters stay as they were. Returns its MFT entry number.
 */
export function deleteByHand(img: string, name: string): number {
  const ino = inodeOf(img, name);
  const g = geometry(img);
  const at = recordOffset(img, ino);
  const head = readAt(img, at, 0x18);
  head.writeUInt16LE(head.readUInt16LE(0x10) + 1, 0x10);
  head.writeUInt16LE(head.readUInt16LE(0x16) & ~1, 0x16);
  writeAt(img, at, head);
  const bm = istatClusters(img, 0, '$BITMAP')[0]! * g.cluster + (ino >> 3);
  writeAt(img, bm, Buffer.from([readAt(img, bm, 1)[0]! & ~(1 << (ino & 7))]));
  for (const c of istatClusters(img, 5, '$INDEX_ALLOCATION')) {
    const buf = readAt(img, c * g.cluster, g.indexSize);
    if (buf.toString('latin1', 0, 4) !== 'INDX') continue;
    let found = false;
    withFixups(buf, (b) => {
      const nh = 0x18;
      const total = b.readUInt32LE(nh + 4);
      for (let p = nh + b.readUInt32LE(nh); p < nh + total;) {
        const len = b.readUInt16LE(p + 8);
        const flags = b.readUInt16LE(p + 12);
        if (flags & 2) break;
        const key = p + 16;
        if (b.readUIntLE(p, 6) === ino && b.toString('utf16le', key + 0x42, key + 0x42 + b[key + 0x40]! * 2) === name) {
          if (flags & 1) throw new Error(`${name}'s index entry has a sub-node; pick a leaf entry`);
          b.copy(b, p, p + len, nh + total);
          b.fill(0, nh + total - len, nh + total);
          b.writeUInt32LE(total - len, nh + 4);
          found = true;
          break;
        }
        p += len;
      }
    });
    if (found) {
      writeAt(img, c * g.cluster, buf);
      return ino;
    }
  }
  throw new Error(`${name}: index entry not found in the root's INDX records`);
}

/** Edits MFT entry `ino` in place with its fixups handled. */
export function editRecord(img: string, ino: number, edit: (rec: Buffer) => void): void {
  const g = geometry(img);
  const at = recordOffset(img, ino);
  const buf = readAt(img, at, g.recordSize);
  withFixups(buf, edit);
  writeAt(img, at, buf);
}

/** Byte offset inside an MFT record of its first attribute of `type` (e.g. 0x80 $DATA), or throws. */
export function attrOffset(rec: Buffer, type: number): number {
  for (let off = rec.readUInt16LE(0x14); rec.readUInt32LE(off) !== 0xffffffff; off += rec.readUInt32LE(off + 4)) {
    if (rec.readUInt32LE(off) === type) return off;
  }
  throw new Error(`no attribute 0x${type.toString(16)}`);
}
