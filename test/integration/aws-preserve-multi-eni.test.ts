/**
 * Isolation of an instance with two network interfaces against the AWS fake: each interface changes
 * with its own ModifyNetworkInterfaceAttribute (DryRun first), restore puts each back, and a failure
 * on the second interface stops, says what changed, and leaves a restorable record.
 */
import { ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEc2 } from '../aws-fake/clients.js';
import { addMultiEniInstance } from '../aws-fake/fixtures.js';
import { FIXTURE, type AwsFake, type CallRecord } from '../aws-fake/index.js';
import type { Harness } from '../support/app-harness.js';
import { startAwsCase } from '../support/aws-case.js';

let fake: AwsFake;
let h: Harness;
let caseId: string;
let connectionId: string;
const region = 'us-east-1';
const instanceId = FIXTURE.multiEniInstanceId;
const ENI1 = FIXTURE.multiEniPrimaryId;
const ENI2 = FIXTURE.multiEniSecondaryId;
const ORIGINAL = { [ENI1]: [FIXTURE.webGroupId], [ENI2]: [FIXTURE.sshGroupId, FIXTURE.defaultGroupId] };
const MNIA = 'ModifyNetworkInterfaceAttribute';

beforeAll(async () => {
  ({ fake, h, caseId, connectionId } = await startAwsCase({ case: { number: 'IR-2026-9', title: 'Two interfaces' }, seed: (f) => addMultiEniInstance(f.state) }));
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

const groupsOf = (eni: string) => fake.state.networkInterfaces.get(eni)!.groupIds;
const events = async () => (await h.call('custody.list', { caseId })).events;
const realCalls = (action: string, from = 0): CallRecord[] => fake.calls.slice(from).filter((c) => c.action === action && !c.dryRun && c.status === 200);

/** Denies `action` right after its first successful real call is answered: a permission lost mid-way. */
function denyAfterFirstSuccess(action: string): void {
  const calls = fake.state.calls;
  const push = calls.push;
  calls.push = function (this: CallRecord[], ...recs: CallRecord[]): number {
    const n = push.apply(this, recs);
    if (recs.some((r) => r.action === action && !r.dryRun && r.status === 200)) {
      fake.state.policy.deny(`ec2:${action}`);
      calls.push = push;
    }
    return n;
  };
}

describe('isolation of a two-interface instance', () => {
  it('the fake refuses instance-level groups on it as EC2 does', async () => {
    const ec2 = fakeEc2(fake);
    try {
      const err = await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, Groups: [FIXTURE.defaultGroupId] })).catch((e: unknown) => e as Error & { name: string });
      expect(err).toMatchObject({ name: 'InvalidInstanceID', message: `There are multiple interfaces attached to instance '${instanceId}'. Please specify an interface ID for the operation instead.` });
    } finally {
      ec2.destroy();
    }
    expect(groupsOf(ENI1)).toEqual(ORIGINAL[ENI1]);
  });

  it('preflight DryRuns ModifyNetworkInterfaceAttribute once per interface', async () => {
    const from = fake.calls.length;
    const p = await h.call('aws.preflight', { caseId, connectionId, region, instanceId, actions: ['isolate'] });
    const isolate = p.results.find((r) => r.action === 'isolate')!;
    expect(isolate.outcome).toBe('allowed');
    expect(isolate.calls.map((c) => c.api)).toEqual(['ec2:CreateSecurityGroup', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:ModifyNetworkInterfaceAttribute']);
    const sent = fake.calls.slice(from).filter((c) => c.action === MNIA);
    expect(sent.map((c) => [c.params.NetworkInterfaceId, c.dryRun, c.errorCode])).toEqual([[ENI1, true, 'DryRunOperation'], [ENI2, true, 'DryRunOperation']]);
    fake.state.policy.deny(`ec2:${MNIA}`);
    try {
      const denied = await h.call('aws.preflight', { caseId, connectionId, region, instanceId, actions: ['isolate'] });
      expect(denied.results[0]!.outcome).toBe('denied');
      expect(denied.results[0]!.calls[1]).toMatchObject({ outcome: 'denied', missingPermission: `ec2:${MNIA}` });
    } finally {
      fake.state.policy.reset();
    }
  });

  it('changes nothing without confirm, or when the DryRun is denied', async () => {
    const from = fake.calls.length;
    const err = await h.fail('aws.preserve', { caseId, connectionId, region, instanceId, actions: { isolate: { create: true } } } as never);
    expect(err.code).toBe('INVALID_INPUT');
    expect(fake.calls.length).toBe(from);
    fake.state.policy.deny(`ec2:${MNIA}`);
    try {
      const r = await h.call('aws.preserve', { caseId, connectionId, region, instanceId, actions: { isolate: { create: true } }, confirm: true });
      expect(r.results[0]).toMatchObject({ action: 'isolate', outcome: 'denied', missingPermission: `ec2:${MNIA}` });
    } finally {
      fake.state.policy.reset();
    }
    expect(fake.calls.slice(from).filter((c) => !c.dryRun && !c.action.startsWith('Describe'))).toEqual([]);
    expect([...fake.state.securityGroups.values()].some((g) => g.groupName.startsWith('caseward-isolation'))).toBe(false);
    expect(groupsOf(ENI1)).toEqual(ORIGINAL[ENI1]);
    expect(groupsOf(ENI2)).toEqual(ORIGINAL[ENI2]);
  });

  it('isolates both interfaces, one recorded call each, and restores both', async () => {
    const from = fake.calls.length;
    const seqBefore = (await events()).length;
    const r = await h.call('aws.preserve', { caseId, connectionId, region, instanceId, actions: { isolate: { create: true } }, confirm: true });
    expect(r.results[0]!.outcome).toBe('done');
    const group = [...fake.state.securityGroups.values()].find((g) => g.groupName === 'caseward-isolation-IR-2026-9')!;
    expect(groupsOf(ENI1)).toEqual([group.groupId]);
    expect(groupsOf(ENI2)).toEqual([group.groupId]);
    expect(fake.state.instances.get(instanceId)!.securityGroupIds).toEqual([group.groupId]);

    // Each interface was DryRun before the first change, then changed by its own call.
    const mnia = fake.calls.slice(from).filter((c) => c.action === MNIA);
    expect(mnia.map((c) => [c.params.NetworkInterfaceId, c.dryRun])).toEqual([[ENI1, true], [ENI2, true], [ENI1, false], [ENI2, false]]);
    expect(mnia.slice(2).every((c) => c.params['SecurityGroupId.1'] === group.groupId && c.status === 200)).toBe(true);
    const real = fake.calls.slice(from).filter((c) => !c.dryRun && c.status === 200 && c.action !== 'DescribeInstances');
    const added = (await events()).slice(seqBefore);
    expect(added.map((e) => e.action)).toEqual(['aws.security-group-created', 'aws.egress-revoked', 'aws.isolated', 'aws.isolated']);
    expect(added.map((e) => e.details.requestId)).toEqual(real.map((c) => c.requestId));
    expect(r.results[0]!.calls.map((c) => c.requestId)).toEqual(real.map((c) => c.requestId));
    expect(added[2]!.details).toMatchObject({ api: `ec2:${MNIA}`, networkInterfaceId: ENI1, previousGroups: [{ networkInterfaceId: ENI1, groupIds: ORIGINAL[ENI1] }] });
    expect(added[3]!.details).toMatchObject({ networkInterfaceId: ENI2, previousGroups: [{ networkInterfaceId: ENI2, groupIds: ORIGINAL[ENI2] }] });
    expect(added[3]!.details.isolationId).toBe(added[2]!.details.isolationId);

    const at = fake.calls.length;
    const back = await h.call('aws.restoreGroups', { caseId, connectionId, region, instanceId, confirm: true });
    expect(back.outcome).toBe('done');
    expect(back.restored).toEqual([
      { networkInterfaceId: ENI1, before: [group.groupId], after: ORIGINAL[ENI1] },
      { networkInterfaceId: ENI2, before: [group.groupId], after: ORIGINAL[ENI2] },
    ]);
    expect(groupsOf(ENI1)).toEqual(ORIGINAL[ENI1]);
    expect(groupsOf(ENI2)).toEqual(ORIGINAL[ENI2]);
    const restoredCalls = realCalls(MNIA, at);
    expect(back.requestIds).toEqual(restoredCalls.map((c) => c.requestId));
    const restoredEvents = (await events()).filter((e) => e.action === 'aws.groups-restored');
    expect(restoredEvents.map((e) => e.details.requestId)).toEqual(restoredCalls.map((c) => c.requestId));
    expect(restoredEvents.map((e) => e.details.isolationEventSeq)).toEqual([added[2]!.seq, added[3]!.seq]);
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });

  it('stops when the second interface fails, says what changed, and restore undoes the first', async () => {
    const seqBefore = (await events()).length;
    denyAfterFirstSuccess(MNIA);
    let r;
    try {
      r = await h.call('aws.preserve', { caseId, connectionId, region, instanceId, actions: { isolate: { securityGroupId: FIXTURE.defaultGroupId } }, confirm: true });
    } finally {
      fake.state.policy.reset();
    }
    const result = r.results[0]!;
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain(`Now in ${FIXTURE.defaultGroupId} only: ${ENI1} (device 0)`);
    expect(result.message).toContain(`${ENI2} (device 1) was not changed`);
    expect(result.message).toMatch(/Restore groups/);
    expect(groupsOf(ENI1)).toEqual([FIXTURE.defaultGroupId]);
    expect(groupsOf(ENI2)).toEqual(ORIGINAL[ENI2]);

    const added = (await events()).slice(seqBefore);
    expect(added.map((e) => e.action)).toEqual(['aws.isolated', 'aws.isolation-incomplete']);
    const failedCall = fake.state.callsFor(MNIA).at(-1)!;
    expect(failedCall).toMatchObject({ dryRun: false, errorCode: 'UnauthorizedOperation' });
    expect(added[1]!.details).toMatchObject({
      requestId: failedCall.requestId,
      changed: [ENI1],
      failed: { networkInterfaceId: ENI2, stateUnknown: false },
      notAttempted: [],
    });

    const at = fake.calls.length;
    const back = await h.call('aws.restoreGroups', { caseId, connectionId, region, instanceId, confirm: true });
    expect(back.restored.map((x) => x.networkInterfaceId)).toEqual([ENI1]);
    expect(realCalls(MNIA, at).map((c) => c.params.NetworkInterfaceId)).toEqual([ENI1]);
    expect(groupsOf(ENI1)).toEqual(ORIGINAL[ENI1]);
    expect(groupsOf(ENI2)).toEqual(ORIGINAL[ENI2]);
  });

  it('a restore that fails on the second interface says which are back and records it', async () => {
    await h.call('aws.preserve', { caseId, connectionId, region, instanceId, actions: { isolate: { securityGroupId: FIXTURE.defaultGroupId } }, confirm: true });
    denyAfterFirstSuccess(MNIA);
    let err;
    try {
      err = await h.fail('aws.restoreGroups', { caseId, connectionId, region, instanceId, confirm: true });
    } finally {
      fake.state.policy.reset();
    }
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toContain(`Restoring the groups stopped at ${ENI2}`);
    expect(err.message).toContain(`Groups are back on ${ENI1}`);
    const ev = (await events()).at(-1)!;
    expect(ev.action).toBe('aws.restore-incomplete');
    expect(ev.details).toMatchObject({ restored: [ENI1], failed: { networkInterfaceId: ENI2 } });
    const again = await h.call('aws.restoreGroups', { caseId, connectionId, region, instanceId, confirm: true });
    expect(again.outcome).toBe('done');
    expect(groupsOf(ENI2)).toEqual(ORIGINAL[ENI2]);
  });
});
