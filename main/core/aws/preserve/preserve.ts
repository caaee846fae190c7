/**
 * aws.preserve and aws.restoreGroups: tag, protect and isolate an instance. Each action DryRuns its
 * calls before the first change, so a denied permission is reported and nothing is half-done by
 * it; each real call is one custody event with its request id and what changed (before → after).
 */
import {
  CreateTagsCommand,
  DescribeInstanceAttributeCommand,
  ModifyInstanceAttributeCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { AwsPreserveActionResult, AwsPreserveResult } from '../../../../shared/contract-aws-preserve.js';
import { AppError } from '../../../../shared/errors.js';
import type { Workstation } from '../../workstation/workstation.js';
import { send, type Ec2Command } from './guarded-call.js';
import { isolate } from './isolate.js';
import { allowed, caseTags, describe, enis, record, withEc2, type Ctx } from './preserve-kit.js';

export { caseTags, describe } from './preserve-kit.js';
export { restoreGroups } from './restore-groups.js';

/** What to preserve. */
export interface PreserveRequest {
  caseId: string;
  connectionId: string;
  region: string;
  instanceId: string;
  actions: { tag?: boolean; terminationProtection?: boolean; deleteOnTerminationFalse?: boolean; isolate?: { securityGroupId: string } | { create: true } };
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
