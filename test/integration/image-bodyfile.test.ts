// images.bodyfile and timeline.addBodyfile through the contract: a real ext4 image (mkfs.ext4 -d), fls -m as the
// oracle, CloudTrail events beside the file-system rows, highlights and export unaffected, custody complete.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';
import { haveTools } from '../support/fs-ext4-support.js';
import { syntheticRecords } from '../support/logs-synthetic.js';

const missing = !haveTools('mkfs.ext4', 'debugfs', 'fls');
if (missing) console.warn('image-bodyfile: skipped, needs e2fsprogs (mkfs.ext4, debugfs) and sleuthkit (fls)');

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const PASSWD_ATIME = '2021-03-04T05:06:07.000Z';
const PASSWD_MTIME = '2020-01-02T03:04:05.000Z';

describe.skipIf(missing)('body file of an ext4 image, merged into the timeline', () => {
  let dir = '';
  let img = '';
  let h: Harness;
  beforeAll(async () => {
    dir = tempDir('image-bodyfile-');
    const src = path.join(dir, 'src');
    fs.mkdirSync(path.join(src, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(src, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    fs.utimesSync(path.join(src, 'etc/passwd'), new Date(PASSWD_ATIME), new Date(PASSWD_MTIME));
    fs.writeFileSync(path.join(src, 'doomed.txt'), 'gone\n'.repeat(200));
    fs.symlinkSync('etc/passwd', path.join(src, 'link'));
    img = path.join(dir, 'root.ext4');
    execFileSync('truncate', ['-s', '8M', img]);
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', src, img], { stdio: 'pipe' });
    execFileSync('debugfs', ['-w', '-R', 'rm doomed.txt', img], { stdio: 'pipe' });
    fs.chmodSync(img, 0o444);
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.dispose();
    if (dir) removeTree(dir);
  });

  async function added(caseId: string, file: string, mode: 'copy' | 'in-place'): Promise<string> {
    const r = await h.call('evidence.add', { caseId, sourcePath: file, mode });
    expect((await h.waitJob(caseId, r.jobId)).state).toBe('succeeded');
    return r.artifactId;
  }

  it('writes the body file fls -r -m / writes, seals it with provenance and puts its times beside CloudTrail events', async () => {
    const imageSha = sha256(fs.readFileSync(img));
    const c = await h.call('cases.create', { number: 'BF-1', title: 'Body file' });
    const caseId = c.id;
    // A CloudTrail timeline first: the file-system rows join it.
    const ct = path.join(dir, '111122223333_CloudTrail_us-east-1_x.json.gz');
    fs.writeFileSync(ct, gzipSync(JSON.stringify({ Records: syntheticRecords(50) })));
    const ingest = await h.call('logs.ingest', { caseId, artifactIds: [await added(caseId, ct, 'copy')] });
    expect((await h.waitJob(caseId, ingest.jobId)).state).toBe('succeeded');
    await h.waitJob(caseId, ingest.indexJobId);
    const imageId = await added(caseId, img, 'in-place');

    const started = await h.call('images.bodyfile', { caseId, artifactId: imageId, partition: null });
    const job = await h.waitJob(caseId, started.jobId);
    expect(job.state, job.error ?? '').toBe('succeeded');
    expect((await h.waitJob(caseId, started.indexJobId!)).state).toBe('succeeded');

    // The artifact: complete, read-only, its hash that of its bytes, its bytes fls's lines.
    const a = await h.call('evidence.get', { caseId, artifactId: started.artifactId });
    expect(a).toMatchObject({ state: 'complete', storage: 'copied', name: 'root.ext4-whole.body', sourcePath: `bodyfile:image:${imageId}/whole` });
    const file = path.join(c.path, a.storedPath);
    const body = fs.readFileSync(file);
    expect(a.hashes?.sha256).toBe(sha256(body));
    expect(fs.statSync(file).mode & 0o222).toBe(0);
    const lines = body.toString('utf8').trimEnd().split('\n');
    const fls = execFileSync('fls', ['-r', '-m', '/', img]).toString('utf8').trimEnd().split('\n').filter((l) => !l.includes('|/$OrphanFiles'));
    expect([...lines].sort()).toEqual([...fls].sort());
    expect(lines.some((l) => l.startsWith('0|/doomed.txt (deleted)|'))).toBe(true);

    // Provenance in custody, and the merge with its counts.
    const log = (await h.call('custody.list', { caseId, limit: 1000 })).events;
    const addedEvent = log.find((e) => e.action === 'artifact.added' && e.artifactId === a.id)!;
    expect(addedEvent.details).toMatchObject({ derivedFrom: imageId, partition: null, fileSystem: 'ext4', entries: lines.length, deletedEntries: 1, loops: 0, sha256: a.hashes!.sha256 });
    const merged = log.find((e) => e.action === 'timeline.bodyfile-added' && e.artifactId === a.id)!;
    expect(merged.details).toMatchObject({ status: 'complete', lines: lines.length, records: lines.length, skipped: 0, duplicates: 0 });
    const inserted = merged.details.inserted as number;
    expect(inserted).toBe(merged.details.events);

    // Rows: one per distinct time, mactime's flags, the path as actor, back to the line by its byte offset.
    const fsRows = await h.call('timeline.query', { caseId, filters: { eventSource: ['file-system'] }, limit: 1000 });
    expect(fsRows.total).toBe(inserted);
    const passwd = fsRows.events.filter((e) => e.actor === '/etc/passwd');
    expect(passwd.map((e) => [e.eventTime, e.eventName])).toEqual(
      expect.arrayContaining([[PASSWD_MTIME, 'm...'], [PASSWD_ATIME, '.a..']]),
    );
    expect(passwd.find((e) => /^\.\.c/.test(e.eventName))).toBeDefined();
    const detail = await h.call('timeline.event', { caseId, eventId: passwd[0]!.eventId });
    expect(detail.source).toMatchObject({ artifactId: a.id, sha256: a.hashes!.sha256 });
    const line = lines.find((l) => l.startsWith('0|/etc/passwd|'))!;
    expect(body.subarray(detail.source.offset, detail.source.offset + Buffer.byteLength(line)).toString('utf8')).toBe(line);
    expect(JSON.parse(detail.raw)).toMatchObject({ bodyfile: line, name: '/etc/passwd' });
    const all = await h.call('timeline.query', { caseId, limit: 1 });
    expect(all.total).toBe(50 + inserted);
    // Text search (the index job followed) finds the path, and the symlink pointing at it.
    expect((await h.call('timeline.query', { caseId, filters: { text: 'passwd' }, limit: 100 })).total).toBe(fsRows.events.filter((e) => e.actor?.includes('passwd')).length);

    // Highlights never fire on file-system rows; export carries them.
    const hl = await h.call('timeline.highlights', { caseId });
    expect(hl.eventsScanned).toBe(50 + inserted);
    expect(hl.hits.filter((x) => x.eventId.startsWith('fs:'))).toEqual([]);
    const csv = await h.call('timeline.export', { caseId, filters: { eventSource: ['file-system'] }, format: 'csv' });
    expect(csv.rows).toBe(inserted);
    const jsonl = await h.call('timeline.export', { caseId, filters: { eventSource: ['file-system'] }, format: 'jsonl-timesketch' });
    const first = JSON.parse(fs.readFileSync(jsonl.absolutePath, 'utf8').split('\n')[0]!) as { raw: { bodyfile: string } };
    expect(first.raw.bodyfile).toMatch(/^0\|\//);

    // The same body file again stores nothing twice.
    const again = await h.call('timeline.addBodyfile', { caseId, artifactId: a.id });
    const againJob = await h.waitJob(caseId, again.jobId);
    expect(againJob.result).toMatchObject({ inserted: 0, duplicates: inserted });

    // A body file made elsewhere (fls -m) merges too; a file that is not one fails clearly.
    const flsFile = path.join(dir, 'fls.body');
    fs.writeFileSync(flsFile, execFileSync('fls', ['-r', '-m', '/', img]));
    const external = await h.call('timeline.addBodyfile', { caseId, artifactId: await added(caseId, flsFile, 'copy') });
    const extJob = await h.waitJob(caseId, external.jobId);
    expect(extJob.state).toBe('succeeded');
    expect(extJob.result).toMatchObject({ records: fls.length + 1, duplicates: 0 });
    const notBody = path.join(dir, 'notes.txt');
    fs.writeFileSync(notBody, 'just some notes\nnothing | here\n');
    const bad = await h.call('timeline.addBodyfile', { caseId, artifactId: await added(caseId, notBody, 'copy') });
    const badJob = await h.waitJob(caseId, bad.jobId);
    expect(badJob.state).toBe('failed');
    expect(badJob.error).toMatch(/no body file lines/);

    // Bad requests: no file system on the partition, unknown partition.
    expect((await h.fail('images.bodyfile', { caseId, artifactId: imageId, partition: 3 })).code).toBe('NOT_FOUND');
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
    expect(sha256(fs.readFileSync(img))).toBe(imageSha);
  });

  it('can write the body file without touching the timeline', async () => {
    const c = await h.call('cases.create', { number: 'BF-2', title: 'Body file only' });
    const imageId = await added(c.id, img, 'in-place');
    const started = await h.call('images.bodyfile', { caseId: c.id, artifactId: imageId, partition: null, addToTimeline: false });
    expect(started.indexJobId).toBeNull();
    const job = await h.waitJob(c.id, started.jobId);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ timeline: null, deletedEntries: 1 });
    expect((await h.call('timeline.query', { caseId: c.id, limit: 1 })).total).toBe(0);
  });

  it('leaves no body file that looks complete when its job is cancelled', async () => {
    const c = await h.call('cases.create', { number: 'BF-3', title: 'Cancelled body file' });
    const imageId = await added(c.id, img, 'in-place');
    // A copy that keeps the case's job queue busy, so the body file job is still queued when cancelled.
    const big = path.join(dir, 'busy.bin');
    execFileSync('truncate', ['-s', '96M', big]);
    const busy = await h.call('evidence.add', { caseId: c.id, sourcePath: big, mode: 'copy' });
    const started = await h.call('images.bodyfile', { caseId: c.id, artifactId: imageId, partition: null, addToTimeline: false });
    await h.call('jobs.cancel', { caseId: c.id, jobId: started.jobId });
    expect((await h.waitJob(c.id, started.jobId)).state).toBe('cancelled');
    await h.waitJob(c.id, busy.jobId);
    const a = await h.call('evidence.get', { caseId: c.id, artifactId: started.artifactId });
    expect(a).toMatchObject({ state: 'discarded', hashes: null });
    expect(fs.existsSync(path.join(c.path, a.storedPath))).toBe(false);
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
  });
});
