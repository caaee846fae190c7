// Offline image review through the contract: real GPT/ext4, E01 and XFS images made by the real tools.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';
import { safeName } from '../../main/core/images/export/export-image.job.js';
import { buildXfsImage, xfsToolsMissing } from '../support/xfs-proto.js';

const has = (tool: string, arg = '-V') => spawnSync(tool, [arg]).status !== null && !spawnSync(tool, [arg]).error;
const missing = ['mkfs.ext4', 'sfdisk', 'icat'].filter((t) => !has(t));
if (missing.length) console.warn(`image-review: ${missing.join(', ')} not installed (e2fsprogs, fdisk, sleuthkit); ext4 review tests skipped`);
const hasEwf = has('ewfacquire');
if (!hasEwf) console.warn('image-review: ewfacquire (ewf-tools) not installed; E01 review test skipped');
const xfsMissing = xfsToolsMissing();
if (xfsMissing) console.warn(`image-review: XFS review test skipped: ${xfsMissing}`);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sha256File = (f: string) => execFileSync('sha256sum', [f]).toString().split(' ')[0]!;
const P1_SECTOR = 2048;

/** Source tree: nested folders, a 3 MiB random file (several read chunks), a symlink, a unicode name, an empty file. */
function makeTree(root: string): void {
  fs.mkdirSync(path.join(root, 'a/b/c'), { recursive: true });
  fs.writeFileSync(path.join(root, 'hello.txt'), 'hello from the image\n');
  fs.writeFileSync(path.join(root, 'empty'), '');
  fs.writeFileSync(path.join(root, 'a/big.bin'), randomBytes(3 * 1024 * 1024 + 77));
  fs.writeFileSync(path.join(root, 'a/b/notes-café.txt'), 'ünïcødé\n');
  fs.writeFileSync(path.join(root, 'a/b/c/deep.txt'), 'deep\n');
  fs.symlinkSync('../hello.txt', path.join(root, 'a/link-to-hello'));
}

/** Every entry of the source tree as "path" → type and size (files) or target (symlinks). */
function sourceListing(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(e.parentPath, e.name);
    const rel = '/' + path.relative(root, full).split(path.sep).join('/');
    if (e.isSymbolicLink()) out.set(rel, `symlink -> ${fs.readlinkSync(full)}`);
    else if (e.isDirectory()) out.set(rel, 'dir');
    else out.set(rel, `file ${fs.statSync(full).size}`);
  }
  return out;
}

/** A GPT disk with an ext4 partition (populated by mkfs.ext4 -d) and a second, empty partition. */
function buildGptDisk(dir: string, src: string): string {
  const fsImg = path.join(dir, 'root.ext4');
  execFileSync('truncate', ['-s', '16M', fsImg]);
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'rootfs', '-d', src, fsImg], { stdio: 'pipe' });
  const disk = path.join(dir, 'disk.img');
  execFileSync('truncate', ['-s', '24M', disk]);
  execSync(`sfdisk -q ${JSON.stringify(disk)}`, {
    input: `label: gpt\nstart=${P1_SECTOR}, size=32768, type=L, name=root\nstart=34816, size=8192, type=L, name=data\n`, stdio: ['pipe', 'pipe', 'pipe'],
  });
  execFileSync('dd', [`if=${fsImg}`, `of=${disk}`, 'bs=512', `seek=${P1_SECTOR}`, 'conv=notrunc'], { stdio: 'pipe' });
  fs.rmSync(fsImg);
  return disk;
}

