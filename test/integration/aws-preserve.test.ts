/** aws.preserve / aws.restoreGroups against the AWS fake: DryRun first, confirmation, one custody event per call. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, type AwsFake } from '../aws-fake/index.js';
import type { Harness } from '../support/app-harness.js';
import { startAwsCase } from '../support/aws-case.js';

let fake: AwsFake;
let h: Harness;
let caseId: string;
let connectionId: string;
const region = 'us-east-1';
const instanceId = FIXTURE.webInstanceId;
const MUTATING = ['CreateTags', 'ModifyInstanceAttribute', 'CreateSecurityGroup', 'RevokeSecurityGroupEgress'];

beforeAll(async () => {
  ({ fake, h, caseId, connectionId } = await startAwsCase({ case: { number: 'IR-2026-7', title: 'AWS preservation' }, regions: [region] }));
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

const mutations = () => fake.calls.filter((c) => MUTATING.includes(c.action));
const events = async () => (await h.call('custody.list', { caseId })).events;

describe('aws.preserve', () => {
  it('refuses without confirm: INVALID_INPUT saying what would happen, and sends nothing', async () => {
    const before = fake.calls.length;
    const err = await h.fail('aws.preserve', { caseId, connectionId, region, instanceId, actions: { terminationProtection: true } } as never);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/changes the AWS account.*termination protection/);
    const err2 = await h.fail('aws.preserve', { caseId, connectionId, region, instanceId, actions: { tag: true }, confirm: false } as never);
    expect(err2.code).toBe('INVALID_INPUT');
    expect(fake.calls.length).toBe(before);
  });

  it('reports a DryRun denial naming ec2:ModifyInstanceAttribute and changes nothing', async () => {
    fake.state.policy.deny('ec2:ModifyInstanceAttribute');
    try {
      const r = await h.call('aws.preserve', { caseId, connectionId, region, instanceId, actions: { terminationProtection: true, deleteOnTerminationFalse: true }, confirm: true });
      expect(r.results.map((x) => [x.action, x.outcome, x.missingPermission])).toEqual([
        ['terminationProtection', 'denied', 'ec2:ModifyInstanceAttribute'],
        ['deleteOnTerminationFalse', 'denied', 'ec2:ModifyInstanceAttribute'],
      ]);
      expect(mutations().every((c) => c.dryRun)).toBe(true);
      expect(fake.state.instances.get(instanceId)!.disableApiTermination).toBe(false);
      expect(fake.state.instances.get(instanceId)!.blockDevices.some((b) => b.deleteOnTermination)).toBe(true);
      const denied = (await events()).filter((e) => e.action === 'aws.preserve-denied');
      expect(denied.map((e) => e.details.missingPermission)).toEqual(['ec2:ModifyInstanceAttribute', 'ec2:ModifyInstanceAttribute']);
    } finally {
      fake.state.policy.reset();
    }
  });

  it('applies all four actions, one custody event per AWS call with its request id', async () => {
    const originalGroups = [...fake.state.networkInterfaces.get(FIXTURE.webEniId)!.groupIds];
    const seqBefore = (await events()).length;
    const r = await h.call('aws.preserve', {
      caseId, connectionId, region, instanceId, confirm: true,
      actions: { tag: true, terminationProtection: true, deleteOnTerminationFalse: true, isolate: { create: true } },
    });
    expect(r.results.map((x) => [x.action, x.outcome])).toEqual([
      ['tag', 'done'], ['terminationProtection', 'done'], ['deleteOnTerminationFalse', 'done'], ['isolate', 'done'],
    ]);

    const inst = fake.state.instances.get(instanceId)!;
    expect(inst.tags).toEqual(expect.arrayContaining([{ key: 'CasewardCase', value: 'IR-2026-7' }, { key: 'CasewardEvidence', value: 'true' }]));
    for (const b of inst.blockDevices) expect(fake.state.volumes.get(b.volumeId)!.tags).toContainEqual({ key: 'CasewardCase', value: 'IR-2026-7' });
    expect(fake.state.networkInterfaces.get(FIXTURE.webEniId)!.tags).toContainEqual({ key: 'CasewardEvidence', value: 'true' });
    expect(inst.disableApiTermination).toBe(true);
    expect(inst.blockDevices.every((b) => b.deleteOnTermination === false)).toBe(true);
    const group = [...fake.state.securityGroups.values()].find((g) => g.groupName === 'caseward-isolation-IR-2026-7')!;
    expect(group.vpcId).toBe(FIXTURE.vpcId);
    expect(group.rules).toEqual([]);
    expect(inst.securityGroupIds).toEqual([group.groupId]);
    expect(fake.state.networkInterfaces.get(FIXTURE.webEniId)!.groupIds).toEqual([group.groupId]);

    // Every real (non-DryRun) call has exactly one custody event carrying the request id the fake logged.
    const real = mutations().filter((c) => !c.dryRun && c.status === 200);
    expect(real.map((c) => c.action)).toEqual(['CreateTags', 'ModifyInstanceAttribute', 'ModifyInstanceAttribute', 'CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'ModifyInstanceAttribute']);
    const added = (await events()).slice(seqBefore);
    expect(added.map((e) => e.action)).toEqual(['aws.tagged', 'aws.termination-protected', 'aws.delete-on-termination-disabled', 'aws.security-group-created', 'aws.egress-revoked', 'aws.isolated']);
    expect(added.map((e) => e.details.requestId)).toEqual(real.map((c) => c.requestId));
    expect(added[1]!.details).toMatchObject({ before: false, after: true });
    expect(added[2]!.details.before).toEqual({ [FIXTURE.webRootVolumeId]: true, [FIXTURE.webDataVolumeId]: true });
    expect(added[5]!.details.previousGroups).toEqual([{ networkInterfaceId: FIXTURE.webEniId, groupIds: originalGroups }]);
  });

  it('restoreGroups puts the recorded groups back and records aws.groups-restored', async () => {
    const err = await h.fail('aws.restoreGroups', { caseId, connectionId, region, instanceId } as never);
    expect(err.code).toBe('INVALID_INPUT');
    const r = await h.call('aws.restoreGroups', { caseId, connectionId, region, instanceId, confirm: true });
    expect(r.outcome).toBe('done');
    expect(fake.state.networkInterfaces.get(FIXTURE.webEniId)!.groupIds).toEqual([FIXTURE.webGroupId, FIXTURE.sshGroupId]);
    expect(fake.state.instances.get(instanceId)!.securityGroupIds).toEqual([FIXTURE.webGroupId, FIXTURE.sshGroupId]);
    const ev = (await events()).filter((e) => e.action === 'aws.groups-restored').at(-1)!;
    expect(ev.details.requestId).toBe(fake.state.callsFor('ModifyInstanceAttribute').at(-1)!.requestId);
    expect(r.restored[0]!.after).toEqual([FIXTURE.webGroupId, FIXTURE.sshGroupId]);
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });

  it('isolates into an existing group and refuses a restore with no isolation recorded', async () => {
    const other = await h.fail('aws.restoreGroups', { caseId, connectionId, region, instanceId: FIXTURE.dbInstanceId, confirm: true });
    expect(other.code).toBe('NOT_FOUND');
    const r = await h.call('aws.preserve', { caseId, connectionId, region, instanceId, actions: { isolate: { securityGroupId: FIXTURE.defaultGroupId } }, confirm: true });
    expect(r.results[0]!.outcome).toBe('done');
    expect(fake.state.networkInterfaces.get(FIXTURE.webEniId)!.groupIds).toEqual([FIXTURE.defaultGroupId]);
    await h.call('aws.restoreGroups', { caseId, connectionId, region, instanceId, confirm: true });
    expect(fake.state.networkInterfaces.get(FIXTURE.webEniId)!.groupIds).toEqual([FIXTURE.webGroupId, FIXTURE.sshGroupId]);
  });
});
