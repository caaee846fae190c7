/**
 * Everything about one instance, read-only: its DescribeInstances record, attributes (termination
 * protection, shutdown behaviour, user data decoded and hashed), volumes, security groups with rules,
 * network interfaces, and its IAM instance profile with role policies. A part that fails (IAM is
 * often denied to responders) is reported in place; only the instance lookup itself is fatal.
 */
import { createHash } from 'node:crypto';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AwsInstanceDetail, AwsPart } from '../../../../shared/contract-aws.js';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent } from '../../custody/custody.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import { checkRegion, ec2Client, getConnection, iamClient, type LiveConnection } from '../connect/connections.js';
import { instanceSummary, plain, volumeSummary } from './shapes.js';

/** Which instance to describe. */
export interface InstanceRequest {
  caseId: string;
  connectionId: string;
  region: string;
  instanceId: string;
}

type Sent = { $metadata: { requestId?: string } };

/** Runs a part; a failure becomes { ok: false } with the examiner-facing code and message. */
async function part<T>(what: string, conn: LiveConnection, fn: () => Promise<T>): Promise<AwsPart<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const e = mapAwsError(err, what, { endpoint: conn.info.endpoint });
    if (e.code === 'AWS_CREDENTIALS' || e.code === 'AWS_UNREACHABLE') throw e;
    return { ok: false, code: e.code, message: e.message };
  }
}

/** IAM returns policy documents URL-encoded JSON. */
function policyDocument(encoded: string | undefined): unknown {
  if (!encoded) return null;
  const text = decodeURIComponent(encoded);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function attributes(ec2: EC2Client, instanceId: string, track: <T extends Sent>(p: Promise<T>) => Promise<T>) {
  const get = (Attribute: 'disableApiTermination' | 'instanceInitiatedShutdownBehavior' | 'userData') =>
    track(ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute })));
  const termination = await get('disableApiTermination');
  const shutdown = await get('instanceInitiatedShutdownBehavior');
  const ud = await get('userData');
  const encoded = ud.UserData?.Value;
  const bytes = encoded ? Buffer.from(encoded, 'base64') : null;
  return {
    disableApiTermination: termination.DisableApiTermination?.Value ?? null,
    instanceInitiatedShutdownBehavior: shutdown.InstanceInitiatedShutdownBehavior?.Value ?? null,
    // The hash is of the decoded bytes, the form the instance received.
    userData: bytes ? { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length } : null,
  };
}

async function iamDetail(iam: IAMClient, conn: LiveConnection, profileArn: string, track: <T extends Sent>(p: Promise<T>) => Promise<T>) {
  const name = profileArn.split('/').pop()!;
  const profile = await track(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })));
  const roles = [];
  for (const role of profile.InstanceProfile?.Roles ?? []) {
    const roleName = role.RoleName ?? '';
    const attachedPolicies = await part(`IAM attached policies of role ${roleName}`, conn, async () => {
      const list = await track(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })));
      const out = [];
      for (const p of list.AttachedPolicies ?? []) {
        const policy = await track(iam.send(new GetPolicyCommand({ PolicyArn: p.PolicyArn })));
        const versionId = policy.Policy?.DefaultVersionId;
        const version = versionId ? await track(iam.send(new GetPolicyVersionCommand({ PolicyArn: p.PolicyArn, VersionId: versionId }))) : null;
        out.push({ policyName: p.PolicyName ?? '', policyArn: p.PolicyArn ?? '', defaultVersionId: versionId ?? null, document: policyDocument(version?.PolicyVersion?.Document) });
      }
      return out;
    });
    const inlinePolicies = await part(`IAM inline policies of role ${roleName}`, conn, async () => {
      const list = await track(iam.send(new ListRolePoliciesCommand({ RoleName: roleName })));
      const out = [];
      for (const policyName of list.PolicyNames ?? []) {
        const doc = await track(iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
        out.push({ policyName, document: policyDocument(doc.PolicyDocument) });
      }
      return out;
    });
    roles.push({ roleName, arn: role.Arn ?? '', attachedPolicies, inlinePolicies });
  }
  return { instanceProfile: plain(profile.InstanceProfile) as Record<string, unknown>, roles };
}

/** Describes one instance in full and records 'aws.instance.described'. */
export async function describeInstance(ws: Workstation, req: InstanceRequest): Promise<AwsInstanceDetail> {
  const actor = ws.actor();
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const requestIds: string[] = [];
  const track = async <T extends Sent>(p: Promise<T>): Promise<T> => {
    const r = await p;
    if (r.$metadata.requestId) requestIds.push(r.$metadata.requestId);
    return r;
  };
  const ec2 = ec2Client(conn, req.region);
  const iam = iamClient(conn, req.region);
  try {
    let described;
    try {
      described = await track(ec2.send(new DescribeInstancesCommand({ InstanceIds: [req.instanceId] })));
    } catch (err) {
      throw mapAwsError(err, `EC2 DescribeInstances ${req.instanceId} in ${req.region}`, { endpoint: conn.info.endpoint });
    }
    const instance = described.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === req.instanceId);
    if (!instance) throw new AppError('NOT_FOUND', `Instance ${req.instanceId} was not found in ${req.region}`);
    const summary = instanceSummary(instance);
    const volumeIds = summary.volumes.map((v) => v.volumeId);
    const groupIds = summary.securityGroups.map((g) => g.groupId);

    const detail: AwsInstanceDetail = {
      region: req.region,
      instanceId: req.instanceId,
      summary,
      describe: plain(instance) as Record<string, unknown>,
      attributes: await part('EC2 DescribeInstanceAttribute', conn, () => attributes(ec2, req.instanceId, track)),
      volumes: await part('EC2 DescribeVolumes', conn, async () =>
        volumeIds.length ? ((await track(ec2.send(new DescribeVolumesCommand({ VolumeIds: volumeIds })))).Volumes ?? []).map(volumeSummary) : [],
      ),
      securityGroups: await part('EC2 DescribeSecurityGroups', conn, async () =>
        groupIds.length ? ((await track(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds })))).SecurityGroups ?? []).map((g) => plain(g) as Record<string, unknown>) : [],
      ),
      networkInterfaces: await part('EC2 DescribeNetworkInterfaces', conn, async () =>
        ((await track(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [req.instanceId] }] })))).NetworkInterfaces ?? []).map(
          (n) => plain(n) as Record<string, unknown>,
        ),
      ),
      iam: summary.iamInstanceProfileArn ? await part('IAM GetInstanceProfile', conn, () => iamDetail(iam, conn, summary.iamInstanceProfileArn!, track)) : null,
      requestIds,
    };

    const failed = (['attributes', 'volumes', 'securityGroups', 'networkInterfaces', 'iam'] as const)
      .filter((k) => detail[k] && !detail[k]!.ok)
      .map((k) => ({ part: k, code: (detail[k] as { code: string }).code }));
    appendEvent(ws.get(req.caseId).session.db, actor, {
      action: 'aws.instance.described',
      details: {
        connectionId: conn.info.connectionId,
        account: conn.info.account,
        region: req.region,
        instanceId: req.instanceId,
        userDataSha256: detail.attributes.ok ? (detail.attributes.value.userData?.sha256 ?? null) : null,
        failedParts: failed,
        requestIds,
      },
    });
    ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
    return detail;
  } finally {
    ec2.destroy();
    iam.destroy();
  }
}
