// FAT through the contract: a recovered deleted file is flagged as a guess on screen and in custody,
// and FAT's zone-less local times are reported as such so the UI does not shift them.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';
import { fatToolsMissing, mkfsFat, mtools, pattern, putFile } from './fs-fat-build.js';

const missing = fatToolsMissing();
if (missing) console.warn(`fs-fat-review: skipped: ${missing}`);

describe.skipIf(missing !== null)('FAT review through the contract', () => {
  let dir = '';
  let img = '';
  let h: Harness;
  const kept = pattern(10_000, 7);
  const gone = pattern(6_000, 9);
  beforeAll(async () => {
    dir = tempDir('fat-review-');
    img = path.join(dir, 'esp.img');
    mkfsFat(img, 12, 4096, 'ESP');
    putFile(img, dir, '/kept.bin', kept, new Date('2024-03-01T12:00:00Z'));
    putFile(img, dir, '/gone.bin', gone, new Date('2024-03-02T12:00:00Z'));
    mtools('mdel', img, ['::/gone.bin']);
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.dispose();
    removeTree(dir);
  });

  it('flags recovered content as best effort, keeps local times unshifted, and records both in custody', async () => {
    const before = execFileSync('sha256sum', [img]).toString();
    const c = await h.call('cases.create', { number: 'FAT-1', title: 'ESP review' });
    const add = await h.call('evidence.add', { caseId: c.id, sourcePath: img, mode: 'in-place' });
    expect((await h.waitJob(c.id, add.jobId)).state).toBe('succeeded');
    const imageId = add.artifactId;

    const listing = await h.call('images.list', { caseId: c.id, artifactId: imageId, partition: null, offset: 0, limit: 100 });
    expect(listing.timeBasis).toBe('local');
    const keptEntry = listing.entries.find((e) => e.name === 'kept.bin')!;
    const goneEntry = listing.entries.find((e) => e.deleted && /one\.bin$/i.test(e.name))!;
    expect(goneEntry).toBeDefined();
    // mtools ran with TZ=UTC, so the stored wall-clock time reads back unchanged, marked Z as TSK does.
    expect(keptEntry.mtime).toBe('2024-03-01T12:00:00.000Z');

    const keptStat = await h.call('images.stat', { caseId: c.id, artifactId: imageId, partition: null, inode: keptEntry.inode });
    expect(keptStat).toMatchObject({ bestEffort: false, timeBasis: 'local' });
    expect(keptStat.attributes).toContain('archive');
    const goneStat = await h.call('images.stat', { caseId: c.id, artifactId: imageId, partition: null, inode: goneEntry.inode });
    expect(goneStat).toMatchObject({ bestEffort: true, timeBasis: 'local' });

    const ex = await h.call('images.export', { caseId: c.id, artifactId: imageId, partition: null, inode: goneEntry.inode, path: `/${goneEntry.name}` });
    const job = await h.waitJob(c.id, ex.jobId);
    expect(job.state).toBe('succeeded');
    const [exportedId] = job.result!.artifactIds as string[];
    const exported = await h.call('evidence.get', { caseId: c.id, artifactId: exportedId! });
    expect(exported.description).toMatch(/best-effort/);
    const stored = fs.readFileSync(path.join(c.path, exported.storedPath));
    expect(stored.equals(gone)).toBe(true);
    const { events } = await h.call('custody.list', { caseId: c.id, limit: 1000 });
    const added = events.find((e) => e.action === 'artifact.added' && e.artifactId === exportedId);
    expect(added?.details).toMatchObject({ bestEffort: true, timeBasis: 'local', fileSystem: 'fat' });

    // ext4/XFS/NTFS exports say 'utc'; the image itself never changed.
    expect(execFileSync('sha256sum', [img]).toString()).toBe(before);
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
  });
});
