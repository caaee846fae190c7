/**
 * The AWS fake's EC2 Query API driven by the real @aws-sdk/client-ec2: discovery, preservation,
 * containment, DryRun and the permission map, the call log, and injected faults.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateSecurityGroupCommand,
  CreateSnapshotsCommand,
  CreateTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { FIXTURE, FORENSIC_CREDENTIALS, VICTIM_ACCOUNT_ID, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { fakeEc2 } from '../aws-fake/clients.js';
import { awsError } from '../aws-fake/test-helpers.js';

let fake: AwsFake;
let ec2: EC2Client;

beforeEach(async () => {
  fake = await startAwsFake();
  ec2 = fakeEc2(fake);
});
afterEach(async () => {
  ec2.destroy();
  await fake.close();
});

describe('aws fake: EC2 discovery', () => {
  it('describes an instance with everything an examiner needs', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [FIXTURE.webInstanceId] }));
    expect(out.Reservations).toHaveLength(1);
    const i = out.Reservations![0]!.Instances![0]!;
    expect(i.InstanceId).toBe(FIXTURE.webInstanceId);
    expect(i.State).toEqual({ Code: 16, Name: 'running' });
    expect(i.Placement?.AvailabilityZone).toBe('us-east-1a');
    expect(i.LaunchTime?.toISOString()).toBe('2024-05-01T08:30:00.000Z');
    expect(i.PrivateIpAddress).toBe('10.0.1.10');
    expect(i.PublicIpAddress).toBe('198.51.100.10');
    expect(i.SecurityGroups?.map((g) => g.GroupName)).toEqual(['web-public', 'admin-ssh']);
    expect(i.IamInstanceProfile?.Arn).toBe(`arn:aws:iam::${VICTIM_ACCOUNT_ID}:instance-profile/web-app-profile`);
    expect(i.BlockDeviceMappings?.map((b) => [b.DeviceName, b.Ebs?.VolumeId, b.Ebs?.DeleteOnTermination])).toEqual([
      ['/dev/xvda', FIXTURE.webRootVolumeId, true],
      ['/dev/sdf', FIXTURE.webDataVolumeId, true],
    ]);
    expect(i.Tags).toContainEqual({ Key: 'Name', Value: 'web-1' });
    expect(i.NetworkInterfaces?.[0]?.NetworkInterfaceId).toBe(FIXTURE.webEniId);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('filters by tag (with wildcards) and state, and refuses unknown filters and ids', async () => {
    const byTag = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['web-*'] }] }));
    expect(byTag.Reservations?.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([FIXTURE.webInstanceId]);
    const stopped = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
    expect(stopped.Reservations?.[0]?.Instances?.[0]?.StateReason?.Code).toBe('Client.UserInitiatedShutdown');
    const bad = await awsError(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })));
    expect(bad).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    const missing = await awsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0ffffffffffffffff'] })));
    expect(missing).toMatchObject({ name: 'InvalidInstanceID.NotFound' });
    expect(missing.message).toContain('i-0ffffffffffffffff');
    expect((await awsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['foobar'] })))).name).toBe('InvalidInstanceID.Malformed');
  });

  it('scopes resources to the signing region and the calling account', async () => {
    const otherRegion = fakeEc2(fake, { region: 'eu-west-1' });
    const forensic = fakeEc2(fake, { identity: FORENSIC_CREDENTIALS });
    expect((await otherRegion.send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
    expect((await forensic.send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
    expect(fake.calls.map((c) => [c.region, c.accountId])).toEqual([
      ['eu-west-1', VICTIM_ACCOUNT_ID],
      ['us-east-1', FORENSIC_CREDENTIALS.accountId],
    ]);
    otherRegion.destroy();
    forensic.destroy();
  });

  it('describes volumes with encryption, KMS key and attachments', async () => {
    const out = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [FIXTURE.webInstanceId] }] }));
    const byId = new Map(out.Volumes!.map((v) => [v.VolumeId, v]));
    expect([...byId.keys()].sort()).toEqual([FIXTURE.webRootVolumeId, FIXTURE.webDataVolumeId].sort());
    const root = byId.get(FIXTURE.webRootVolumeId)!;
    expect(root).toMatchObject({ Encrypted: true, Size: 8, VolumeType: 'gp3', State: 'in-use' });
    expect(root.KmsKeyId).toContain(FIXTURE.cmkKeyId);
    expect(root.Attachments?.[0]).toMatchObject({ InstanceId: FIXTURE.webInstanceId, Device: '/dev/xvda', State: 'attached', DeleteOnTermination: true });
    const db = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [FIXTURE.dbRootVolumeId] }));
    expect(db.Volumes?.[0]?.Encrypted).toBe(false);
    expect(db.Volumes?.[0]?.KmsKeyId).toBeUndefined();
  });
});

describe('aws fake: EC2 preservation and containment', () => {
  it('tags, enables termination protection and keeps volumes on termination', async () => {
    const resources = [FIXTURE.webInstanceId, FIXTURE.webRootVolumeId];
    await ec2.send(new CreateTagsCommand({ Resources: resources, Tags: [{ Key: 'caseward:case', Value: 'CASE-42' }] }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: FIXTURE.webInstanceId, DisableApiTermination: { Value: true } }));
    await ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: FIXTURE.webInstanceId,
        BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { DeleteOnTermination: false } }],
      }),
    );
    const attr = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: FIXTURE.webInstanceId, Attribute: 'disableApiTermination' }));
    expect(attr.DisableApiTermination?.Value).toBe(true);
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [FIXTURE.webInstanceId] }))).Reservations![0]!.Instances![0]!;
    expect(inst.Tags).toContainEqual({ Key: 'caseward:case', Value: 'CASE-42' });
    expect(inst.BlockDeviceMappings?.find((b) => b.DeviceName === '/dev/sdf')?.Ebs?.DeleteOnTermination).toBe(false);
    const vol = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [FIXTURE.webRootVolumeId] }));
    expect(vol.Volumes?.[0]?.Tags).toContainEqual({ Key: 'caseward:case', Value: 'CASE-42' });
    const mod = fake.state.callsFor('ModifyInstanceAttribute');
    expect(mod[1]?.params).toMatchObject({ 'BlockDeviceMapping.1.DeviceName': '/dev/sdf', 'BlockDeviceMapping.1.Ebs.DeleteOnTermination': 'false' });
  });

  it('returns user data base64 and the shutdown behaviour', async () => {
    const ud = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: FIXTURE.webInstanceId, Attribute: 'userData' }));
    expect(Buffer.from(ud.UserData!.Value!, 'base64').toString('utf8')).toBe(FIXTURE.userData);
    const sb = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: FIXTURE.webInstanceId, Attribute: 'instanceInitiatedShutdownBehavior' }));
    expect(sb.InstanceInitiatedShutdownBehavior?.Value).toBe('stop');
  });

  it('isolates an instance in a new group stripped of its default egress rule', async () => {
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'caseward-isolation', Description: 'no traffic', VpcId: FIXTURE.vpcId }));
    const before = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] }));
    expect(before.SecurityGroups?.[0]?.IpPermissionsEgress).toEqual([
      { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    const revoke = await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: sg.GroupId!, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
    expect(revoke.Return).toBe(true);
    const after = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] }))).SecurityGroups![0]!;
    expect(after.IpPermissions).toEqual([]);
    expect(after.IpPermissionsEgress).toEqual([]);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: FIXTURE.webInstanceId, Groups: [sg.GroupId!] }));
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [FIXTURE.webInstanceId] }))).Reservations![0]!.Instances![0]!;
    expect(inst.SecurityGroups).toEqual([{ GroupId: sg.GroupId, GroupName: 'caseward-isolation' }]);
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [FIXTURE.webInstanceId] }] }));
    expect(enis.NetworkInterfaces?.[0]?.Groups?.map((g) => g.GroupId)).toEqual([sg.GroupId]);
    const dup = await awsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'caseward-isolation', Description: 'x', VpcId: FIXTURE.vpcId })));
    expect(dup.name).toBe('InvalidGroup.Duplicate');
  });

  it('lists security group rules grouped by protocol and port', async () => {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [FIXTURE.webGroupId] }));
    const https = out.SecurityGroups![0]!.IpPermissions!.find((p) => p.FromPort === 443)!;
    expect(https.IpRanges).toEqual([{ CidrIp: '0.0.0.0/0' }]);
    expect(https.Ipv6Ranges).toEqual([{ CidrIpv6: '::/0' }]);
  });
});

describe('aws fake: DryRun, permissions and the call log', () => {
  const spec = { InstanceSpecification: { InstanceId: FIXTURE.webInstanceId } };

  it('answers a permitted DryRun with DryRunOperation (412) and creates nothing', async () => {
    const before = fake.state.snapshots.size;
    const err = await awsError(ec2.send(new CreateSnapshotsCommand({ ...spec, DryRun: true })));
    expect(err).toMatchObject({ name: 'DryRunOperation', status: 412 });
    expect(fake.state.snapshots.size).toBe(before);
    const call = fake.calls.at(-1)!;
    expect(call).toMatchObject({ action: 'CreateSnapshots', dryRun: true, errorCode: 'DryRunOperation', status: 412, requestId: err.requestId });
    expect(call.params['InstanceSpecification.InstanceId']).toBe(FIXTURE.webInstanceId);
  });

  it('denies through the policy map, naming the missing permission, with and without DryRun', async () => {
    fake.state.policy.deny('ec2:CreateSnapshots');
    const dry = await awsError(ec2.send(new CreateSnapshotsCommand({ ...spec, DryRun: true })));
    expect(dry).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
    expect(dry.message).toContain('ec2:CreateSnapshots');
    expect(dry.message).toContain(`instance/${FIXTURE.webInstanceId}`);
    const real = await awsError(ec2.send(new CreateSnapshotsCommand(spec)));
    expect(real.name).toBe('UnauthorizedOperation');
    fake.state.policy.allow('ec2:CreateSnapshots');
    const ok = await ec2.send(new CreateSnapshotsCommand(spec));
    expect(ok.Snapshots).toHaveLength(2);
    expect(fake.calls.map((c) => c.errorCode ?? 'ok')).toEqual(['UnauthorizedOperation', 'UnauthorizedOperation', 'ok']);
    expect(fake.calls.at(-1)!.requestId).toBe(ok.$metadata.requestId);
  });
});

describe('aws fake: EC2 faults', () => {
  it('throttles with RequestLimitExceeded (503); the SDK retries and succeeds', async () => {
    const rule = fake.faults.throttle({ action: 'DescribeInstances', times: 1 });
    const out = await ec2.send(new DescribeInstancesCommand({}));
    expect(out.Reservations).toHaveLength(2);
    expect(fake.faults.hits(rule)).toBe(1);
    expect(fake.calls.map((c) => [c.status, c.errorCode])).toEqual([
      [503, 'RequestLimitExceeded'],
      [200, undefined],
    ]);
  });

  it('fails with InternalError after the retries are spent', async () => {
    fake.faults.serverError({ service: 'ec2', times: 5 });
    const err = await awsError(fakeEc2(fake, { maxAttempts: 2 }).send(new DescribeVolumesCommand({})));
    expect(err).toMatchObject({ name: 'InternalError', status: 500 });
    expect(fake.calls).toHaveLength(2);
  });

  it('drops a connection and delays answers as told', async () => {
    fake.faults.dropConnection({ action: 'DescribeVolumes', times: 1, phase: 'before-response' });
    fake.faults.latency('DescribeVolumes', 150);
    const started = Date.now();
    const out = await ec2.send(new DescribeVolumesCommand({}));
    expect(out.Volumes).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(fake.calls.map((c) => c.errorCode ?? 'ok')).toEqual(['ConnectionDropped', 'ok']);
  });
});
