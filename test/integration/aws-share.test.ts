/**
 * Snapshot hand-over against the AWS fake: share with the forensic account (refused for aws/ebs with
 * an explanation and the copy offered), re-encrypted copy (a job, then a cloud-ref artifact), lock;
 * DryRun denials name the permission, nothing mutates without confirm, custody has the request ids.
 */
import path from 'node:path';
import { GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsSnapshotRef } from '../../shared/contract-aws-preserve.js';
import type { CustodyEvent } from '../../shared/types.js';
import { EBS_BLOCK_SIZE, FIXTURE, FORENSIC_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { fakeEbs } from '../aws-fake/clients.js';
import { imageBlock, makeSparseImage } from '../aws-fake/test-helpers.js';
import { FORENSIC_CREDENTIALS, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from '../aws-fake/credentials.js';
import type { Harness } from '../support/app-harness.js';
import { startAwsCase, writeAwsProfiles } from '../support/aws-case.js';

let fake: AwsFake;
let h: Harness;
let caseId: string;
let victim: string;
let forensic: string;
let rootSnap: string;
let dataSnap: string;
let rootImage: string;
const region = 'us-east-1';
const forensicKey = `arn:aws:kms:${region}:${FORENSIC_ACCOUNT_ID}:key/9f8e7d6c-5b4a-3928-1716-151413121110`;
const victimCmk = `arn:aws:kms:${region}:111122223333:key/${FIXTURE.cmkKeyId}`;

const events = async (): Promise<CustodyEvent[]> => (await h.call('custody.list', { caseId, limit: 1000 })).events;
const lastEvent = async (action: string) => (await events()).filter((e) => e.action === action).at(-1);
const realCall = (action: string) => fake.state.callsFor(action).filter((c) => !c.dryRun).at(-1);

beforeAll(async () => {
  ({ fake, h, caseId, connectionId: victim } = await startAwsCase({ fake: { snapshotCompletionMs: 200 }, case: { number: 'IR-SHARE', title: 'Snapshot hand-over' } }));
  // A small root disk image with three data blocks (the 1 GiB volume reads zeros past its end).
  rootImage = path.join(h.root, 'root.raw');
  makeSparseImage(rootImage, 101 * EBS_BLOCK_SIZE, [0, 5, 100]);
  fake.state.volumes.get(FIXTURE.webRootVolumeId)!.sizeGiB = 1;
  fake.state.setVolumeImage(FIXTURE.webRootVolumeId, rootImage);
  writeAwsProfiles(h.root, {
    config: '[profile victim]\nregion = us-east-1\n[profile forensic]\nregion = us-east-1\n',
    credentials: `[victim]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\n[forensic]\naws_access_key_id = ${FORENSIC_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${FORENSIC_CREDENTIALS.secretAccessKey}\n`,
  });
  ({ connectionId: forensic } = await h.call('aws.connect', { caseId, profile: 'forensic', regions: [region], endpoint: fake.endpoint }));
  const { jobId } = await h.call('aws.snapshot', { caseId, connectionId: victim, region, instanceId: FIXTURE.webInstanceId, confirm: true });
  const job = await h.waitJob(caseId, jobId);
  expect(job.state).toBe('succeeded');
  const snaps = (job.result as { snapshots: AwsSnapshotRef[] }).snapshots;
  rootSnap = snaps.find((s) => s.volumeId === FIXTURE.webRootVolumeId)!.snapshotId;
  dataSnap = snaps.find((s) => s.volumeId === FIXTURE.webDataVolumeId)!.snapshotId;
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

describe('confirmation', () => {
  it('sends nothing to AWS without confirm: true, and a compliance lock needs the snapshot id typed back', async () => {
    const before = fake.calls.length;
    const share = await h.fail('aws.snapshotShare', { caseId, connectionId: victim, region, snapshotId: rootSnap, accountId: FORENSIC_ACCOUNT_ID } as never);
    expect(share.code).toBe('INVALID_INPUT');
    expect(share.message).toMatch(/other account/);
    const copy = await h.fail('aws.snapshotCopy', { caseId, connectionId: victim, region, sourceSnapshotId: rootSnap, kmsKeyId: victimCmk } as never);
    expect(copy.code).toBe('INVALID_INPUT');
    const lock = await h.fail('aws.snapshotLock', { caseId, connectionId: victim, region, snapshotId: rootSnap, mode: 'compliance', durationDays: 30, confirm: true });
    expect(lock.code).toBe('INVALID_INPUT');
    expect(lock.message).toMatch(/cannot be removed or shortened by anyone/);
    expect(lock.message).toContain(rootSnap);
    expect(fake.calls.length).toBe(before);
  });
});

describe('aws.snapshotShare', () => {
  it('explains that an aws/ebs snapshot cannot be shared, offers the re-encrypted copy, changes nothing', async () => {
    const r = await h.call('aws.snapshotShare', { caseId, connectionId: victim, region, snapshotId: dataSnap, accountId: FORENSIC_ACCOUNT_ID, confirm: true });
    expect(r.outcome).toBe('refused');
    expect(r.errorCode).toBe('OperationNotPermitted');
    expect(r.message).toMatch(/AWS managed key aws\/ebs cannot be shared/);
    expect(r.message).toMatch(/aws-snapshot-copy/);
    expect(r.offer).toEqual({ channel: 'aws.snapshotCopy', sourceSnapshotId: dataSnap, sourceRegion: region, reason: 'encrypted with the AWS managed key aws/ebs' });
    expect([...fake.state.snapshots.get(dataSnap)!.createVolumePermission]).toEqual([]);
    const refused = await lastEvent('aws.snapshot-share-refused');
    expect(refused!.details).toMatchObject({ snapshotId: dataSnap, errorCode: 'OperationNotPermitted', requestId: realCall('ModifySnapshotAttribute')!.requestId });
    expect(refused!.artifactId).toBeTruthy();
  });

  it('a DryRun denial names the missing permission and sends no real call', async () => {
    fake.state.policy.deny('ec2:ModifySnapshotAttribute');
    try {
      const real = fake.state.callsFor('ModifySnapshotAttribute').filter((c) => !c.dryRun).length;
      const r = await h.call('aws.snapshotShare', { caseId, connectionId: victim, region, snapshotId: rootSnap, accountId: FORENSIC_ACCOUNT_ID, confirm: true });
      expect(r).toMatchObject({ outcome: 'denied', missingPermission: 'ec2:ModifySnapshotAttribute' });
      expect(fake.state.callsFor('ModifySnapshotAttribute').filter((c) => !c.dryRun).length).toBe(real);
      expect((await lastEvent('aws.preserve-denied'))!.details).toMatchObject({ preserveAction: 'share', missingPermission: 'ec2:ModifySnapshotAttribute' });
    } finally {
      fake.state.policy.reset();
    }
  });

  it('shares a customer-managed-key snapshot, explains the key policy, records the request id and before/after', async () => {
    const r = await h.call('aws.snapshotShare', { caseId, connectionId: victim, region, snapshotId: rootSnap, accountId: FORENSIC_ACCOUNT_ID, confirm: true });
    expect(r.outcome).toBe('shared');
    expect(r.permissions).toEqual({ before: [], after: [FORENSIC_ACCOUNT_ID] });
    expect(r.message).toMatch(/key's policy/);
    expect(r.message).toContain('kms:CreateGrant');
    const call = realCall('ModifySnapshotAttribute')!;
    expect(call.params).toMatchObject({ 'CreateVolumePermission.Add.1.UserId': FORENSIC_ACCOUNT_ID, SnapshotId: rootSnap });
    expect(fake.state.callsFor('ModifySnapshotAttribute').filter((c) => c.dryRun).length).toBeGreaterThan(0);
    const shared = await lastEvent('aws.snapshot-shared');
    expect(shared!.details).toMatchObject({ requestId: call.requestId, accountId: FORENSIC_ACCOUNT_ID, after: { createVolumePermission: [FORENSIC_ACCOUNT_ID] } });
    const artifacts = await h.call('evidence.list', { caseId });
    expect(shared!.artifactId).toBe(artifacts.find((a) => a.cloud?.resourceId === rootSnap)!.id);
    const again = await h.call('aws.snapshotShare', { caseId, connectionId: victim, region, snapshotId: rootSnap, accountId: FORENSIC_ACCOUNT_ID, confirm: true });
    expect(again.outcome).toBe('already');
  });
});

describe('aws.snapshotCopy', () => {
  it('the forensic account copies the shared snapshot under its own key; the copy becomes a cloud-ref artifact', async () => {
    const { jobId, snapshotId } = await h.call('aws.snapshotCopy', { caseId, connectionId: forensic, region, sourceSnapshotId: rootSnap, kmsKeyId: forensicKey, confirm: true });
    const call = realCall('CopySnapshot')!;
    expect(call.params).toMatchObject({ SourceSnapshotId: rootSnap, SourceRegion: region, Encrypted: 'true', KmsKeyId: forensicKey });
    expect(call.accountId).toBe(FORENSIC_ACCOUNT_ID);
    const job = await h.waitJob(caseId, jobId);
    expect(job.state).toBe('succeeded');
    const copy = fake.state.snapshots.get(snapshotId)!;
    expect(copy).toMatchObject({ ownerId: FORENSIC_ACCOUNT_ID, encrypted: true, kmsKeyId: forensicKey });
    expect(copy.tags).toEqual(expect.arrayContaining([{ key: 'CasewardCase', value: 'IR-SHARE' }, { key: 'CasewardSourceSnapshot', value: rootSnap }]));
    const started = await lastEvent('aws.snapshot-copy-started');
    expect(started!.details).toMatchObject({ requestId: call.requestId, sourceSnapshotId: rootSnap, kmsKeyId: forensicKey, jobId, account: FORENSIC_ACCOUNT_ID });
    const artifact = (await h.call('evidence.list', { caseId })).find((a) => a.cloud?.resourceId === snapshotId)!;
    expect(artifact).toMatchObject({ kind: 'cloud-ref', storage: 'cloud', size: null, hashes: null, state: 'complete' });
    expect(artifact.cloud).toMatchObject({ provider: 'aws', region, account: FORENSIC_ACCOUNT_ID });
    expect(artifact.cloud!.metadata).toMatchObject({ encrypted: true, kmsKeyId: forensicKey, copiedFrom: { snapshotId: rootSnap, region, ownerId: '111122223333' }, sizeGiB: 1 });

    // The copy holds the source's content, so the forensic account can image it (EBS direct APIs).
    const ebs = fakeEbs(fake, { identity: FORENSIC_CREDENTIALS });
    try {
      const listed = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: snapshotId }));
      expect(listed.Blocks!.map((b) => b.BlockIndex)).toEqual([0, 5, 100]);
      const block = await ebs.send(new GetSnapshotBlockCommand({ SnapshotId: snapshotId, BlockIndex: 5, BlockToken: listed.Blocks![1]!.BlockToken! }));
      expect(Buffer.from(await block.BlockData!.transformToByteArray())).toEqual(imageBlock(rootImage, 5));
    } finally {
      ebs.destroy();
    }
  });

  it('re-encrypts the aws/ebs snapshot in the victim account, which can then be shared (the offered path)', async () => {
    const { jobId, snapshotId } = await h.call('aws.snapshotCopy', { caseId, connectionId: victim, region, sourceSnapshotId: dataSnap, kmsKeyId: victimCmk, confirm: true });
    expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
    const r = await h.call('aws.snapshotShare', { caseId, connectionId: victim, region, snapshotId, accountId: FORENSIC_ACCOUNT_ID, confirm: true });
    expect(r).toMatchObject({ outcome: 'shared', kmsKeyId: victimCmk });
  });

  it('refuses a pending source plainly, and a DryRun denial names ec2:CopySnapshot', async () => {
    const pending = await h.fail('aws.snapshotCopy', { caseId, connectionId: victim, region, sourceSnapshotId: FIXTURE.pendingSnapshotId, kmsKeyId: victimCmk, confirm: true });
    expect(pending).toMatchObject({ code: 'CONFLICT' });
    expect(pending.message).toMatch(/only completed snapshots/);
    fake.state.policy.deny('ec2:CopySnapshot');
    try {
      const before = fake.state.snapshots.size;
      const denied = await h.fail('aws.snapshotCopy', { caseId, connectionId: victim, region, sourceSnapshotId: rootSnap, kmsKeyId: victimCmk, confirm: true });
      expect(denied.code).toBe('FORBIDDEN');
      expect(denied.message).toMatch(/ec2:CopySnapshot/);
      expect(fake.state.snapshots.size).toBe(before);
    } finally {
      fake.state.policy.reset();
    }
  });
});

describe('aws.snapshotLock', () => {
  it('locks in governance mode, records the lock on the artifact, and says it can be removed', async () => {
    const r = await h.call('aws.snapshotLock', { caseId, connectionId: victim, region, snapshotId: rootSnap, mode: 'governance', durationDays: 7, confirm: true });
    expect(r.outcome).toBe('locked');
    expect(r.lock).toMatchObject({ lockState: 'governance', lockMode: 'governance', lockDurationDays: 7 });
    expect(r.message).toMatch(/ec2:UnlockSnapshot/);
    const call = realCall('LockSnapshot')!;
    expect((await lastEvent('aws.snapshot-locked'))!.details).toMatchObject({ requestId: call.requestId, mode: 'governance', before: null });
    const a = await h.call('evidence.get', { caseId, artifactId: r.artifactId! });
    expect(a.cloud!.lock).toMatchObject({ mode: 'governance', state: 'governance' });

    // Until a date instead of a duration; a snapshot the case holds no artifact for is locked all the same.
    const until = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
    const dated = await h.call('aws.snapshotLock', { caseId, connectionId: victim, region, snapshotId: FIXTURE.completedSnapshotId, mode: 'governance', expirationDate: until, confirm: true });
    expect(dated).toMatchObject({ outcome: 'locked', artifactId: null, lock: { lockExpiresOn: until } });
    expect(realCall('LockSnapshot')!.params).toMatchObject({ ExpirationDate: until });
  });

  it('locks in compliance mode with a cool-off once the id is typed back; a DryRun denial names ec2:LockSnapshot', async () => {
    fake.state.policy.deny('ec2:LockSnapshot');
    try {
      const denied = await h.call('aws.snapshotLock', { caseId, connectionId: victim, region, snapshotId: dataSnap, mode: 'governance', durationDays: 1, confirm: true });
      expect(denied).toMatchObject({ outcome: 'denied', missingPermission: 'ec2:LockSnapshot' });
      expect(fake.state.snapshots.get(dataSnap)!.lock).toBeUndefined();
    } finally {
      fake.state.policy.reset();
    }
    const r = await h.call('aws.snapshotLock', { caseId, connectionId: victim, region, snapshotId: dataSnap, mode: 'compliance', durationDays: 30, coolOffHours: 2, typedConfirmation: dataSnap, confirm: true });
    expect(r.lock).toMatchObject({ lockState: 'compliance-cooloff', lockMode: 'compliance', coolOffHours: 2 });
    expect(r.message).toMatch(/nobody can delete it/);
    expect((await lastEvent('aws.snapshot-locked'))!.details).toMatchObject({ requestId: realCall('LockSnapshot')!.requestId, typedConfirmation: true });
  });
});

describe('cloud-ref artifacts in verification', () => {
  it('keeps the chain whole, skips cloud refs when re-hashing all, refuses to re-hash one by id', async () => {
    const chain = await h.call('custody.verifyChain', { caseId });
    expect(chain.problems).toEqual([]);
    const all = await h.call('evidence.list', { caseId });
    const refs = all.filter((a) => a.kind === 'cloud-ref');
    expect(refs.length).toBe(4);
    const { jobId } = await h.call('evidence.verify', { caseId });
    const job = await h.waitJob(caseId, jobId);
    expect(job.state).toBe('succeeded');
    expect(all.every((a) => a.kind === 'cloud-ref')).toBe(true);
    expect((job.result as { outcomes: unknown[] }).outcomes).toEqual([]);
    const one = await h.fail('evidence.verify', { caseId, artifactIds: [refs[0]!.id] });
    expect(one.code).toBe('INVALID_INPUT');
    expect(one.message).toMatch(/not a file/);
  });
});
