// NTFS alternate data streams: listed with their sizes, read, hashed and exported, each compared with what
// ntfscp wrote and with `icat INODE-128-ID`; through the reader and through the contract.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageReader } from '../../main/core/images/containers/image-reader.js';
import { openNtfs, type NtfsFileSystem } from '../../main/core/images/fs-ntfs/index.js';
import type { FileSystem, FsStat } from '../../main/core/images/fs-types.js';
import { streamSize } from '../../main/core/images/session/browse.js';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';
import { haveTools } from '../support/fs-ext4-support.js';
import { buildNtfsWithStreams, icatStream, ZONE_IDENTIFIER, type AdsFile } from '../support/fs-ntfs-ads.js';
import { inodeOf } from '../support/fs-ntfs-support.js';
import { openRawForTest } from '../support/raw-image-reader.js';

const noTools = !haveTools('mkntfs', 'ntfscp', 'fls', 'icat', 'istat');
if (noTools) console.warn('fs-ntfs-ads: skipped, needs ntfs-3g (mkntfs, ntfscp) and sleuthkit (fls, icat, istat)');

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('streamSize on a file system without alternate data streams', () => {
  it('refuses a stream name with NOT_FOUND naming the file system', () => {
    const ext4 = { kind: 'ext4' } as FileSystem;
    expect(() => streamSize(ext4, { inode: 12 } as FsStat, 'x')).toThrow(/ext4 has no alternate data streams/);
  });
});

describe.skipIf(noTools)('NTFS alternate data streams', () => {
  let dir = '';
  let img = '';
  let files: Map<string, AdsFile>;
  let reader: ImageReader;
  let ntfs: NtfsFileSystem;
  const ino = new Map<string, number>();

  beforeAll(async () => {
    dir = tempDir('ntfs-ads-');
    ({ img, files } = buildNtfsWithStreams(dir));
    for (const p of files.keys()) ino.set(p, inodeOf(img, p.slice(1)));
    reader = await openRawForTest(img);
    ntfs = await openNtfs(reader);
  }, 60_000);
  afterAll(async () => {
    await reader?.close();
    removeTree(dir);
  });

  it('lists every stream with its size, also those in an extension record ($ATTRIBUTE_LIST)', async () => {
    for (const [p, f] of files) {
      const st = await ntfs.stat(ino.get(p)!);
      const want = [...f.streams].map(([name, data]) => ({ name, size: data.length }));
      expect(st.streams.slice().sort((a, b) => a.name.localeCompare(b.name)), p).toEqual(want.sort((a, b) => a.name.localeCompare(b.name)));
      expect(st.size, p).toBe(f.main.length);
    }
  });

  it('reads each stream byte for byte as written and as icat INODE-128-ID gives it; the main content is unchanged', async () => {
    for (const [p, f] of files) {
      const inode = ino.get(p)!;
      expect((await ntfs.read(inode, 0, f.main.length + 10)).equals(f.main), p).toBe(true);
      for (const [name, data] of f.streams) {
        const got = await ntfs.readStream(inode, name, 0, data.length + 100);
        expect(got.equals(data), `${p}:${name}`).toBe(true);
        expect(got.equals(icatStream(img, inode, name)), `${p}:${name} vs icat`).toBe(true);
      }
    }
    const payload = files.get('/tool.exe')!.streams.get('payload')!;
    expect((await ntfs.readStream(ino.get('/tool.exe')!, 'payload', 70_001, 9_000)).equals(payload.subarray(70_001, 79_001))).toBe(true);
    expect((await ntfs.readStream(ino.get('/tool.exe')!, 'payload', payload.length, 10)).length).toBe(0);
  });

  it('refuses an unknown stream name (exact match) with NOT_FOUND', async () => {
    await expect(ntfs.readStream(ino.get('/tool.exe')!, 'zone.identifier', 0, 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ntfs.readStream(ino.get('/plain.txt')!, 'Zone.Identifier', 0, 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('through the contract: stat lists, readFile/hashFile read a stream, export names it file_stream and records it', async () => {
    const before = execFileSync('sha256sum', [img]).toString();
    const h: Harness = await startHarness();
    try {
      const c = await h.call('cases.create', { number: 'ADS-1', title: 'Streams' });
      const add = await h.call('evidence.add', { caseId: c.id, sourcePath: img, mode: 'in-place' });
      expect((await h.waitJob(c.id, add.jobId)).state).toBe('succeeded');
      const ref = { caseId: c.id, artifactId: add.artifactId, partition: null, inode: ino.get('/tool.exe')! };
      const tool = files.get('/tool.exe')!;

      const st = await h.call('images.stat', ref);
      expect(st.streams).toContainEqual({ name: 'Zone.Identifier', size: ZONE_IDENTIFIER.length });
      expect(st.streams).toContainEqual({ name: 'payload', size: 150_000 });
      expect((await h.call('images.stat', { ...ref, inode: ino.get('/plain.txt')! })).streams).toEqual([]);

      const page = await h.call('images.readFile', { ...ref, offset: 0, length: 4096, stream: 'Zone.Identifier' });
      expect(page.totalSize).toBe(ZONE_IDENTIFIER.length);
      expect(Buffer.from(page.base64, 'base64').equals(ZONE_IDENTIFIER)).toBe(true);
      const main = await h.call('images.readFile', { ...ref, offset: 0, length: 16 });
      expect(main.totalSize).toBe(tool.main.length);

      const hashed = await h.call('images.hashFile', { ...ref, stream: 'payload' });
      expect(hashed).toMatchObject({ size: 150_000, sha256: sha256(tool.streams.get('payload')!) });
      expect((await h.fail('images.hashFile', { ...ref, stream: 'nope' })).code).toBe('NOT_FOUND');
      expect((await h.fail('images.readFile', { ...ref, offset: 0, length: 10, stream: 'nope' })).code).toBe('NOT_FOUND');
      expect((await h.fail('images.export', { ...ref, path: '/tool.exe', stream: 'nope', recursive: false })).code).toBe('NOT_FOUND');
      expect((await h.fail('images.export', { ...ref, inode: 5, stream: 'payload', recursive: true })).code).toBe('INVALID_INPUT');

      const ex = await h.call('images.export', { ...ref, path: '/tool.exe', stream: 'Zone.Identifier', recursive: false });
      const job = await h.waitJob(c.id, ex.jobId);
      expect(job.state).toBe('succeeded');
      const [id] = job.result!.artifactIds as string[];
      const art = await h.call('evidence.get', { caseId: c.id, artifactId: id! });
      expect(art).toMatchObject({ name: 'tool.exe_Zone.Identifier', sourcePath: `image:${add.artifactId}/whole/tool.exe:Zone.Identifier`, size: ZONE_IDENTIFIER.length });
      expect(art.description).toMatch(/alternate data stream/);
      const stored = fs.readFileSync(path.join(c.path, art.storedPath));
      expect(stored.equals(icatStream(img, ref.inode, 'Zone.Identifier'))).toBe(true);
      const { events } = await h.call('custody.list', { caseId: c.id, limit: 1000 });
      const added = events.find((e) => e.action === 'artifact.added' && e.artifactId === id);
      expect(added?.details).toMatchObject({ stream: 'Zone.Identifier', path: '/tool.exe', inode: ref.inode, fileSystem: 'ntfs', sha256: sha256(ZONE_IDENTIFIER) });

      expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
      expect(execFileSync('sha256sum', [img]).toString()).toBe(before);
    } finally {
      await h.dispose();
    }
  }, 60_000);
});
