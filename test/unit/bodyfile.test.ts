import { describe, expect, it } from 'vitest';
import {
  epochSeconds, formatBodyfileLine, modeString, parseBodyfileLine, recordOf, type BodyfileRecord,
} from '../../main/core/images/bodyfile/bodyfile-line.js';
import { bodyfileLines, newWalkStats } from '../../main/core/images/bodyfile/walk-bodyfile.js';
import type { FileSystem, FsEntry, FsStat } from '../../main/core/images/fs-types.js';
import { eventsOf, fileSystemEventId, LineSplitter } from '../../main/core/logs/ingest/bodyfile-events.js';

const stat = (inode: number, mode: number, extra: Partial<FsStat> = {}): FsStat => ({
  inode, type: (mode & 0xf000) === 0x4000 ? 'dir' : (mode & 0xf000) === 0xa000 ? 'symlink' : (mode & 0xf000) === 0x8000 ? 'file' : 'other',
  size: 10, mode, uid: 1000, gid: 100, nlink: 1,
  mtime: '2024-05-06T07:08:09.999Z', atime: '2024-05-06T07:08:10.000Z', ctime: '2024-05-06T07:08:09.000Z', crtime: null, ...extra,
});

describe('body file lines', () => {
  it('writes TSK mode strings: name type / inode type and permissions with setuid, setgid, sticky', () => {
    expect(modeString('file', stat(5, 0o100644))).toBe('r/rrw-r--r--');
    expect(modeString('file', stat(5, 0o104755))).toBe('r/rrwsr-xr-x');
    expect(modeString('file', stat(5, 0o104644))).toBe('r/rrwSr--r--');
    expect(modeString('file', stat(5, 0o102711))).toBe('r/rrwx--s--x');
    expect(modeString('dir', stat(5, 0o41777))).toBe('d/drwxrwxrwt');
    expect(modeString('dir', stat(5, 0o41776))).toBe('d/drwxrwxrwT');
    expect(modeString('symlink', stat(5, 0o120777))).toBe('l/lrwxrwxrwx');
    expect(modeString('other', stat(5, 0o20620))).toBe('c/crw--w----');
    expect(modeString('other', stat(5, 0o10644))).toBe('p/prw-r--r--');
    expect(modeString('other', stat(5, 0o140755))).toBe('s/srwxr-xr-x');
    expect(modeString('file', null)).toBe('r/----------');
  });

  it('floors times to whole epoch seconds, 0 for none, also before 1970', () => {
    expect(epochSeconds('2024-05-06T07:08:09.999Z')).toBe(1714979289);
    expect(epochSeconds(null)).toBe(0);
    expect(epochSeconds('1969-12-31T23:59:59.500Z')).toBe(-1);
  });

  it('names symlinks with their target, deleted and reallocated names as TSK does, control characters as ^', () => {
    const entry = (name: string, type: FsEntry['type'], deleted = false): FsEntry => ({ name, inode: 7, type, deleted });
    const link = recordOf('a/l', entry('l', 'symlink'), stat(7, 0o120777, { symlinkTarget: '../t' }), false);
    expect(link.name).toBe('/a/l -> ../t');
    expect(recordOf('x', entry('x', 'file', true), stat(7, 0o100600), false).name).toBe('/x (deleted)');
    expect(recordOf('x', entry('x', 'file', true), stat(7, 0o100600), true).name).toBe('/x (deleted-realloc)');
    expect(recordOf('new\nline', entry('new\nline', 'file'), stat(7, 0o100600), false).name).toBe('/new^line');
    const line = formatBodyfileLine(recordOf('etc/passwd', entry('passwd', 'file'), stat(7, 0o100644), false));
    expect(line).toBe('0|/etc/passwd|7|r/rrw-r--r--|1000|100|10|1714979290|1714979289|1714979289|0');
  });

  it('parses lines back, names with | included, and says why a line is not a record', () => {
    const r: BodyfileRecord = { md5: 'd41d8cd98f00b204e9800998ecf8427e', name: '/a|b|c', inode: '128-128-1', mode: 'r/rrwxrwxrwx', uid: 0, gid: 0, size: 3, atime: 1, mtime: 2, ctime: 3, crtime: 4 };
    expect(parseBodyfileLine(formatBodyfileLine(r))).toEqual(r);
    expect(parseBodyfileLine('0|/x|1|r/r---------|0|0')).toEqual({ error: '6 fields, a body file line has 11' });
    expect(parseBodyfileLine('0|/x|1|r/r---------|0|0|12|a|0|0|0')).toMatchObject({ error: expect.stringContaining('field 8') });
  });
});

