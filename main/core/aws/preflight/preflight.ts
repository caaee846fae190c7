/**
 * Permission preflight: each preservation/acquisition action's EC2 calls sent with DryRun, so AWS
 * answers "would have succeeded" (DryRunOperation) or "not authorized" (UnauthorizedOperation,
 * naming the permission) without changing anything. The EBS direct APIs have no DryRun: said so.
 */
import {
  CreateSecurityGroupCommand,
  CreateSnapshotsCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { AwsPreflight, AwsPreflightAction, AwsPreflightResult } from '../../../../shared/contract-aws.js';
import { AppError, assertNever } from '../../../../shared/errors.js';
import { appendEvent } from '../../custody/custody.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { awsErrorCode, mapAwsError, missingPermission } from '../connect/aws-errors.js';
import { checkRegion, ec2Client, getConnection, type LiveConnection } from '../connect/connections.js';

/** What to check. */
export interface PreflightRequest {
  caseId: string;
  connectionId: string;
  region: string;
  instanceId: string;
  actions: AwsPreflightAction[];
}

type Call = AwsPreflightResult['calls'][number];

/** Sends one command with DryRun and classifies AWS's answer. */
async function dryRun(conn: LiveConnection, api: string, send: () => Promise<{ $metadata?: { requestId?: string } }>): Promise<Call> {
  try {
    const r = await send();
    // A DryRun that "succeeds" means the flag was ignored; it must never happen, and nothing is claimed.
    return { api, outcome: 'unknown', message: 'AWS answered a DryRun request without DryRunOperation', requestId: r.$metadata?.requestId };
  } catch (err) {
    const code = awsErrorCode(err);
    const e = err as { message?: string; $metadata?: { requestId?: string } };
    const requestId = e.$metadata?.requestId;
    if (code === 'DryRunOperation') return { api, outcome: 'allowed', requestId };
    if (code === 'UnauthorizedOperation' || code === 'AccessDenied') {
      return { api, outcome: 'denied', missingPermission: missingPermission(e.message ?? '') ?? api, message: e.message, requestId };
    }
    const mapped = mapAwsError(err, `${api} (DryRun)`, { endpoint: conn.info.endpoint });
    if (mapped.code === 'AWS_CREDENTIALS' || mapped.code === 'AWS_UNREACHABLE') throw mapped;
    return { api, outcome: 'unknown', message: mapped.message, requestId };
  }
}

function overall(calls: Call[]): AwsPreflightResult['outcome'] {
  if (calls.some((c) => c.outcome === 'denied')) return 'denied';
  if (calls.every((c) => c.outcome === 'allowed')) return 'allowed';
  return 'unknown';
}

/** What the checks need of the instance: its VPC, its groups, and each interface's groups. */
interface Target {
  id: string;
  vpcId?: string;
  groups: string[];
  enis: { id: string; groups: string[] }[];
}

/**
 * ModifyInstanceAttribute's groups cannot target an instance with several interfaces (EC2 answers
 * InvalidInstanceID), so isolation changes each interface instead: each one is checked.
 */
async function isolateChecks(ec2: EC2Client, conn: LiveConnection, instance: Target): Promise<Call[]> {
  const calls = [await dryRun(conn, 'ec2:CreateSecurityGroup', () => ec2.send(new CreateSecurityGroupCommand({ DryRun: true, GroupName: 'caseward-preflight', Description: 'Caseward preflight (dry run)', VpcId: instance.vpcId })))];
  if (instance.enis.length <= 1) {
    calls.push(await dryRun(conn, 'ec2:ModifyInstanceAttribute', () => ec2.send(new ModifyInstanceAttributeCommand({ DryRun: true, InstanceId: instance.id, Groups: instance.groups.length ? instance.groups : undefined }))));
    return calls;
  }
  for (const eni of instance.enis) {
    const groups = eni.groups.length ? eni.groups : undefined;
    const call = await dryRun(conn, 'ec2:ModifyNetworkInterfaceAttribute', () => ec2.send(new ModifyNetworkInterfaceAttributeCommand({ DryRun: true, NetworkInterfaceId: eni.id, Groups: groups })));
    calls.push({ ...call, message: call.message ? `${eni.id}: ${call.message}` : `Interface ${eni.id}` });
  }
  return calls;
}

async function check(ec2: EC2Client, conn: LiveConnection, action: AwsPreflightAction, instance: Target): Promise<Call[]> {
  const InstanceId = instance.id;
  switch (action) {
    case 'tag':
      return [await dryRun(conn, 'ec2:CreateTags', () => ec2.send(new CreateTagsCommand({ DryRun: true, Resources: [InstanceId], Tags: [{ Key: 'caseward:preflight', Value: 'dry-run' }] })))];
    case 'protect':
      // Termination protection and DeleteOnTermination=false are both ModifyInstanceAttribute.
      return [await dryRun(conn, 'ec2:ModifyInstanceAttribute', () => ec2.send(new ModifyInstanceAttributeCommand({ DryRun: true, InstanceId, DisableApiTermination: { Value: true } })))];
    case 'snapshot':
      return [
        await dryRun(conn, 'ec2:CreateSnapshots', () => ec2.send(new CreateSnapshotsCommand({ DryRun: true, InstanceSpecification: { InstanceId }, CopyTagsFromSource: 'volume' }))),
      ];
    case 'isolate':
      return isolateChecks(ec2, conn, instance);
    default:
      return assertNever(action);
  }
}

/** Runs the preflight and records 'aws.preflight' with every outcome and request id. */
export async function preflight(ws: Workstation, req: PreflightRequest): Promise<AwsPreflight> {
  const actor = ws.actor();
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const ec2 = ec2Client(conn, req.region);
  try {
    let described;
    try {
      described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [req.instanceId] }));
    } catch (err) {
      throw mapAwsError(err, `EC2 DescribeInstances ${req.instanceId} in ${req.region}`, { endpoint: conn.info.endpoint });
    }
    const inst = described.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === req.instanceId);
    if (!inst) throw new AppError('NOT_FOUND', `Instance ${req.instanceId} was not found in ${req.region}`);
    const instance: Target = {
      id: req.instanceId,
      vpcId: inst.VpcId,
      groups: (inst.SecurityGroups ?? []).map((g) => g.GroupId!).filter(Boolean),
      enis: (inst.NetworkInterfaces ?? []).map((n) => ({ id: n.NetworkInterfaceId ?? '', groups: (n.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean) })).filter((n) => n.id),
    };

    const results: AwsPreflightResult[] = [];
    for (const action of [...new Set(req.actions)]) {
      const calls = await check(ec2, conn, action, instance);
      results.push({ action, calls, outcome: overall(calls) });
    }
    if (req.actions.includes('snapshot')) {
      const note = 'The EBS direct APIs have no DryRun; whether ebs:ListSnapshotBlocks and ebs:GetSnapshotBlock (and kms:Decrypt on an encrypted snapshot) are allowed shows only when imaging starts.';
      results.push({
        action: 'image',
        calls: [
          { api: 'ebs:ListSnapshotBlocks', outcome: 'unknown', message: note },
          { api: 'ebs:GetSnapshotBlock', outcome: 'unknown', message: note },
        ],
        outcome: 'unknown',
      });
    }
    appendEvent(ws.get(req.caseId).session.db, actor, {
      action: 'aws.preflight',
      details: {
        connectionId: conn.info.connectionId,
        account: conn.info.account,
        region: req.region,
        instanceId: req.instanceId,
        requestId: described.$metadata.requestId ?? null,
        results: results.map((r) => ({ action: r.action, outcome: r.outcome, calls: r.calls.map(({ message: _m, ...c }) => c) })),
      },
    });
    ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
    return { region: req.region, instanceId: req.instanceId, results };
  } finally {
    ec2.destroy();
  }
}
