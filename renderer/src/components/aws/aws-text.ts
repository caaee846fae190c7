/** Plain-word descriptions of AWS actions and results for the AWS tab. Pure functions. */
import type { AwsInstanceDetail, AwsPreflightAction, AwsPreflightResult, AwsTag } from '../../../../shared/contract-aws.js';
import type { AwsPreserveAction } from '../../../../shared/contract-aws-preserve.js';

/** What each preflight action stands for, in the examiner's words. */
export const PREFLIGHT_LABEL: Record<AwsPreflightAction | 'image', string> = {
  tag: 'Tag the instance, volumes and interfaces with the case',
  protect: 'Termination protection and DeleteOnTermination',
  snapshot: 'Snapshot the volumes (CreateSnapshots)',
  isolate: 'Isolate in a security group',
  image: 'Read snapshot blocks (EBS direct APIs)',
};

/** The preservation actions with what each does, shown beside its checkbox. */
export const PRESERVE_CHOICES: { action: Exclude<AwsPreserveAction, 'isolate'>; label: string; explain: string }[] = [
  {
    action: 'tag',
    label: 'Tag with the case number',
    explain: 'Adds the tags CasewardCase and CasewardEvidence to the instance, its EBS volumes and network interfaces, so colleagues see that they are evidence.',
  },
  {
    action: 'terminationProtection',
    label: 'Enable termination protection',
    explain: 'Sets DisableApiTermination so nobody can terminate the instance through the API by accident.',
  },
  {
    action: 'deleteOnTerminationFalse',
    label: 'Keep the volumes if the instance is terminated',
    explain: 'Sets DeleteOnTermination=false on every attached EBS volume, so the disks survive a termination.',
  },
];

