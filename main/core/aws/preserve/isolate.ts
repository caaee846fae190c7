/**
 * The `isolate` preservation action: every network interface of the instance gets one isolation
 * group. A single-interface instance takes one ModifyInstanceAttribute; with more interfaces EC2
 * refuses that call (InvalidInstanceID, "multiple interfaces attached"), so each interface takes its
 * own ModifyNetworkInterfaceAttribute, all DryRun first, then one by one, each recorded.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateSecurityGroupCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type CreateSecurityGroupCommandOutput,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { AwsPreserveActionResult } from '../../../../shared/contract-aws-preserve.js';
import { AppError } from '../../../../shared/errors.js';
import { send, type Ec2Command } from './guarded-call.js';
import { allowed, caseTags, enis, failedRequestId, record, type Ctx, type Eni } from './preserve-kit.js';

type Calls = AwsPreserveActionResult['calls'];

const MNIA = 'ec2:ModifyNetworkInterfaceAttribute';

/** ModifyNetworkInterfaceAttribute replacing one interface's groups. */
export function modifyInterface(networkInterfaceId: string, groupIds: string[]): Ec2Command {
  return (DryRun) => new ModifyNetworkInterfaceAttributeCommand({ DryRun, NetworkInterfaceId: networkInterfaceId, Groups: groupIds });
}

/** EC2 group names allow a limited character set; the case number is folded into it. */
function isolationGroupName(caseNumber: string): string {
  return `caseward-isolation-${caseNumber.replace(/[^A-Za-z0-9._-]/g, '-')}`.slice(0, 255);
}

/** "eni-… (device 1)" */
function label(n: Eni): string {
  return `${n.networkInterfaceId} (device ${n.deviceIndex})`;
}

/** Creates the isolation group and strips its default egress rule, or says why the group is unusable. */
async function createGroup(c: Ctx, inst: Instance, caseNumber: string, create: Ec2Command, calls: Calls): Promise<{ groupId: string } | { failed: string }> {
  const name = isolationGroupName(caseNumber);
  const made = await send<CreateSecurityGroupCommandOutput>(c.ec2, 'ec2:CreateSecurityGroup', create, c.conn.info.endpoint);
  const groupId = made.out.GroupId!;
  record(c, 'aws.security-group-created', { api: 'ec2:CreateSecurityGroup', requestId: made.requestId, groupId, groupName: name, vpcId: inst.VpcId ?? null, before: null, after: { groupId, rules: 'default allow-all egress' } });
  calls.push({ api: 'ec2:CreateSecurityGroup', requestId: made.requestId, before: null, after: groupId });
  const revoke: Ec2Command = (DryRun) => new RevokeSecurityGroupEgressCommand({ DryRun, GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
  try {
    const r = await send(c.ec2, 'ec2:RevokeSecurityGroupEgress', revoke, c.conn.info.endpoint);
    record(c, 'aws.egress-revoked', { api: 'ec2:RevokeSecurityGroupEgress', requestId: r.requestId, groupId, before: { egress: ['-1 0.0.0.0/0'] }, after: { egress: [] } });
    calls.push({ api: 'ec2:RevokeSecurityGroupEgress', requestId: r.requestId, before: ['-1 0.0.0.0/0'], after: [] });
    return { groupId };
  } catch (err) {
    // A group that still allows egress is not isolation: it is left unattached and said so.
    return { failed: `Created ${groupId} but could not remove its default egress rule, so it was not attached: ${(err as Error).message}` };
  }
}

/** Isolates the instance: the chosen (or a new, rule-less) group replaces every interface's groups. */
export async function isolate(c: Ctx, inst: Instance, caseNumber: string, how: { securityGroupId: string } | { create: true }): Promise<AwsPreserveActionResult> {
  const nics = enis(inst);
  if (nics.length === 0) return { action: 'isolate', outcome: 'failed', message: 'The instance has no network interface to isolate (nothing was changed)', calls: [] };
  const foreign = nics.filter((n) => n.vpcId && inst.VpcId && n.vpcId !== inst.VpcId);
  if (foreign.length > 0) {
    // A security group belongs to one VPC, so one group cannot cover an interface attached from another.
    const which = foreign.map((n) => `${label(n)} in ${n.vpcId}`).join(', ');
    return { action: 'isolate', outcome: 'failed', message: `Interfaces ${which} are not in the instance's VPC ${inst.VpcId}; one isolation group cannot cover them. Nothing was changed`, calls: [] };
  }
  const perInterface = nics.length > 1;
  const modifyInstance = (groupId: string): Ec2Command => (DryRun) => new ModifyInstanceAttributeCommand({ DryRun, InstanceId: c.instanceId, Groups: [groupId] });
  // Before a new group exists, the modify DryRuns name a current group of each interface.
  const probe = (n: Eni): string => ('create' in how ? (n.groupIds[0] ?? 'sg-00000000') : how.securityGroupId);
  const create: Ec2Command = (DryRun) =>
    new CreateSecurityGroupCommand({
      DryRun,
      GroupName: isolationGroupName(caseNumber),
      Description: `Caseward isolation for case ${caseNumber}: no inbound or outbound rules`,
      VpcId: inst.VpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: caseTags(caseNumber) }],
    });
  const checks: [string, Ec2Command][] = 'create' in how ? [['ec2:CreateSecurityGroup', create]] : [];
  if (perInterface) for (const n of nics) checks.push([MNIA, modifyInterface(n.networkInterfaceId, [probe(n)])]);
  else checks.push(['ec2:ModifyInstanceAttribute', modifyInstance(probe(nics[0]!))]);
  const denied = await allowed(c, 'isolate', checks);
  if (denied) return denied;

  const calls: Calls = [];
  let groupId: string;
  if ('create' in how) {
    const made = await createGroup(c, inst, caseNumber, create, calls);
    if ('failed' in made) return { action: 'isolate', outcome: 'failed', message: made.failed, calls };
    groupId = made.groupId;
  } else {
    groupId = how.securityGroupId;
  }
  if (perInterface) return isolateEach(c, nics, groupId, calls);

  const previousGroups = nics.map((n) => ({ networkInterfaceId: n.networkInterfaceId, groupIds: n.groupIds }));
  const m = await send(c.ec2, 'ec2:ModifyInstanceAttribute', modifyInstance(groupId), c.conn.info.endpoint);
  record(c, 'aws.isolated', { api: 'ec2:ModifyInstanceAttribute', requestId: m.requestId, groupId, previousGroups, before: previousGroups, after: nics.map((n) => ({ networkInterfaceId: n.networkInterfaceId, groupIds: [groupId] })) });
  calls.push({ api: 'ec2:ModifyInstanceAttribute', requestId: m.requestId, before: previousGroups, after: [groupId] });
  return { action: 'isolate', outcome: 'done', calls };
}

