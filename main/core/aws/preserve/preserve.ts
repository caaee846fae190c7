/**
 * aws.preserve and aws.restoreGroups: tag, protect and isolate an instance. Each action DryRuns its
 * calls before the first change, so a denied permission is reported and nothing is half-done by
 * it; each real call is one custody event with its request id and what changed (before → after).
 */
import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type CreateSecurityGroupCommandOutput,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { AwsPreserveActionResult, AwsPreserveResult, AwsRestoreGroupsResult } from '../../../../shared/contract-aws-preserve.js';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent, listEvents } from '../../custody/custody.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import { checkRegion, ec2Client, getConnection, type LiveConnection } from '../connect/connections.js';
import { dryRun, send, type Ec2Command } from './guarded-call.js';

/** What to preserve. */
export interface PreserveRequest {
  caseId: string;
  connectionId: string;
  region: string;
  instanceId: string;
  actions: { tag?: boolean; terminationProtection?: boolean; deleteOnTerminationFalse?: boolean; isolate?: { securityGroupId: string } | { create: true } };
}

/** The tags that mark a resource as evidence of a case. */
export function caseTags(caseNumber: string): { Key: string; Value: string }[] {
  return [
    { Key: 'CasewardCase', Value: caseNumber },
    { Key: 'CasewardEvidence', Value: 'true' },
  ];
}

interface Ctx {
  ws: Workstation;
  conn: LiveConnection;
  ec2: EC2Client;
  caseId: string;
  region: string;
  instanceId: string;
}

/** Records one AWS call in custody. */
function record(c: Ctx, action: string, details: Record<string, unknown>): void {
  appendEvent(c.ws.get(c.caseId).session.db, c.ws.actor(), {
    action,
    details: { connectionId: c.conn.info.connectionId, account: c.conn.info.account, region: c.region, instanceId: c.instanceId, ...details },
  });
}

/** The instance's DescribeInstances record. */
export async function describe(c: Ctx): Promise<Instance> {
  let out;
  try {
    out = await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [c.instanceId] }));
  } catch (err) {
    throw mapAwsError(err, `EC2 DescribeInstances ${c.instanceId} in ${c.region}`, { endpoint: c.conn.info.endpoint });
  }
  const inst = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === c.instanceId);
  if (!inst) throw new AppError('NOT_FOUND', `Instance ${c.instanceId} was not found in ${c.region}`);
  return inst;
}

/** DryRuns every call of an action; the first denial ends the action with nothing changed. */
async function allowed(c: Ctx, action: AwsPreserveActionResult['action'], calls: [string, Ec2Command][]): Promise<AwsPreserveActionResult | null> {
  for (const [api, make] of calls) {
    const d = await dryRun(c.ec2, api, make, c.conn.info.endpoint);
    if (!d.allowed) {
      record(c, 'aws.preserve-denied', { preserveAction: action, api, missingPermission: d.missingPermission, requestId: d.requestId });
      return { action, outcome: 'denied', missingPermission: d.missingPermission, message: `AWS denied ${api} (DryRun); nothing was changed for '${action}'. ${d.message}`, calls: [] };
    }
  }
  return null;
}

