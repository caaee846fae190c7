/** EC2 SDK shapes → the contract's summaries, plus the examiner's text/tag filter. */
import type { Instance, Snapshot, Tag, Volume } from '@aws-sdk/client-ec2';
import type { AwsInstanceSummary, AwsSnapshotSummary, AwsTag, AwsVolumeSummary } from '../../../../shared/contract-aws.js';

function tags(list: Tag[] | undefined): AwsTag[] {
  return (list ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

function nameOf(list: AwsTag[]): string | null {
  return list.find((t) => t.key === 'Name')?.value ?? null;
}

function iso(d: Date | undefined): string | null {
  return d ? d.toISOString() : null;
}

/** An instance as discovery lists it. */
export function instanceSummary(i: Instance): AwsInstanceSummary {
  const t = tags(i.Tags);
  return {
    instanceId: i.InstanceId ?? '',
    name: nameOf(t),
    tags: t,
    state: i.State?.Name ?? null,
    instanceType: i.InstanceType ?? null,
    availabilityZone: i.Placement?.AvailabilityZone ?? null,
    launchTime: iso(i.LaunchTime),
    privateIpAddress: i.PrivateIpAddress ?? null,
    publicIpAddress: i.PublicIpAddress ?? null,
    securityGroups: (i.SecurityGroups ?? []).map((g) => ({ groupId: g.GroupId ?? '', groupName: g.GroupName ?? null })),
    iamInstanceProfileArn: i.IamInstanceProfile?.Arn ?? null,
    volumes: (i.BlockDeviceMappings ?? [])
      .filter((b) => b.Ebs?.VolumeId)
      .map((b) => ({ volumeId: b.Ebs!.VolumeId!, deviceName: b.DeviceName ?? null, deleteOnTermination: b.Ebs!.DeleteOnTermination ?? null })),
  };
}

/** A volume as discovery lists it. */
export function volumeSummary(v: Volume): AwsVolumeSummary {
  const t = tags(v.Tags);
  return {
    volumeId: v.VolumeId ?? '',
    name: nameOf(t),
    tags: t,
    sizeGiB: v.Size ?? null,
    volumeType: v.VolumeType ?? null,
    state: v.State ?? null,
    availabilityZone: v.AvailabilityZone ?? null,
    encrypted: v.Encrypted ?? false,
    kmsKeyId: v.KmsKeyId ?? null,
    snapshotId: v.SnapshotId || null,
    createTime: iso(v.CreateTime),
    attachments: (v.Attachments ?? []).map((a) => ({
      instanceId: a.InstanceId ?? null,
      device: a.Device ?? null,
      state: a.State ?? null,
      deleteOnTermination: a.DeleteOnTermination ?? null,
    })),
  };
}

/** A snapshot as discovery lists it. */
export function snapshotSummary(s: Snapshot): AwsSnapshotSummary {
  const t = tags(s.Tags);
  return {
    snapshotId: s.SnapshotId ?? '',
    name: nameOf(t),
    tags: t,
    volumeId: s.VolumeId ?? null,
    volumeSizeGiB: s.VolumeSize ?? null,
    state: s.State ?? null,
    progress: s.Progress ?? null,
    startTime: iso(s.StartTime),
    encrypted: s.Encrypted ?? false,
    kmsKeyId: s.KmsKeyId ?? null,
    description: s.Description ?? null,
    ownerId: s.OwnerId ?? null,
  };
}

/** Whether any string value in a summary (ids, tags, IPs, state, description…) contains `text`, case-insensitively. */
export function matchesText(item: object, text: string | undefined): boolean {
  if (!text) return true;
  const needle = text.toLowerCase();
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') return v.toLowerCase().includes(needle);
    if (Array.isArray(v)) return v.some(walk);
    if (v && typeof v === 'object') return Object.values(v).some(walk);
    return false;
  };
  return walk(item);
}

/** Recursively turns Dates into ISO strings so an SDK record is plain JSON. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== '$metadata' && v !== undefined).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
