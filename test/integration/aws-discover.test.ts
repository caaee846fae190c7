/**
 * aws.discover and aws.instance against the fake's seeded account, compared field by field with
 * fake.state; paging, caps, filters, per-part IAM denial, custody, and the CLI door.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsInstanceSummary } from '../../shared/contract-aws.js';
import { FIXTURE, FORENSIC_ACCOUNT_ID, TEST_SECRET_ACCESS_KEY, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import type { Harness } from '../support/app-harness.js';
import { startAwsCase } from '../support/aws-case.js';
import { ensureCliBundle, runCli } from '../support/cli-bundle.js';

let fake: AwsFake;
let h: Harness;
let caseId: string;
let connectionId: string;

beforeAll(async () => {
  ({ fake, h, caseId, connectionId } = await startAwsCase({
    fake: { region: 'us-east-1' },
    case: { number: 'AWS-2', title: 'AWS discover' },
    regions: ['us-east-1', 'eu-west-1'],
    seed: (f) => {
      // A public snapshot of another account: visible to DescribeSnapshots, but not this account's evidence.
      const foreign = f.state.createSnapshot({ snapshotId: 'snap-0f0f0f0f0f0f0f0f0', ownerId: FORENSIC_ACCOUNT_ID, region: 'us-east-1', volumeId: 'vol-0f0f0f0f0f0f0f0f0', volumeSizeGiB: 1, description: 'public', encrypted: false, tags: [] });
      f.state.completeSnapshot(foreign.snapshotId);
      foreign.createVolumePermission.add('all');
    },
  }));
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

describe('aws.discover', () => {
  it('lists the instances, volumes and owned snapshots with the fields an examiner needs', async () => {
    const d = await h.call('aws.discover', { caseId, connectionId, kinds: ['instances', 'volumes', 'snapshots'] });
    expect(d.account).toBe(VICTIM_ACCOUNT_ID);
    expect(d.regions.map((r) => r.region)).toEqual(['us-east-1', 'eu-west-1']);
    const [use1, euw1] = d.regions as [(typeof d.regions)[0], (typeof d.regions)[0]];
    expect(euw1.instances!.items).toEqual([]);
    expect(use1.errors).toEqual([]);

    const instances = use1.instances!.items;
    expect(instances.map((i) => i.instanceId).sort()).toEqual([...fake.state.instances.keys()].sort());
    for (const i of instances) {
      const f = fake.state.instances.get(i.instanceId)!;
      expect(i).toEqual<AwsInstanceSummary>({
        instanceId: f.instanceId,
        name: f.tags.find((t) => t.key === 'Name')!.value,
        tags: f.tags,
        state: f.state,
        instanceType: f.instanceType,
        availabilityZone: f.availabilityZone,
        launchTime: f.launchTime.toISOString(),
        privateIpAddress: f.privateIpAddress,
        publicIpAddress: f.publicIpAddress ?? null,
        securityGroups: f.securityGroupIds.map((g) => ({ groupId: g, groupName: fake.state.securityGroups.get(g)!.groupName })),
        iamInstanceProfileArn: f.iamInstanceProfile?.arn ?? null,
        volumes: f.blockDevices.map((b) => ({ volumeId: b.volumeId, deviceName: b.deviceName, deleteOnTermination: b.deleteOnTermination })),
      });
    }
    expect(instances.find((i) => i.instanceId === FIXTURE.webInstanceId)!.iamInstanceProfileArn).toContain(FIXTURE.instanceProfileName);

    const volumes = use1.volumes!.items;
    expect(volumes.map((v) => v.volumeId).sort()).toEqual([...fake.state.volumes.keys()].sort());
    for (const v of volumes) {
      const f = fake.state.volumes.get(v.volumeId)!;
      expect(v).toMatchObject({ sizeGiB: f.sizeGiB, volumeType: f.volumeType, encrypted: f.encrypted, kmsKeyId: f.kmsKeyId ?? null, availabilityZone: f.availabilityZone, state: 'in-use' });
      const owner = [...fake.state.instances.values()].find((i) => i.blockDevices.some((b) => b.volumeId === v.volumeId))!;
      expect(v.attachments).toEqual([{ instanceId: owner.instanceId, device: owner.blockDevices.find((b) => b.volumeId === v.volumeId)!.deviceName, state: 'attached', deleteOnTermination: true }]);
    }
    expect(volumes.find((v) => v.volumeId === FIXTURE.webRootVolumeId)!.kmsKeyId).toContain(FIXTURE.cmkKeyId);

    const snapshots = use1.snapshots!.items;
    expect(snapshots.map((s) => s.snapshotId).sort()).toEqual([FIXTURE.completedSnapshotId, FIXTURE.pendingSnapshotId].sort());
    for (const s of snapshots) {
      const f = fake.state.snapshots.get(s.snapshotId)!;
      expect(s).toMatchObject({ volumeId: f.volumeId, state: f.state, progress: `${f.progress}%`, startTime: f.startTime.toISOString(), encrypted: f.encrypted, kmsKeyId: f.kmsKeyId ?? null, description: f.description, tags: f.tags, ownerId: VICTIM_ACCOUNT_ID });
    }
    expect(snapshots.find((s) => s.snapshotId === FIXTURE.pendingSnapshotId)).toMatchObject({ state: 'pending', progress: '42%' });

    // One custody event with the counts and every request id the fake logged for this call, not the listing.
    const ev = (await h.call('custody.list', { caseId })).events.filter((e) => e.action === 'aws.discovered').at(-1)!;
    const describeIds = ['DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots'].flatMap((a) => fake.state.callsFor(a).map((c) => c.requestId));
    expect((ev.details.requestIds as string[]).sort()).toEqual(describeIds.sort());
    expect(ev.details.requestIds).toHaveLength(6);
    expect(ev.details.counts).toEqual([
      { region: 'us-east-1', instances: { count: 2, truncated: false, pages: 1 }, volumes: { count: 3, truncated: false, pages: 1 }, snapshots: { count: 2, truncated: false, pages: 1 }, errors: [] },
      { region: 'eu-west-1', instances: { count: 0, truncated: false, pages: 1 }, volumes: { count: 0, truncated: false, pages: 1 }, snapshots: { count: 0, truncated: false, pages: 1 }, errors: [] },
    ]);
    expect(JSON.stringify(ev.details)).not.toContain('10.0.1.10');
    // Read-only: nothing but Describe calls and the STS identity check reached AWS.
    expect(new Set(fake.calls.map((c) => c.action))).toEqual(new Set(['GetCallerIdentity', 'DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots']));
  });

  it('pages through every page, caps with a truncated flag, and filters by text and tag', async () => {
    const web = fake.state.instances.get(FIXTURE.webInstanceId)!;
    for (let n = 0; n < 20; n++) {
      const id = `i-0b${n.toString(16).padStart(15, '0')}`;
      const tags = [{ key: 'Name', value: n % 3 === 0 ? `batch-match-${n}` : `batch-${n}` }, { key: 'team', value: n % 2 ? 'odd' : 'even' }];
      fake.state.instances.set(id, { ...web, instanceId: id, reservationId: `r-0b${n.toString(16).padStart(15, '0')}`, tags, blockDevices: [] });
    }
    const matching = 7; // n = 0, 3, …, 18
    const all = await h.call('aws.discover', { caseId, connectionId, regions: ['us-east-1'], kinds: ['instances'], filter: { text: 'BATCH-MATCH' } });
    expect(all.regions[0]!.instances!.items).toHaveLength(matching);
    expect(all.regions[0]!.instances!.truncated).toBe(false);

    const before = fake.state.callsFor('DescribeInstances').length;
    const capped = await h.call('aws.discover', { caseId, connectionId, regions: ['us-east-1'], kinds: ['instances'], filter: { text: 'batch-match' }, limit: 5 });
    const listing = capped.regions[0]!.instances!;
    expect(listing.items.map((i) => i.name)).toEqual(['batch-match-0', 'batch-match-3', 'batch-match-6', 'batch-match-9', 'batch-match-12']);
    expect(listing.truncated).toBe(true);
    const calls = fake.state.callsFor('DescribeInstances').slice(before);
    expect(calls.length).toBe(listing.pages);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((c) => c.params.MaxResults === '5')).toBe(true);
    expect(calls.slice(1).every((c) => Boolean(c.params.NextToken))).toBe(true);

    const exact = await h.call('aws.discover', { caseId, connectionId, regions: ['us-east-1'], kinds: ['instances'], limit: 22 });
    expect(exact.regions[0]!.instances!).toMatchObject({ truncated: false });
    expect(exact.regions[0]!.instances!.items).toHaveLength(22);
    const over = await h.call('aws.discover', { caseId, connectionId, regions: ['us-east-1'], kinds: ['instances'], limit: 21 });
    expect(over.regions[0]!.instances!).toMatchObject({ truncated: true });

    const odd = await h.call('aws.discover', { caseId, connectionId, regions: ['us-east-1'], kinds: ['instances'], filter: { tag: { key: 'team', value: 'odd' } } });
    expect(odd.regions[0]!.instances!.items).toHaveLength(10);
    expect(fake.state.callsFor('DescribeInstances').at(-1)!.params).toMatchObject({ 'Filter.1.Name': 'tag:team', 'Filter.1.Value.1': 'odd' });
    const prod = await h.call('aws.discover', { caseId, connectionId, regions: ['us-east-1'], kinds: ['volumes'], filter: { text: 'web-1-data' } });
    expect(prod.regions[0]!.volumes!.items.map((v) => v.volumeId)).toEqual([FIXTURE.webDataVolumeId]);
    for (let n = 0; n < 20; n++) fake.state.instances.delete(`i-0b${n.toString(16).padStart(15, '0')}`);
  });

  it('reports a denied kind in place and refuses a region outside the connection', async () => {
    fake.state.policy.deny('ec2:DescribeSnapshots');
    try {
      const d = await h.call('aws.discover', { caseId, connectionId, regions: ['us-east-1'], kinds: ['instances', 'snapshots'] });
      expect(d.regions[0]!.instances!.items).toHaveLength(2);
      expect(d.regions[0]!.snapshots).toBeUndefined();
      expect(d.regions[0]!.errors).toEqual([{ kind: 'snapshots', code: 'FORBIDDEN', message: expect.stringContaining('ec2:DescribeSnapshots') }]);
    } finally {
      fake.state.policy.reset();
    }
    expect((await h.fail('aws.discover', { caseId, connectionId, regions: ['ap-south-1'], kinds: ['instances'] })).code).toBe('INVALID_INPUT');
  });
});

describe('aws.instance', () => {
  it('returns everything about one instance: attributes, user data, volumes, groups, interfaces, IAM', async () => {
    const d = await h.call('aws.instance', { caseId, connectionId, region: 'us-east-1', instanceId: FIXTURE.webInstanceId });
    expect(d.summary.name).toBe('web-1');
    expect(d.describe).toMatchObject({ InstanceId: FIXTURE.webInstanceId, KeyName: 'ops-2024', LaunchTime: FIXTURE.launchTime.toISOString() });
    expect(d.attributes).toEqual({
      ok: true,
      value: {
        disableApiTermination: false,
        instanceInitiatedShutdownBehavior: 'stop',
        userData: { text: FIXTURE.userData, sha256: createHash('sha256').update(FIXTURE.userData).digest('hex'), bytes: Buffer.byteLength(FIXTURE.userData) },
      },
    });
    expect(d.volumes.ok && d.volumes.value.map((v) => v.volumeId).sort()).toEqual([FIXTURE.webRootVolumeId, FIXTURE.webDataVolumeId].sort());
    expect(d.securityGroups.ok && d.securityGroups.value.map((g) => g.GroupId).sort()).toEqual([FIXTURE.webGroupId, FIXTURE.sshGroupId].sort());
    expect(JSON.stringify(d.securityGroups)).toContain('203.0.113.0/24');
    expect(d.networkInterfaces.ok && d.networkInterfaces.value.map((n) => n.NetworkInterfaceId)).toEqual([FIXTURE.webEniId]);
    expect(d.iam?.ok).toBe(true);
    const role = d.iam!.ok ? d.iam!.value.roles[0]! : null;
    expect(role!.roleName).toBe(FIXTURE.roleName);
    expect(role!.attachedPolicies.ok && role!.attachedPolicies.value.map((p) => p.policyArn).sort()).toEqual([FIXTURE.awsPolicyArn, FIXTURE.customerPolicyArn].sort());
    expect(JSON.stringify(role!.attachedPolicies)).toContain('arn:aws:s3:::finance-exports/*');
    expect(role!.inlinePolicies).toEqual({ ok: true, value: [{ policyName: 'inline-logs', document: expect.objectContaining({ Version: '2012-10-17' }) }] });

    const ev = (await h.call('custody.list', { caseId })).events.filter((e) => e.action === 'aws.instance.described').at(-1)!;
    expect(ev.details).toMatchObject({ instanceId: FIXTURE.webInstanceId, region: 'us-east-1', userDataSha256: createHash('sha256').update(FIXTURE.userData).digest('hex'), failedParts: [] });
    const logged = new Set(fake.calls.map((c) => c.requestId));
    expect((ev.details.requestIds as string[]).every((id) => logged.has(id))).toBe(true);
    expect(ev.details.requestIds).toEqual(d.requestIds);
  });

  it('reports IAM denied per item without failing, and an unknown instance as NOT_FOUND', async () => {
    fake.state.policy.deny('iam:*');
    try {
      const d = await h.call('aws.instance', { caseId, connectionId, region: 'us-east-1', instanceId: FIXTURE.webInstanceId });
      expect(d.attributes.ok && d.volumes.ok && d.securityGroups.ok).toBe(true);
      expect(d.iam).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('iam:GetInstanceProfile') });
    } finally {
      fake.state.policy.reset();
    }
    const db = await h.call('aws.instance', { caseId, connectionId, region: 'us-east-1', instanceId: FIXTURE.dbInstanceId });
    expect(db.attributes.ok && db.attributes.value).toMatchObject({ disableApiTermination: true, userData: null });
    expect(db.iam).toBeNull();
    expect((await h.fail('aws.instance', { caseId, connectionId, region: 'us-east-1', instanceId: 'i-0123456789abcdef0' })).code).toBe('NOT_FOUND');
  });
});

describe('CLI', () => {
  it('aws-discover connects and discovers in one process and prints the fixture instance ids', async () => {
    ensureCliBundle();
    const ws = { userData: path.join(h.root, 'cli-user'), casesDir: path.join(h.root, 'cli-cases') };
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR']);
    const folder = path.join(h.root, 'cli-case');
    await runCli(ws, ['create', '--number', 'CLI-AWS', '--title', 'CLI discover', '--path', folder]);
    const out = await runCli(ws, ['aws-discover', folder, '--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint]);
    expect(out).toContain(FIXTURE.webInstanceId);
    expect(out).toContain(FIXTURE.dbInstanceId);
    expect(out).toContain(FIXTURE.completedSnapshotId);
    const json = JSON.parse(await runCli(ws, ['aws-discover', folder, '--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint, '--kinds', 'volumes', '--json']));
    expect(json.regions[0].volumes.items).toHaveLength(3);
    expect(json.regions[0].instances).toBeUndefined();
    const inst = await runCli(ws, ['aws-instance', folder, '--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint, '--instance', FIXTURE.webInstanceId]);
    expect(inst).toContain('deployed by pipeline');
    const custody = await runCli(ws, ['custody', folder]);
    expect(custody).toContain('aws.connected');
    expect(custody).toContain('aws.discovered');
    expect(custody).not.toContain(TEST_SECRET_ACCESS_KEY);
  });
});