/** Lists a whole file system through images.list, paging through each directory. */
async function listTree(h: Harness, caseId: string, artifactId: string, partition: number | null): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (inode: number | undefined, prefix: string) => {
    for (let offset = 0; ; offset += 2) {
      // A tiny page size makes paging itself part of what is tested.
      const page = await h.call('images.list', { caseId, artifactId, partition, inode, offset, limit: 2 });
      for (const e of page.entries) {
        const p = `${prefix}/${e.name}`;
        if (p === '/lost+found') continue;
        expect(e.mtime).toMatch(/Z$/);
        out.set(p, e.type === 'symlink' ? `symlink -> ${e.symlinkTarget}` : e.type === 'dir' ? 'dir' : `file ${e.size}`);
        if (e.type === 'dir') await walk(e.inode, p);
      }
      if (offset + 2 >= page.total) break;
    }
  };
  await walk(undefined, '');
  return out;
}

async function addInPlace(h: Harness, caseId: string, file: string): Promise<string> {
  const { jobId, artifactId } = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'in-place' });
  expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
  return artifactId;
}

describe.skipIf(missing.length > 0)('image review of a GPT disk with ext4 (raw and E01)', () => {
  let dir = '';
  let src = '';
  let disk = '';
  let h: Harness;
  beforeAll(async () => {
    dir = tempDir('image-review-');
    src = path.join(dir, 'src');
    makeTree(src);
    disk = buildGptDisk(dir, src);
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.dispose();
    removeTree(dir);
  });

  it('opens, lists, reads, hashes and exports read-only, with provenance in custody', async () => {
    const before = sha256File(disk);
    const c = await h.call('cases.create', { number: 'IMG-1', title: 'Image review' });
    const imageId = await addInPlace(h, c.id, disk);

    const o = await h.call('images.open', { caseId: c.id, artifactId: imageId });
    expect(o.kind).toBe('raw');
    expect(o.size).toBe(24 * 1024 * 1024);
    expect(o.volumes.scheme).toBe('gpt');
    expect(o.volumes.partitions.map((p) => [p.index, p.start, p.size, p.label])).toEqual([
      [1, P1_SECTOR * 512, 32768 * 512, 'root'],
      [2, 34816 * 512, 8192 * 512, 'data'],
    ]);
    expect(o.fileSystems).toEqual([
      expect.objectContaining({ partition: 1, kind: 'ext4', label: 'rootfs', blockSize: expect.any(Number) }),
      expect.objectContaining({ partition: 2, kind: 'unknown' }),
    ]);

    expect(await listTree(h, c.id, imageId, 1)).toEqual(sourceListing(src));

    const { inode: bigInode, stat: bigStat } = await h.call('images.resolvePath', { caseId: c.id, artifactId: imageId, partition: 1, path: '/a/big.bin' });
    const big = fs.readFileSync(path.join(src, 'a/big.bin'));
    expect(bigStat.size).toBe(big.length);
    const slice = await h.call('images.readFile', { caseId: c.id, artifactId: imageId, partition: 1, inode: bigInode, offset: 1024 * 1024 + 5, length: 65536 });
    expect(slice.totalSize).toBe(big.length);
    expect(Buffer.from(slice.base64, 'base64').equals(big.subarray(1024 * 1024 + 5, 1024 * 1024 + 5 + 65536))).toBe(true);
    const hello = await h.call('images.resolvePath', { caseId: c.id, artifactId: imageId, partition: 1, path: '/hello.txt' });
    const helloBytes = await h.call('images.readFile', { caseId: c.id, artifactId: imageId, partition: 1, inode: hello.inode, offset: 0, length: 65536 });
    expect(Buffer.from(helloBytes.base64, 'base64').toString()).toBe('hello from the image\n');
    const link = await h.call('images.resolvePath', { caseId: c.id, artifactId: imageId, partition: 1, path: '/a/link-to-hello' });
    expect(link.stat).toMatchObject({ type: 'symlink', symlinkTarget: '../hello.txt' });

    const gpt = await h.call('images.readRaw', { caseId: c.id, artifactId: imageId, partition: null, offset: 512, length: 8 });
    expect(Buffer.from(gpt.base64, 'base64').toString('latin1')).toBe('EFI PART');
    const magic = await h.call('images.readRaw', { caseId: c.id, artifactId: imageId, partition: 1, offset: 1080, length: 2 });
    expect(Buffer.from(magic.base64, 'base64')).toEqual(Buffer.from([0x53, 0xef]));
    expect(magic.totalSize).toBe(32768 * 512);

    const hashed = await h.call('images.hashFile', { caseId: c.id, artifactId: imageId, partition: 1, inode: bigInode });
    expect(hashed).toMatchObject({ size: big.length, sha256: sha256(big), md5: createHash('md5').update(big).digest('hex') });

    // Bad requests: clear errors, nothing changes.
    expect((await h.fail('images.list', { caseId: c.id, artifactId: imageId, partition: 2 })).code).toBe('UNREADABLE');
    expect((await h.fail('images.readFile', { caseId: c.id, artifactId: imageId, partition: 1, inode: bigInode, offset: 0, length: 65537 })).code).toBe('INVALID_INPUT');
    const aDir = await h.call('images.resolvePath', { caseId: c.id, artifactId: imageId, partition: 1, path: '/a' });
    expect((await h.fail('images.export', { caseId: c.id, artifactId: imageId, partition: 1, inode: aDir.inode })).code).toBe('INVALID_INPUT');
    expect((await h.fail('images.export', { caseId: c.id, artifactId: imageId, partition: 1, inode: bigInode, path: '/hello.txt' })).code).toBe('INVALID_INPUT');

    const ex = await h.call('images.export', { caseId: c.id, artifactId: imageId, partition: 1, inode: bigInode, path: '/a/big.bin' });
    const job = await h.waitJob(c.id, ex.jobId);
    expect(job.state).toBe('succeeded');
    const [exportedId] = job.result!.artifactIds as string[];
    const exported = await h.call('evidence.get', { caseId: c.id, artifactId: exportedId! });
    const icat = execSync(`icat -o ${P1_SECTOR} ${JSON.stringify(disk)} ${bigInode} | sha256sum`).toString().split(' ')[0];
    expect(exported).toMatchObject({ state: 'complete', storage: 'copied', name: 'big.bin', size: big.length, sourcePath: `image:${imageId}/1/a/big.bin` });
    expect(exported.hashes?.sha256).toBe(icat);
    expect(exported.storedPath).toBe(path.join('evidence', exportedId!, 'big.bin'));
    const storedFile = path.join(c.path, exported.storedPath);
    expect(sha256File(storedFile)).toBe(icat);
    expect(fs.statSync(storedFile).mode & 0o222).toBe(0);

    // A folder: one artifact per regular file below it; the symlink is skipped, not followed.
    const folder = await h.call('images.export', { caseId: c.id, artifactId: imageId, partition: 1, inode: aDir.inode, path: '/a', recursive: true });
    const fj = await h.waitJob(c.id, folder.jobId);
    expect(fj.state).toBe('succeeded');
    const folderArtifacts = await Promise.all((fj.result!.artifactIds as string[]).map((id) => h.call('evidence.get', { caseId: c.id, artifactId: id })));
    expect(folderArtifacts.map((a) => a.sourcePath).sort()).toEqual(
      ['/a/b/c/deep.txt', '/a/b/notes-café.txt', '/a/big.bin'].map((p) => `image:${imageId}/1${p}`),
    );
    for (const a of folderArtifacts) {
      const rel = a.sourcePath.slice(`image:${imageId}/1/`.length);
      expect(a.hashes?.sha256).toBe(sha256(fs.readFileSync(path.join(src, rel))));
    }
    expect(fj.result!.skipped).toEqual([{ path: '/a/link-to-hello', reason: 'symlink (not followed)' }]);

    const log = (await h.call('custody.list', { caseId: c.id, limit: 1000 })).events;
    expect(log.filter((e) => e.action === 'image.opened' && e.artifactId === imageId)).toHaveLength(1);
    const added = log.find((e) => e.action === 'artifact.added' && e.artifactId === exportedId)!;
    expect(added.details).toMatchObject({
      derivedFrom: imageId, partition: 1, fileSystem: 'ext4', path: '/a/big.bin', inode: bigInode, size: big.length,
      sha256: icat, storage: 'copied', sourcePath: `image:${imageId}/1/a/big.bin`,
    });
    expect(added.details.mtime).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);

    // Raw images store no hashes of their own: the verify job says so and records it.
    const rv = await h.waitJob(c.id, (await h.call('images.verify', { caseId: c.id, artifactId: imageId })).jobId);
    expect(rv.result).toMatchObject({ container: 'raw', result: 'no-stored-hashes' });

    // Closing the case closes the image session: reopening records a new image.opened.
    await h.call('cases.close', { caseId: c.id });
    const again = await h.call('cases.open', { path: c.path });
    await h.call('images.open', { caseId: again.id, artifactId: imageId });
    const log2 = (await h.call('custody.list', { caseId: c.id, limit: 1000 })).events;
    expect(log2.filter((e) => e.action === 'image.opened' && e.artifactId === imageId)).toHaveLength(2);
    const ev = await h.waitJob(c.id, (await h.call('evidence.verify', { caseId: c.id, artifactIds: [imageId] })).jobId);
    expect(ev.result).toMatchObject({ match: 1, mismatch: 0 });
    await h.call('cases.close', { caseId: c.id });
    expect(sha256File(disk)).toBe(before);
  });

  it.skipIf(!hasEwf)('opens and verifies the same disk as an E01, listing the same tree', async () => {
    const target = path.join(dir, 'disk');
    execFileSync('ewfacquire', ['-u', '-q', '-t', target, '-C', 'CASE-77', '-D', 'gpt test disk', '-e', 'Ann Examiner', '-E', 'EV-1', '-d', 'sha1', '-c', 'deflate:fast', disk],
      { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
    const e01 = `${target}.E01`;
    const before = sha256File(e01);
    const c = await h.call('cases.create', { number: 'IMG-2', title: 'E01 review' });
    const imageId = await addInPlace(h, c.id, e01);
    const o = await h.call('images.open', { caseId: c.id, artifactId: imageId });
    expect(o.kind).toBe('ewf');
    expect(o.metadata).toMatchObject({ caseNumber: 'CASE-77', examiner: 'Ann Examiner', evidenceNumber: 'EV-1' });
    expect(o.metadata.storedMd5).toBe(execFileSync('md5sum', [disk]).toString().split(' ')[0]);
    expect(o.volumes.partitions).toHaveLength(2);
    expect(await listTree(h, c.id, imageId, 1)).toEqual(sourceListing(src));

    const v = await h.waitJob(c.id, (await h.call('images.verify', { caseId: c.id, artifactId: imageId })).jobId);
    expect(v.state).toBe('succeeded');
    expect(v.result).toMatchObject({ container: 'ewf', result: 'match', md5Matches: true, sha1Matches: true, corruptChunks: [] });
    const log = (await h.call('custody.list', { caseId: c.id, artifactId: imageId, limit: 1000 })).events;
    expect(log.find((e) => e.action === 'image.verified')?.details).toMatchObject({ result: 'match', computedMd5: o.metadata.storedMd5 });

    const { inode } = await h.call('images.resolvePath', { caseId: c.id, artifactId: imageId, partition: 1, path: '/a/b/c/deep.txt' });
    const ex = await h.waitJob(c.id, (await h.call('images.export', { caseId: c.id, artifactId: imageId, partition: 1, inode })).jobId);
    const a = await h.call('evidence.get', { caseId: c.id, artifactId: (ex.result!.artifactIds as string[])[0]! });
    expect(a.hashes?.sha256).toBe(sha256(Buffer.from('deep\n')));
    expect(a.sourcePath).toBe(`image:${imageId}/1/a/b/c/deep.txt`); // path found by searching the tree
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
    await h.call('cases.close', { caseId: c.id });
    expect(sha256File(e01)).toBe(before);
  });
});

describe.skipIf(xfsMissing !== null)('image review of a bare XFS file system', () => {
  let dir = '';
  let h: Harness;
  beforeAll(async () => {
    dir = tempDir('image-review-xfs-');
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.dispose();
    removeTree(dir);
  });

  it('lists, reads and exports files of an XFS image', async () => {
    const payload = randomBytes(2 * 1024 * 1024 + 333);
    const img = buildXfsImage(dir, {
      kind: 'dir', name: '', mode: 0o755, uid: 0, gid: 0, children: [
        { kind: 'file', name: 'readme.txt', mode: 0o644, uid: 1000, gid: 1000, content: Buffer.from('xfs says hi\n') },
        { kind: 'dir', name: 'var', mode: 0o755, uid: 0, gid: 0, children: [
          { kind: 'file', name: 'payload.bin', mode: 0o600, uid: 0, gid: 0, content: payload },
          { kind: 'symlink', name: 'to-readme', uid: 0, gid: 0, target: '../readme.txt' },
        ] },
      ],
    }, { size: '320m' });
    const before = sha256File(img);
    const c = await h.call('cases.create', { number: 'IMG-3', title: 'XFS review' });
    const imageId = await addInPlace(h, c.id, img);
    const o = await h.call('images.open', { caseId: c.id, artifactId: imageId });
    expect(o.volumes.scheme).toBe('none');
    expect(o.fileSystems).toEqual([expect.objectContaining({ partition: null, kind: 'xfs' })]);
    expect(await listTree(h, c.id, imageId, null)).toEqual(new Map([
      ['/readme.txt', 'file 12'], ['/var', 'dir'], ['/var/payload.bin', `file ${payload.length}`], ['/var/to-readme', 'symlink -> ../readme.txt'],
    ]));
    const { inode } = await h.call('images.resolvePath', { caseId: c.id, artifactId: imageId, partition: null, path: '/var/payload.bin' });
    const head = await h.call('images.readFile', { caseId: c.id, artifactId: imageId, partition: null, inode, offset: 0, length: 4096 });
    expect(Buffer.from(head.base64, 'base64').equals(payload.subarray(0, 4096))).toBe(true);
    const ex = await h.waitJob(c.id, (await h.call('images.export', { caseId: c.id, artifactId: imageId, partition: null, inode, path: '/var/payload.bin' })).jobId);
    expect(ex.state).toBe('succeeded');
    const a = await h.call('evidence.get', { caseId: c.id, artifactId: (ex.result!.artifactIds as string[])[0]! });
    expect(a.hashes?.sha256).toBe(sha256(payload));
    expect(a.sourcePath).toBe(`image:${imageId}/whole/var/payload.bin`);
    const added = (await h.call('custody.list', { caseId: c.id, artifactId: a.id })).events.find((e) => e.action === 'artifact.added');
    expect(added?.details).toMatchObject({ derivedFrom: imageId, partition: null, fileSystem: 'xfs', path: '/var/payload.bin', inode });
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
    await h.call('cases.close', { caseId: c.id });
    expect(sha256File(img)).toBe(before);
  });
});

describe('names of exported files', () => {
  it('keeps ordinary names and makes hostile ones safe on every workstation', () => {
    expect(safeName('notes-café.txt', 12)).toBe('notes-café.txt');
    expect(safeName('a:b*c?.txt', 12)).toBe('a_b_c_.txt');
    expect(safeName('tab\there', 12)).toBe('tab_here');
    expect(safeName('..', 12)).toBe('inode-12');
    expect(safeName('trailing. ', 12)).toBe('trailing');
    expect(Buffer.byteLength(safeName('日'.repeat(100), 12))).toBeLessThanOrEqual(200);
    expect(safeName('日'.repeat(100), 12)).not.toContain('\uFFFD');
  });
});