/**
 * One ModifyNetworkInterfaceAttribute per interface, in device order, each its own `aws.isolated`
 * event sharing an isolationId (restoreGroups undoes the whole set). The first failure stops the
 * loop: what changed and what did not is recorded and told, since the instance is then half-isolated.
 */
async function isolateEach(c: Ctx, nics: Eni[], groupId: string, calls: Calls): Promise<AwsPreserveActionResult> {
  const isolationId = randomUUID();
  const changed: Eni[] = [];
  for (const [i, n] of nics.entries()) {
    const previousGroups = [{ networkInterfaceId: n.networkInterfaceId, groupIds: n.groupIds }];
    try {
      const m = await send(c.ec2, MNIA, modifyInterface(n.networkInterfaceId, [groupId]), c.conn.info.endpoint);
      record(c, 'aws.isolated', {
        api: MNIA, requestId: m.requestId, isolationId, groupId, networkInterfaceId: n.networkInterfaceId, deviceIndex: n.deviceIndex,
        interface: `${i + 1} of ${nics.length}`, previousGroups, before: previousGroups, after: [{ networkInterfaceId: n.networkInterfaceId, groupIds: [groupId] }],
      });
      calls.push({ api: MNIA, requestId: m.requestId, before: previousGroups, after: [{ networkInterfaceId: n.networkInterfaceId, groupIds: [groupId] }] });
      changed.push(n);
    } catch (err) {
      const rest = nics.slice(i + 1);
      // Without an answer, AWS may or may not have applied the change.
      const unknown = err instanceof AppError && err.code === 'AWS_UNREACHABLE';
      record(c, 'aws.isolation-incomplete', {
        api: MNIA, requestId: failedRequestId(err), isolationId, groupId,
        changed: changed.map((x) => x.networkInterfaceId),
        failed: { networkInterfaceId: n.networkInterfaceId, stateUnknown: unknown, error: (err as Error).message },
        notAttempted: rest.map((x) => x.networkInterfaceId),
      });
      const done = changed.length > 0 ? `Now in ${groupId} only: ${changed.map(label).join(', ')}.` : 'No interface was changed.';
      const failedText = unknown ? `${label(n)} may or may not have changed (AWS did not answer; check it with DescribeNetworkInterfaces)` : `${label(n)} was not changed`;
      const untouched = rest.length > 0 ? ` Not attempted (unchanged): ${rest.map(label).join(', ')}.` : '';
      const undo = changed.length > 0 ? ' The instance is only partly isolated. To undo, run Restore groups: it puts back the groups recorded for the changed interfaces.' : '';
      return { action: 'isolate', outcome: 'failed', message: `Isolation stopped at ${label(n)}: ${(err as Error).message} ${done} ${failedText}.${untouched}${undo}`, calls };
    }
  }
  return { action: 'isolate', outcome: 'done', calls };
}
