/**
 * Debian's AWS CLI (/usr/bin/aws, an independent client: botocore's signer and parsers) against
 * the AWS fake. If the CLI accepts the fake's XML and JSON and its signatures pass, the fake speaks
 * AWS's protocol and not only the JavaScript SDK's reading of it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EBS_BLOCK_SIZE, FIXTURE, TEST_CREDENTIALS, VICTIM_ACCOUNT_ID, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { checksumOf, imageBlock, makeSparseImage } from '../aws-fake/test-helpers.js';
import { AWS_CLI, awsCliJson, haveAwsCli as haveCli, runAwsCli, type AwsCliResult } from '../support/debian-awscli.js';

if (!haveCli) console.warn(`aws-fake CLI tests skipped: ${AWS_CLI} is absent (install the Debian package awscli)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-aws-cli-'));
let fake: AwsFake;
let image: string;
let snapshotId: string;

/** Runs the CLI against the fake with only the fake's credentials in its environment (`env` overrides). */
const aws = (args: string[], env: Record<string, string> = {}): Promise<AwsCliResult> => runAwsCli(fake.endpoint, dir, args, env);
const awsJson = <T = Record<string, unknown>>(args: string[]): Promise<T> => awsCliJson<T>(fake.endpoint, dir, args);

beforeAll(async () => {
  if (!haveCli) return;
  fake = await startAwsFake({ snapshotCompletionMs: null });
  image = path.join(dir, 'disk.raw');
  makeSparseImage(image, 140 * EBS_BLOCK_SIZE, [...Array(130).keys()]);
  snapshotId = fake.addSnapshotFromImage(image).snapshotId;
});
afterAll(async () => {
  if (fake) await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveCli)('aws fake: Debian AWS CLI', () => {
  it('sts get-caller-identity', async () => {
    const who = await awsJson(['sts', 'get-caller-identity']);
    expect(who).toEqual({ UserId: TEST_CREDENTIALS.userId, Account: VICTIM_ACCOUNT_ID, Arn: TEST_CREDENTIALS.arn });
  });

  it('ec2 describe-instances, with ids and with a tag filter', async () => {
    type Out = { Reservations: { Instances: Record<string, unknown>[] }[] };
    const byId = await awsJson<Out>(['ec2', 'describe-instances', '--instance-ids', FIXTURE.webInstanceId]);
    const i = byId.Reservations[0]!.Instances[0]!;
    expect(i).toMatchObject({
      InstanceId: FIXTURE.webInstanceId,
      State: { Code: 16, Name: 'running' },
      PrivateIpAddress: '10.0.1.10',
      PublicIpAddress: '198.51.100.10',
      IamInstanceProfile: { Arn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:instance-profile/web-app-profile` },
    });
    expect(i.LaunchTime).toMatch(/^2024-05-01T08:30:00/);
    expect((i.BlockDeviceMappings as { Ebs: { DeleteOnTermination: boolean } }[])[0]!.Ebs.DeleteOnTermination).toBe(true);
    const byTag = await awsJson<Out>(['ec2', 'describe-instances', '--filters', 'Name=tag:Name,Values=db-1']);
    expect(byTag.Reservations.map((r) => r.Instances[0]!.InstanceId)).toEqual([FIXTURE.dbInstanceId]);
  });

  it('ec2 describe-volumes, describe-security-groups, describe-instance-attribute and get-console-output', async () => {
    const vols = await awsJson<{ Volumes: { VolumeId: string; Encrypted: boolean; KmsKeyId?: string }[] }>(['ec2', 'describe-volumes', '--volume-ids', FIXTURE.webRootVolumeId]);
    expect(vols.Volumes[0]).toMatchObject({ VolumeId: FIXTURE.webRootVolumeId, Encrypted: true });
    expect(vols.Volumes[0]!.KmsKeyId).toContain(FIXTURE.cmkKeyId);
    const groups = await awsJson<{ SecurityGroups: { IpPermissions: { FromPort?: number }[] }[] }>(['ec2', 'describe-security-groups', '--group-ids', FIXTURE.sshGroupId]);
    expect(groups.SecurityGroups[0]!.IpPermissions[0]).toMatchObject({ FromPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }] });
    const ud = await awsJson<{ UserData: { Value: string } }>(['ec2', 'describe-instance-attribute', '--instance-id', FIXTURE.webInstanceId, '--attribute', 'userData']);
    expect(Buffer.from(ud.UserData.Value, 'base64').toString('utf8')).toBe(FIXTURE.userData);
    // The CLI decodes console output itself: proof the base64 is what it expects.
    const con = await awsJson<{ Output: string }>(['ec2', 'get-console-output', '--instance-id', FIXTURE.webInstanceId]);
    expect(con.Output).toContain('payload.sh');
  });

  it('ec2 create-snapshot with tags, then describe-snapshots; create-snapshots --dry-run', async () => {
    const snap = await awsJson<{ SnapshotId: string; State: string; Tags: unknown[] }>([
      'ec2', 'create-snapshot', '--volume-id', FIXTURE.dbRootVolumeId, '--description', 'CASE-42 db-1',
      '--tag-specifications', 'ResourceType=snapshot,Tags=[{Key=caseward:case,Value=CASE-42}]',
    ]);
    expect(snap).toMatchObject({ State: 'pending', Tags: [{ Key: 'caseward:case', Value: 'CASE-42' }] });
    expect(fake.state.snapshots.get(snap.SnapshotId)?.description).toBe('CASE-42 db-1');
    fake.state.setSnapshotProgress(snap.SnapshotId, 37);
    const listed = await awsJson<{ Snapshots: { Progress: string; State: string }[] }>(['ec2', 'describe-snapshots', '--snapshot-ids', snap.SnapshotId]);
    expect(listed.Snapshots[0]).toMatchObject({ Progress: '37%', State: 'pending' });
    const dry = await aws(['ec2', 'create-snapshots', '--instance-specification', `InstanceId=${FIXTURE.webInstanceId}`, '--dry-run']);
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toContain('(DryRunOperation)');
    expect(fake.calls.at(-1)).toMatchObject({ action: 'CreateSnapshots', dryRun: true });
  });

  it('ebs list-snapshot-blocks pages with --next-token', async () => {
    type Page = { Blocks: { BlockIndex: number; BlockToken: string }[]; NextToken?: string; BlockSize: number; VolumeSize: number; ExpiryTime: string };
    const first = await awsJson<Page>(['ebs', 'list-snapshot-blocks', '--snapshot-id', snapshotId, '--max-results', '100']);
    expect(first).toMatchObject({ BlockSize: 524288, VolumeSize: 1 });
    expect(first.Blocks).toHaveLength(100);
    expect(Number.isNaN(Date.parse(first.ExpiryTime))).toBe(false);
    const second = await awsJson<Page>(['ebs', 'list-snapshot-blocks', '--snapshot-id', snapshotId, '--next-token', first.NextToken!]);
    expect(second.Blocks.map((b) => b.BlockIndex)).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    expect(second.NextToken).toBeUndefined();
  });

  it('ebs get-snapshot-block writes the block to a file and reports its checksum', async () => {
    const page = await awsJson<{ Blocks: { BlockIndex: number; BlockToken: string }[] }>(['ebs', 'list-snapshot-blocks', '--snapshot-id', snapshotId, '--starting-block-index', '42']);
    const block = page.Blocks[0]!;
    const out = path.join(dir, 'block-42.bin');
    const meta = await awsJson<{ DataLength: string; Checksum: string; ChecksumAlgorithm: string }>([
      'ebs', 'get-snapshot-block', '--snapshot-id', snapshotId, '--block-index', String(block.BlockIndex), '--block-token', block.BlockToken, out,
    ]);
    const data = fs.readFileSync(out);
    // The CLI prints DataLength as a string, exactly as in AWS's documented sample output.
    expect(meta).toEqual({ DataLength: String(EBS_BLOCK_SIZE), Checksum: checksumOf(data), ChecksumAlgorithm: 'SHA256' });
    expect(data.equals(imageBlock(image, 42))).toBe(true);
  });

  it('fails with AuthFailure / SignatureDoesNotMatch / InvalidSignatureException for a wrong secret', async () => {
    const wrong = { AWS_SECRET_ACCESS_KEY: 'wrong-secret-wrong-secret-wrong-secret-00' };
    const ec2 = await aws(['ec2', 'describe-instances'], wrong);
    expect(ec2.code).not.toBe(0);
    expect(ec2.stderr).toContain('(AuthFailure)');
    const sts = await aws(['sts', 'get-caller-identity'], wrong);
    expect(sts.stderr).toContain('(SignatureDoesNotMatch)');
    const ebs = await aws(['ebs', 'list-snapshot-blocks', '--snapshot-id', snapshotId], wrong);
    expect(ebs.stderr).toContain('(InvalidSignatureException)');
  });

  it('iam get-instance-profile and get-role-policy', async () => {
    const p = await awsJson<{ InstanceProfile: { Roles: { RoleName: string }[] } }>(['iam', 'get-instance-profile', '--instance-profile-name', FIXTURE.instanceProfileName]);
    expect(p.InstanceProfile.Roles.map((r) => r.RoleName)).toEqual([FIXTURE.roleName]);
    // The CLI URL-decodes and parses policy documents; it can only do that if IAM's encoding is right.
    const doc = await awsJson<{ PolicyDocument: { Statement: { Action: string[] }[] } }>(['iam', 'get-role-policy', '--role-name', FIXTURE.roleName, '--policy-name', 'inline-logs']);
    expect(doc.PolicyDocument.Statement[0]!.Action).toContain('logs:PutLogEvents');
    const missing = await aws(['iam', 'list-role-policies', '--role-name', 'ghost']);
    expect(missing.stderr).toContain('(NoSuchEntity)');
  });
});