describe('timeline rows from body file records', () => {
  const rec = (m: number, a: number, c: number, b: number): BodyfileRecord => ({ md5: '0', name: '/f', inode: '1', mode: 'r/r---------', uid: 0, gid: 0, size: 0, atime: a, mtime: m, ctime: c, crtime: b });

  it('gives one event per distinct non-zero time, flagged macb as mactime does', () => {
    expect(eventsOf(rec(100, 200, 100, 0)).map((e) => [e.eventTime, e.macb])).toEqual([
      ['1970-01-01T00:01:40.000Z', 'm.c.'],
      ['1970-01-01T00:03:20.000Z', '.a..'],
    ]);
    expect(eventsOf(rec(5, 5, 5, 5)).map((e) => e.macb)).toEqual(['macb']);
    expect(eventsOf(rec(0, 0, 0, 0))).toEqual([]);
    // A corrupt inode's time past what a Date holds is left out rather than failing the load.
    expect(eventsOf(rec(2 ** 53, 7, 0, 0)).map((e) => e.macb)).toEqual(['.a..']);
    expect(fileSystemEventId('ab', 12, 'm...')).toBe('fs:ab:12:m...');
  });

  it('splits lines with their byte offsets across chunk boundaries, CRLF and multi-byte names included', () => {
    const text = 'first|é\r\nsecond\n\nthird-no-newline';
    const buf = Buffer.from(text);
    const seen: [string, number][] = [];
    const s = new LineSplitter((line, offset) => seen.push([line, offset]));
    for (let i = 0; i < buf.length; i += 3) s.push(buf.subarray(i, i + 3));
    s.end();
    expect(seen).toEqual([['first|é', 0], ['second', 10], ['third-no-newline', 18]]);
    for (const [line, offset] of seen) expect(buf.subarray(offset, offset + Buffer.byteLength(line)).toString()).toBe(line);
  });
});

/** A small in-memory file system whose directories loop back on themselves. */
function loopingFs(): FileSystem {
  const dirs: Record<number, FsEntry[]> = {
    2: [{ name: 'a', inode: 3, type: 'dir', deleted: false }, { name: 'f', inode: 4, type: 'file', deleted: false }],
    3: [{ name: 'up', inode: 2, type: 'dir', deleted: false }, { name: 'self', inode: 3, type: 'dir', deleted: false }, { name: 'bad', inode: 5, type: 'dir', deleted: false }],
    5: [],
  };
  return {
    kind: 'test', label: '', blockSize: 4096, rootInode: 2,
    async stat(inode) {
      if (inode === 4) return stat(4, 0o100644);
      if (inode in dirs) return stat(inode, 0o40755);
      throw new Error(`no inode ${inode}`);
    },
    async readDir(inode) {
      if (inode === 5) throw new Error('directory block unreadable');
      return dirs[inode] ?? [];
    },
    async read() {
      return Buffer.alloc(0);
    },
    async close() {},
  };
}

describe('walking a whole file system', () => {
  it('stops at directory loops and unreadable directories, counts them and goes on', async () => {
    const stats = newWalkStats();
    const lines: string[] = [];
    for await (const l of bodyfileLines(loopingFs(), stats)) lines.push(l);
    expect(lines.map((l) => l.split('|')[1])).toEqual(['/a', '/f', '/a/up', '/a/self', '/a/bad']);
    expect(stats).toMatchObject({ entries: 5, loops: 2, unreadableDirectories: 1 });
    expect(stats.problems.map((p) => p.path)).toEqual(['/a/up', '/a/self', '/a/bad']);
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const run = async () => {
      for await (const _ of bodyfileLines(loopingFs(), newWalkStats(), ac.signal)) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
