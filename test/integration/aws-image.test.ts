/**
 * aws.image end to end through the contract against the protocol-level AWS fake serving a real
 * ext4 image: the job's artifact, hashes against coreutils, read-only files, custody, refusal of a
 * pending snapshot, cancel, and an interrupted download resumed after the app is reopened.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsFake, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';

const GiB = 1024 ** 3;
const hasMkfs = spawnSync('mkfs.ext4', ['-V']).status === 0;
if (!hasMkfs) console.warn('skipped: mkfs.ext4 is not installed (apt-get install e2fsprogs)');

function digest(tool: string, file: string): string {
  return execFileSync(tool, [file]).toString().split(' ')[0]!;
}

describe.skipIf(!hasMkfs)('aws.image against the AWS fake', () => {
  let dir: string;
  let image: string;
  let fake: AwsFake;
  let h: Harness;
  let caseId: string;
  let casePath: string;
  let connectionId: string;
  let source: { sha256: string; md5: string; sha1: string };

  beforeAll(async () => {
    dir = tempDir('caseward-awsimg-');
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'var/log'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'var/log/auth.log'), 'Nov 27 09:14:03 ip-10-0-0-5 sshd[812]: Accepted publickey for ec2-user\n'.repeat(5000));
    // Incompressible data so the snapshot has a few dozen listed blocks to fetch.
    fs.writeFileSync(path.join(tree, 'random.bin'), crypto.randomBytes(24 * 1024 * 1024));
    image = path.join(dir, 'volume.img');
    fs.closeSync(fs.openSync(image, 'w'));
    fs.truncateSync(image, GiB);
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', tree, image]);
    source = { sha256: digest('sha256sum', image), md5: digest('md5sum', image), sha1: digest('sha1sum', image) };
    fake = await startAwsFake();
    writeAwsProfiles(dir);
    h = await startHarness({ root: path.join(dir, 'app') });
    const c = await h.call('cases.create', { number: 'IMG-1', title: 'Snapshot imaging' });
    caseId = c.id;
    casePath = c.path;
    connectionId = (await h.call('aws.connect', { caseId, profile: 'victim', regions: ['us-east-1'], endpoint: fake.endpoint })).connectionId;
  });

  afterAll(async () => {
    await h?.dispose();
    await fake?.close();
    if (dir) removeTree(dir);
  });

  it('images a completed snapshot into a complete, read-only artifact whose hashes equal coreutils', async () => {
    const snap = fake.addSnapshotFromImage(image, { volumeSizeGiB: 1 });
    const { jobId, artifactId } = await h.call('aws.image', { caseId, connectionId, region: 'us-east-1', snapshotId: snap.snapshotId, concurrency: 8 });
    const job = await h.waitJob(caseId, jobId);
    expect(job.state, job.error ?? '').toBe('succeeded');
    const a = await h.call('evidence.get', { caseId, artifactId });
    expect(a).toMatchObject({ state: 'complete', storage: 'copied', size: GiB, sourcePath: `aws:ebs:us-east-1:${VICTIM_ACCOUNT_ID}:${snap.snapshotId}` });
    expect(a.storedPath).toBe(path.join('evidence', artifactId, `${snap.snapshotId}.raw`));
    expect(a.hashes).toEqual(source);
    const stored = path.join(casePath, a.storedPath);
    const manifest = `${stored}.manifest.sqlite`;
    expect(digest('sha256sum', stored)).toBe(source.sha256);
    expect(fs.statSync(stored).mode & 0o777).toBe(0o444);
    expect(fs.statSync(manifest).mode & 0o777).toBe(0o444);

    const { events } = await h.call('custody.list', { caseId, artifactId });
    const added = events.find((e) => e.action === 'artifact.added')!;
    expect(added.details).toMatchObject({
      snapshotId: snap.snapshotId,
      region: 'us-east-1',
      account: VICTIM_ACCOUNT_ID,
      blockSize: 512 * 1024,
      volumeSize: GiB,
      blocksReused: 0,
      checksumFailures: 0,
      manifestSha256: digest('sha256sum', manifest),
      jobId,
    });
    const d = added.details as { blocksListed: number; blocksAbsent: number; blocksFetched: number };
    expect(d.blocksFetched).toBe(d.blocksListed);
    expect(d.blocksListed + d.blocksAbsent).toBe(GiB / (512 * 1024));

    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
    const v = await h.call('evidence.verify', { caseId, artifactIds: [artifactId] });
    expect((await h.waitJob(caseId, v.jobId)).result).toMatchObject({ checked: 1, match: 1 });
  });

  it('refuses a pending snapshot with its progress, creating nothing', async () => {
    const snap = fake.addSnapshotFromImage(image, { volumeSizeGiB: 1, state: 'pending' });
    fake.state.holdSnapshot(snap.snapshotId);
    fake.state.setSnapshotProgress(snap.snapshotId, 42);
    const before = (await h.call('evidence.list', { caseId })).length;
    const err = await h.fail('aws.image', { caseId, connectionId, region: 'us-east-1', snapshotId: snap.snapshotId });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(`${snap.snapshotId} is still pending (42%); image it when it completes`);
    expect((await h.call('evidence.list', { caseId })).length).toBe(before);
  });

  it('a cancelled download removes its partial files and marks the artifact discarded', async () => {
    const snap = fake.addSnapshotFromImage(image, { volumeSizeGiB: 1 });
    const rule = fake.faults.latency('GetSnapshotBlock', 300);
    try {
      const { jobId, artifactId } = await h.call('aws.image', { caseId, connectionId, region: 'us-east-1', snapshotId: snap.snapshotId, concurrency: 2 });
      const dest = path.join(casePath, 'evidence', artifactId, `${snap.snapshotId}.raw`);
      while (!fs.existsSync(dest)) await new Promise((r) => setTimeout(r, 20));
      await h.call('jobs.cancel', { caseId, jobId });
      expect((await h.waitJob(caseId, jobId)).state).toBe('cancelled');
      expect((await h.call('evidence.get', { caseId, artifactId })).state).toBe('discarded');
      expect(fs.existsSync(dest)).toBe(false);
      expect(fs.existsSync(`${dest}.manifest.sqlite`)).toBe(false);
    } finally {
      fake.faults.remove(rule);
    }
  });

  it('an interrupted download resumes after the app is reopened, reusing the blocks it had', async () => {
    const snap = fake.addSnapshotFromImage(image, { volumeSizeGiB: 1 });
    const rule = fake.faults.latency('GetSnapshotBlock', 200);
    let jobId: string;
    let artifactId: string;
    try {
      const gets = fake.state.callsFor('GetSnapshotBlock').length;
      ({ jobId, artifactId } = await h.call('aws.image', { caseId, connectionId, region: 'us-east-1', snapshotId: snap.snapshotId, concurrency: 2 }));
      while (fake.state.callsFor('GetSnapshotBlock').length < gets + 8) await new Promise((r) => setTimeout(r, 20));
      await h.app.close();
    } finally {
      fake.faults.remove(rule);
    }
    const dest = path.join(casePath, 'evidence', artifactId, `${snap.snapshotId}.raw`);
    expect(fs.existsSync(dest)).toBe(true);
    expect(fs.existsSync(`${dest}.manifest.sqlite`)).toBe(true);

    h = await startHarness({ root: path.join(dir, 'app') });
    await h.call('cases.open', { path: casePath });
    const interrupted = (await h.call('jobs.list', { caseId })).find((j) => j.id === jobId)!;
    expect(interrupted.state).toBe('interrupted');
    // Connections end with the process: resuming before reconnecting is refused, and nothing is lost.
    const refused = await h.fail('jobs.resume', { caseId, jobId });
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.message).toContain('connect again');
    expect((await h.call('jobs.list', { caseId })).find((j) => j.id === jobId)!.state).toBe('interrupted');
    expect(fs.existsSync(dest)).toBe(true);
    expect(fs.existsSync(`${dest}.manifest.sqlite`)).toBe(true);
    // The resumed job uses a new connection to the same account.
    await h.call('aws.connect', { caseId, profile: 'victim', regions: ['us-east-1'], endpoint: fake.endpoint });
    await h.call('jobs.resume', { caseId, jobId });
    const job = await h.waitJob(caseId, jobId);
    expect(job.state, job.error ?? '').toBe('succeeded');
    const a = await h.call('evidence.get', { caseId, artifactId });
    expect(a.state).toBe('complete');
    expect(a.hashes).toEqual(source);
    const { events } = await h.call('custody.list', { caseId, artifactId });
    const details = events.find((e) => e.action === 'artifact.added')!.details as { blocksReused: number; blocksFetched: number; blocksListed: number; resumed: boolean };
    expect(details.resumed).toBe(true);
    expect(details.blocksReused).toBeGreaterThan(0);
    expect(details.blocksReused + details.blocksFetched).toBe(details.blocksListed);
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });
});
