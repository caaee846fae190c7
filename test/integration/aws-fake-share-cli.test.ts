/**
 * Debian's AWS CLI against the fake's snapshot hand-over actions: ModifySnapshotAttribute (the
 * aws/ebs refusal and a share), DescribeSnapshotAttribute, CopySnapshot with DryRun and a KMS key.
 * The CLI (2.9) predates LockSnapshot, so locks are checked through the SDK only (aws-share.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, FORENSIC_ACCOUNT_ID, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { AWS_CLI, awsCliJson, haveAwsCli as haveCli, runAwsCli, type AwsCliResult } from '../support/debian-awscli.js';

if (!haveCli) console.warn(`aws-fake share CLI tests skipped: ${AWS_CLI} is absent (install the Debian package awscli)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-aws-share-cli-'));
let fake: AwsFake;

/** `aws ec2 ARGS` against the fake. */
const aws = (args: string[]): Promise<AwsCliResult> => runAwsCli(fake.endpoint, dir, ['ec2', ...args]);
const awsJson = <T>(args: string[]): Promise<T> => awsCliJson<T>(fake.endpoint, dir, ['ec2', ...args]);

beforeAll(async () => {
  if (haveCli) fake = await startAwsFake({ snapshotCompletionMs: 0 });
});
afterAll(async () => {
  if (fake) await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveCli)('aws fake: snapshot sharing and copies through the AWS CLI', () => {
  it('modify-snapshot-attribute is refused for an aws/ebs snapshot and shares a CMK one; describe-snapshot-attribute lists it', async () => {
    const data = await awsJson<{ SnapshotId: string }>(['create-snapshot', '--volume-id', FIXTURE.webDataVolumeId]);
    const refused = await aws(['modify-snapshot-attribute', '--snapshot-id', data.SnapshotId, '--attribute', 'createVolumePermission', '--operation-type', 'add', '--user-ids', FORENSIC_ACCOUNT_ID]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\(OperationNotPermitted\).*ModifySnapshotAttribute.*EBS default key cannot be shared/);

    const shared = await aws(['modify-snapshot-attribute', '--snapshot-id', FIXTURE.completedSnapshotId, '--create-volume-permission', `Add=[{UserId=${FORENSIC_ACCOUNT_ID}}]`]);
    expect(shared.code, shared.stderr).toBe(0);
    const attr = await awsJson<{ CreateVolumePermissions: { UserId: string }[]; SnapshotId: string }>([
      'describe-snapshot-attribute', '--snapshot-id', FIXTURE.completedSnapshotId, '--attribute', 'createVolumePermission',
    ]);
    expect(attr).toEqual({ SnapshotId: FIXTURE.completedSnapshotId, CreateVolumePermissions: [{ UserId: FORENSIC_ACCOUNT_ID }] });
  });

  it('copy-snapshot answers DryRunOperation to --dry-run, then copies encrypted under the given key', async () => {
    const key = `arn:aws:kms:us-east-1:111122223333:key/${FIXTURE.cmkKeyId}`;
    const args = ['copy-snapshot', '--source-region', 'us-east-1', '--source-snapshot-id', FIXTURE.completedSnapshotId, '--encrypted', '--kms-key-id', key, '--description', 'caseward copy'];
    const dry = await aws([...args, '--dry-run']);
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toMatch(/\(DryRunOperation\)/);
    const copy = await awsJson<{ SnapshotId: string }>(args);
    expect(copy.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    const listed = await awsJson<{ Snapshots: { Encrypted: boolean; KmsKeyId: string; Description: string }[] }>(['describe-snapshots', '--snapshot-ids', copy.SnapshotId]);
    expect(listed.Snapshots[0]).toMatchObject({ Encrypted: true, KmsKeyId: key, Description: 'caseward copy' });
  });
});