function enis(inst: Instance): { networkInterfaceId: string; deviceIndex: number; groupIds: string[] }[] {
  return (inst.NetworkInterfaces ?? []).map((n) => ({
    networkInterfaceId: n.NetworkInterfaceId ?? '',
    deviceIndex: n.Attachment?.DeviceIndex ?? 0,
    groupIds: (n.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
  }));
}

async function tag(c: Ctx, inst: Instance, caseNumber: string): Promise<AwsPreserveActionResult> {
  const volumes = (inst.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId).filter((v): v is string => !!v);
  const resources = [c.instanceId, ...volumes, ...enis(inst).map((e) => e.networkInterfaceId)];
  const tags = caseTags(caseNumber);
  const make: Ec2Command = (DryRun) => new CreateTagsCommand({ DryRun, Resources: resources, Tags: tags });
  const denied = await allowed(c, 'tag', [['ec2:CreateTags', make]]);
  if (denied) return denied;
  const before = Object.fromEntries(tags.map((t) => [t.Key, inst.Tags?.find((x) => x.Key === t.Key)?.Value ?? null]));
  const after = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  const { requestId } = await send(c.ec2, 'ec2:CreateTags', make, c.conn.info.endpoint);
  record(c, 'aws.tagged', { api: 'ec2:CreateTags', requestId, resources, before: { instance: before }, after });
  return { action: 'tag', outcome: 'done', calls: [{ api: 'ec2:CreateTags', requestId, before, after }] };
}

async function protect(c: Ctx): Promise<AwsPreserveActionResult> {
  const make: Ec2Command = (DryRun) => new ModifyInstanceAttributeCommand({ DryRun, InstanceId: c.instanceId, DisableApiTermination: { Value: true } });
  const denied = await allowed(c, 'terminationProtection', [['ec2:ModifyInstanceAttribute', make]]);
  if (denied) return denied;
  let before: boolean | null = null;
  try {
    const a = await c.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: c.instanceId, Attribute: 'disableApiTermination' }));
    before = a.DisableApiTermination?.Value ?? null;
  } catch {
    // Reading the old value is for the record only; not knowing it must not stop the protection.
  }
  const { requestId } = await send(c.ec2, 'ec2:ModifyInstanceAttribute', make, c.conn.info.endpoint);
  record(c, 'aws.termination-protected', { api: 'ec2:ModifyInstanceAttribute', requestId, attribute: 'disableApiTermination', before, after: true });
  return { action: 'terminationProtection', outcome: 'done', calls: [{ api: 'ec2:ModifyInstanceAttribute', requestId, before, after: true }] };
}

async function keepVolumes(c: Ctx, inst: Instance): Promise<AwsPreserveActionResult> {
  const ebs = (inst.BlockDeviceMappings ?? []).filter((b) => b.Ebs?.VolumeId && b.DeviceName);
  if (ebs.length === 0) return { action: 'deleteOnTerminationFalse', outcome: 'done', message: 'The instance has no attached EBS volume', calls: [] };
  const make: Ec2Command = (DryRun) =>
    new ModifyInstanceAttributeCommand({ DryRun, InstanceId: c.instanceId, BlockDeviceMappings: ebs.map((b) => ({ DeviceName: b.DeviceName, Ebs: { DeleteOnTermination: false } })) });
  const denied = await allowed(c, 'deleteOnTerminationFalse', [['ec2:ModifyInstanceAttribute', make]]);
  if (denied) return denied;
  const before = Object.fromEntries(ebs.map((b) => [b.Ebs!.VolumeId!, b.Ebs!.DeleteOnTermination ?? null]));
  const after = Object.fromEntries(ebs.map((b) => [b.Ebs!.VolumeId!, false]));
  const { requestId } = await send(c.ec2, 'ec2:ModifyInstanceAttribute', make, c.conn.info.endpoint);
  record(c, 'aws.delete-on-termination-disabled', { api: 'ec2:ModifyInstanceAttribute', requestId, devices: ebs.map((b) => ({ deviceName: b.DeviceName, volumeId: b.Ebs!.VolumeId })), before, after });
  return { action: 'deleteOnTerminationFalse', outcome: 'done', calls: [{ api: 'ec2:ModifyInstanceAttribute', requestId, before, after }] };
}

/** EC2 group names allow a limited character set; the case number is folded into it. */
function isolationGroupName(caseNumber: string): string {
  return `caseward-isolation-${caseNumber.replace(/[^A-Za-z0-9._-]/g, '-')}`.slice(0, 255);
}