/** Splits "us-east-1, eu-west-1" into names; the contract checks each. */
export function parseRegions(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** The outcome badge class for allowed / denied / unknown and done / denied / failed. */
export function outcomeClass(outcome: string): string {
  if (outcome === 'allowed' || outcome === 'done' || outcome === 'captured' || outcome === 'succeeded') return 'badge badge-ok';
  if (outcome === 'denied' || outcome === 'failed') return 'badge badge-bad';
  return 'badge badge-warn';
}

/** One sentence on a preflight result: allowed, or which permission is missing. */
export function preflightSentence(r: AwsPreflightResult): string {
  if (r.action === 'image') return 'The EBS direct APIs have no DryRun: ebs:ListSnapshotBlocks and ebs:GetSnapshotBlock (and kms:Decrypt for encrypted snapshots) are checked only when imaging starts.';
  // One API may be checked per network interface; each is named once.
  if (r.outcome === 'allowed') return `Allowed: ${[...new Set(r.calls.map((c) => c.api))].join(', ')} would succeed.`;
  const denied = r.calls.filter((c) => c.outcome === 'denied');
  if (denied.length > 0) return `Will fail: the credentials lack ${[...new Set(denied.map((c) => c.missingPermission ?? c.api))].join(', ')}. Ask the account owner to grant it, or skip this action.`;
  const unknown = r.calls.find((c) => c.outcome === 'unknown');
  return `Could not be checked${unknown?.message ? `: ${unknown.message}` : ''}.`;
}

/** "Name=web-1, env=prod" */
export function tagsText(tags: AwsTag[]): string {
  return tags.map((t) => `${t.key}=${t.value}`).join(', ');
}

/** The VPC id of an instance from its DescribeInstances record, if present. */
export function vpcOf(detail: AwsInstanceDetail): string | null {
  const v = detail.describe.VpcId;
  return typeof v === 'string' ? v : null;
}

/** The network interface ids of an instance from its DescribeInstances record. */
export function eniIdsOf(detail: AwsInstanceDetail): string[] {
  const enis = detail.describe.NetworkInterfaces;
  if (!Array.isArray(enis)) return [];
  return enis.map((e) => (e as { NetworkInterfaceId?: unknown }).NetworkInterfaceId).filter((x): x is string => typeof x === 'string');
}

export type IsolateChoice = { kind: 'none' } | { kind: 'create' } | { kind: 'existing'; groupId: string };

export interface PreserveChoice {
  tag: boolean;
  terminationProtection: boolean;
  deleteOnTerminationFalse: boolean;
  isolate: IsolateChoice;
}

/** Exactly what a preservation request will change in the account, one line per change. */
export function preserveChanges(choice: PreserveChoice, detail: AwsInstanceDetail, caseNumber: string): string[] {
  const id = detail.instanceId;
  const vols = detail.summary.volumes;
  const lines: string[] = [];
  if (choice.tag) {
    const targets = [id, ...vols.map((v) => v.volumeId), ...eniIdsOf(detail)];
    lines.push(`Add tags CasewardCase=${caseNumber} and CasewardEvidence=true to ${targets.join(', ')} (CreateTags).`);
  }
  if (choice.terminationProtection) lines.push(`Set DisableApiTermination=true on ${id} (ModifyInstanceAttribute).`);
  if (choice.deleteOnTerminationFalse) {
    const devices = vols.map((v) => `${v.deviceName ?? '?'} (${v.volumeId})`).join(', ');
    lines.push(`Set DeleteOnTermination=false on ${devices || 'every attached EBS volume'} (ModifyInstanceAttribute).`);
  }
  const groups = detail.summary.securityGroups.map((g) => (g.groupName ? `${g.groupId} (${g.groupName})` : g.groupId)).join(', ') || 'none';
  if (choice.isolate.kind === 'none') return lines;
  if (choice.isolate.kind === 'create') {
    lines.push(
      `Create the security group caseward-isolation-${caseNumber} in ${vpcOf(detail) ?? "the instance's VPC"} with no inbound rules, and revoke its default allow-all outbound rule (CreateSecurityGroup, RevokeSecurityGroupEgress).`,
    );
  }
  const target = choice.isolate.kind === 'create' ? 'that group' : choice.isolate.groupId;
  const nics = interfacesOf(detail);
  if (nics.length <= 1) {
    const on = nics[0] ? ` (interface ${nics[0].id})` : '';
    lines.push(`Replace the instance's security groups ${groups}${on} with ${target} only (ModifyInstanceAttribute). The old groups are recorded in custody so Restore groups can put them back.`);
    return lines;
  }
  // EC2 refuses instance-level group changes with several interfaces: each one changes on its own.
  // One line per change (the dialog counts them), so the note rides on the last interface's line.
  const note = ` The ${nics.length} interfaces change one after another; the old groups of each are recorded in custody so Restore groups can put them back. If one fails, the ones before it stay isolated and the result says which.`;
  nics.forEach((n, i) =>
    lines.push(`Replace the security groups of interface ${n.id} (device ${n.deviceIndex}): ${n.groups || 'none'} with ${target} only (ModifyNetworkInterfaceAttribute).${i === nics.length - 1 ? note : ''}`),
  );
  return lines;
}

/** Each network interface of the instance with its device index and groups, from the DescribeInstances record. */
export function interfacesOf(detail: AwsInstanceDetail): { id: string; deviceIndex: number; groups: string }[] {
  const raw = detail.describe.NetworkInterfaces;
  if (!Array.isArray(raw)) return [];
  type RawEni = { NetworkInterfaceId?: unknown; Attachment?: { DeviceIndex?: unknown }; Groups?: { GroupId?: unknown; GroupName?: unknown }[] };
  return (raw as RawEni[])
    .filter((e) => typeof e.NetworkInterfaceId === 'string')
    .map((e) => ({
      id: e.NetworkInterfaceId as string,
      deviceIndex: typeof e.Attachment?.DeviceIndex === 'number' ? e.Attachment.DeviceIndex : 0,
      groups: (e.Groups ?? []).map((g) => (typeof g.GroupName === 'string' && g.GroupName ? `${String(g.GroupId)} (${g.GroupName})` : String(g.GroupId))).join(', '),
    }))
    .sort((a, b) => a.deviceIndex - b.deviceIndex);
}
