/**
 * What the preservation actions share: the per-request context, the custody record of one AWS call,
 * the instance lookup, the DryRun gate, and the instance's network interfaces.
 */
import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import type { AwsPreserveActionResult } from '../../../../shared/contract-aws-preserve.js';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent } from '../../custody/custody.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import { checkRegion, ec2Client, getConnection, type LiveConnection } from '../connect/connections.js';
import { dryRun, type Ec2Command } from './guarded-call.js';

/** The tags that mark a resource as evidence of a case. */
export function caseTags(caseNumber: string): { Key: string; Value: string }[] {
  return [
    { Key: 'CasewardCase', Value: caseNumber },
    { Key: 'CasewardEvidence', Value: 'true' },
  ];
}

/** One preservation request's connection, client and target. */
export interface Ctx {
  ws: Workstation;
  conn: LiveConnection;
  ec2: EC2Client;
  caseId: string;
  region: string;
  instanceId: string;
}

/** The instance a preservation request names. */
export interface InstanceTarget {
  caseId: string;
  connectionId: string;
  region: string;
  instanceId: string;
}

/** Records one AWS call in custody. */
export function record(c: Ctx, action: string, details: Record<string, unknown>): void {
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
export async function allowed(c: Ctx, action: AwsPreserveActionResult['action'], calls: [string, Ec2Command][]): Promise<AwsPreserveActionResult | null> {
  for (const [api, make] of calls) {
    const d = await dryRun(c.ec2, api, make, c.conn.info.endpoint);
    if (!d.allowed) {
      record(c, 'aws.preserve-denied', { preserveAction: action, api, missingPermission: d.missingPermission, requestId: d.requestId });
      return { action, outcome: 'denied', missingPermission: d.missingPermission, message: `AWS denied ${api} (DryRun); nothing was changed for '${action}'. ${d.message}`, calls: [] };
    }
  }
  return null;
}

/** One network interface of the instance as DescribeInstances lists it. */
export interface Eni {
  networkInterfaceId: string;
  deviceIndex: number;
  vpcId: string | null;
  groupIds: string[];
}

/** The instance's network interfaces in device order. */
export function enis(inst: Instance): Eni[] {
  return (inst.NetworkInterfaces ?? [])
    .map((n) => ({
      networkInterfaceId: n.NetworkInterfaceId ?? '',
      deviceIndex: n.Attachment?.DeviceIndex ?? 0,
      vpcId: n.VpcId ?? null,
      groupIds: (n.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
    }))
    .sort((a, b) => a.deviceIndex - b.deviceIndex);
}

/** The request id AWS gave a failed call, when the SDK error carries one. */
export function failedRequestId(err: unknown): string | null {
  const cause = (err as { cause?: unknown }).cause ?? err;
  return (cause as { $metadata?: { requestId?: string } }).$metadata?.requestId ?? null;
}

/** Runs fn with an EC2 client for the request's connection and region, destroyed afterwards. */
export async function withEc2<T>(ws: Workstation, req: InstanceTarget, fn: (c: Ctx) => Promise<T>): Promise<T> {
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const ec2 = ec2Client(conn, req.region);
  try {
    return await fn({ ws, conn, ec2, caseId: req.caseId, region: req.region, instanceId: req.instanceId });
  } finally {
    ec2.destroy();
  }
}