async function isolate(c: Ctx, inst: Instance, caseNumber: string, how: { securityGroupId: string } | { create: true }): Promise<AwsPreserveActionResult> {
  const nics = enis(inst);
  if (nics.length !== 1) {
    // ModifyInstanceAttribute's groups apply to the primary interface only; isolating half an instance is no isolation.
    return { action: 'isolate', outcome: 'failed', message: `The instance has ${nics.length} network interfaces; Caseward isolates single-interface instances only (nothing was changed)`, calls: [] };
  }
  const previousGroups = nics.map((n) => ({ networkInterfaceId: n.networkInterfaceId, groupIds: n.groupIds }));
  const modify = (groupId: string): Ec2Command => (DryRun) => new ModifyInstanceAttributeCommand({ DryRun, InstanceId: c.instanceId, Groups: [groupId] });
  const calls: AwsPreserveActionResult['calls'] = [];
  let groupId: string;
  if ('create' in how) {
    const name = isolationGroupName(caseNumber);
    const create: Ec2Command = (DryRun) =>
      new CreateSecurityGroupCommand({
        DryRun,
        GroupName: name,
        Description: `Caseward isolation for case ${caseNumber}: no inbound or outbound rules`,
        VpcId: inst.VpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: caseTags(caseNumber) }],
      });
    // The modify DryRun uses a current group: the new one does not exist yet.
    const denied = await allowed(c, 'isolate', [['ec2:CreateSecurityGroup', create], ['ec2:ModifyInstanceAttribute', modify(nics[0]!.groupIds[0] ?? 'sg-00000000')]]);
    if (denied) return denied;
    const made = await send<CreateSecurityGroupCommandOutput>(c.ec2, 'ec2:CreateSecurityGroup', create, c.conn.info.endpoint);
    groupId = made.out.GroupId!;
    record(c, 'aws.security-group-created', { api: 'ec2:CreateSecurityGroup', requestId: made.requestId, groupId, groupName: name, vpcId: inst.VpcId ?? null, before: null, after: { groupId, rules: 'default allow-all egress' } });
    calls.push({ api: 'ec2:CreateSecurityGroup', requestId: made.requestId, before: null, after: groupId });
    const revoke: Ec2Command = (DryRun) => new RevokeSecurityGroupEgressCommand({ DryRun, GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
    try {
      const r = await send(c.ec2, 'ec2:RevokeSecurityGroupEgress', revoke, c.conn.info.endpoint);
      const after = { egress: [] };
      record(c, 'aws.egress-revoked', { api: 'ec2:RevokeSecurityGroupEgress', requestId: r.requestId, groupId, before: { egress: ['-1 0.0.0.0/0'] }, after });
      calls.push({ api: 'ec2:RevokeSecurityGroupEgress', requestId: r.requestId, before: ['-1 0.0.0.0/0'], after: [] });
    } catch (err) {
      // A group that still allows egress is not isolation: it is left unattached and said so.
      const message = `Created ${groupId} but could not remove its default egress rule, so it was not attached: ${(err as Error).message}`;
      return { action: 'isolate', outcome: 'failed', message, calls };
    }
  } else {
    groupId = how.securityGroupId;
    const denied = await allowed(c, 'isolate', [['ec2:ModifyInstanceAttribute', modify(groupId)]]);
    if (denied) return denied;
  }
  const m = await send(c.ec2, 'ec2:ModifyInstanceAttribute', modify(groupId), c.conn.info.endpoint);
  record(c, 'aws.isolated', { api: 'ec2:ModifyInstanceAttribute', requestId: m.requestId, groupId, previousGroups, before: previousGroups, after: nics.map((n) => ({ networkInterfaceId: n.networkInterfaceId, groupIds: [groupId] })) });
  calls.push({ api: 'ec2:ModifyInstanceAttribute', requestId: m.requestId, before: previousGroups, after: [groupId] });
  return { action: 'isolate', outcome: 'done', calls };
}

async function withEc2<T>(ws: Workstation, req: { caseId: string; connectionId: string; region: string; instanceId: string }, fn: (c: Ctx) => Promise<T>): Promise<T> {
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const ec2 = ec2Client(conn, req.region);
  try {
    return await fn({ ws, conn, ec2, caseId: req.caseId, region: req.region, instanceId: req.instanceId });
  } finally {
    ec2.destroy();
  }
}

/** One action's failure is its own result; the others still run. */
async function guarded(action: AwsPreserveActionResult['action'], fn: () => Promise<AwsPreserveActionResult>): Promise<AwsPreserveActionResult> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'AWS_CREDENTIALS' || err.code === 'AWS_UNREACHABLE') throw err;
    return { action, outcome: 'failed', message: err.message, calls: [] };
  }
}

/** Runs the chosen preservation actions in a fixed order and returns one result per action. */
export async function preserve(ws: Workstation, req: PreserveRequest): Promise<AwsPreserveResult> {
  const caseNumber = ws.get(req.caseId).session.info.number;
  const result = await withEc2(ws, req, async (c) => {
    const inst = await describe(c);
    const results: AwsPreserveActionResult[] = [];
    const a = req.actions;
    if (a.tag) results.push(await guarded('tag', () => tag(c, inst, caseNumber)));
    if (a.terminationProtection) results.push(await guarded('terminationProtection', () => protect(c)));
    if (a.deleteOnTerminationFalse) results.push(await guarded('deleteOnTerminationFalse', () => keepVolumes(c, inst)));
    if (a.isolate) results.push(await guarded('isolate', () => isolate(c, inst, caseNumber, a.isolate!)));
    return { region: req.region, instanceId: req.instanceId, results };
  });
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return result;
}

/** Puts back the groups the last 'aws.isolated' event for the instance recorded. */
export async function restoreGroups(ws: Workstation, req: Omit<PreserveRequest, 'actions'>): Promise<AwsRestoreGroupsResult> {
  const db = ws.get(req.caseId).session.db;
  const last = listEvents(db)
    .events.filter((e) => e.action === 'aws.isolated' && e.details.instanceId === req.instanceId && e.details.region === req.region)
    .at(-1);
  if (!last) throw new AppError('NOT_FOUND', `No isolation of ${req.instanceId} in ${req.region} is recorded in this case's custody`);
  const previous = last.details.previousGroups as { networkInterfaceId: string; groupIds: string[] }[];
  const result = await withEc2(ws, req, async (c): Promise<AwsRestoreGroupsResult> => {
    const inst = await describe(c);
    const current = enis(inst);
    const groups = previous[0]?.groupIds ?? [];
    if (previous.length !== 1 || groups.length === 0) throw new AppError('CONFLICT', `The isolation event #${last.seq} does not record one interface's groups; restore them by hand`);
    const make: Ec2Command = (DryRun) => new ModifyInstanceAttributeCommand({ DryRun, InstanceId: req.instanceId, Groups: groups });
    const d = await dryRun(c.ec2, 'ec2:ModifyInstanceAttribute', make, c.conn.info.endpoint);
    if (!d.allowed) {
      record(c, 'aws.preserve-denied', { preserveAction: 'restoreGroups', api: 'ec2:ModifyInstanceAttribute', missingPermission: d.missingPermission, requestId: d.requestId });
      return { region: req.region, instanceId: req.instanceId, outcome: 'denied', missingPermission: d.missingPermission, restored: [], requestIds: [] };
    }
    const { requestId } = await send(c.ec2, 'ec2:ModifyInstanceAttribute', make, c.conn.info.endpoint);
    const restored = previous.map((p) => ({ networkInterfaceId: p.networkInterfaceId, before: current.find((n) => n.networkInterfaceId === p.networkInterfaceId)?.groupIds ?? [], after: p.groupIds }));
    record(c, 'aws.groups-restored', { api: 'ec2:ModifyInstanceAttribute', requestId, isolationEventSeq: last.seq, before: restored.map((r) => ({ networkInterfaceId: r.networkInterfaceId, groupIds: r.before })), after: previous });
    return { region: req.region, instanceId: req.instanceId, outcome: 'done', restored, requestIds: requestId ? [requestId] : [] };
  });
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return result;
}
