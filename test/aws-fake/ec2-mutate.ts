/** EC2 preservation actions: snapshots of an instance or a volume, tags, instance attributes. */
import type { RequestContext } from './context.js';
import { AwsError } from './errors.js';
import { getInstance, getVolume } from './ec2-lookup.js';
import { attachedInterfaces, checkGroupsInVpc } from './ec2-network.js';
import { renderSnapshot, renderSnapshotInfo } from './ec2-render.js';
import type { Instance, Snapshot, Tag, Volume } from './model.js';
import { boolParam, listParam, required, structIndexes, tagSpecifications, tagsParam } from './query-params.js';
import { el, itemList } from './xml.js';

function snapshotOf(ctx: RequestContext, vol: Volume, description: string, tags: Tag[]): Snapshot {
  return ctx.state.createSnapshot({
    ownerId: vol.ownerId,
    region: vol.region,
    volumeId: vol.volumeId,
    volumeSizeGiB: vol.sizeGiB,
    description,
    encrypted: vol.encrypted,
    kmsKeyId: vol.kmsKeyId,
    tags,
    // The snapshot keeps its own reference: later changes to the volume's image do not alter it.
    content: vol.imagePath ? ctx.state.blockSource(vol.imagePath, vol.sizeGiB) : undefined,
  });
}

/** CreateSnapshots: crash-consistent snapshots of all (or chosen) volumes of an instance. */
export function createSnapshots(ctx: RequestContext): string {
  const p = ctx.params;
  const inst = getInstance(ctx, required(p, 'InstanceSpecification.InstanceId'));
  if (inst.state !== 'running' && inst.state !== 'stopped') {
    throw AwsError.ec2('IncorrectState', `The instance '${inst.instanceId}' is not in a state from which it can be snapshotted.`);
  }
  const excludeBoot = boolParam(p, 'InstanceSpecification.ExcludeBootVolume') ?? false;
  const excluded = new Set(listParam(p, 'InstanceSpecification.ExcludeDataVolumeId'));
  const tags = tagSpecifications(p, 'snapshot');
  const copyFromVolume = p.CopyTagsFromSource === 'volume';
  const devices = inst.blockDevices.filter((b) => !(excludeBoot && b.deviceName === inst.rootDeviceName) && !excluded.has(b.volumeId));
  const snaps = devices.map((b) => {
    const vol = ctx.state.volumes.get(b.volumeId)!;
    return snapshotOf(ctx, vol, p.Description ?? '', [...(copyFromVolume ? vol.tags : []), ...tags]);
  });
  return itemList('snapshotSet', snaps, renderSnapshotInfo);
}

/** CreateSnapshot: one volume. The response is the Snapshot shape (with `status`). */
export function createSnapshot(ctx: RequestContext): string {
  const vol = getVolume(ctx, required(ctx.params, 'VolumeId'));
  const snap = snapshotOf(ctx, vol, ctx.params.Description ?? '', tagSpecifications(ctx.params, 'snapshot'));
  return renderSnapshot(snap);
}

/** CreateTags: adds or overwrites tags on any resource the caller owns. */
export function createTags(ctx: RequestContext): string {
  const ids = listParam(ctx.params, 'ResourceId');
  const tags = tagsParam(ctx.params, 'Tag');
  if (ids.length === 0) throw AwsError.ec2('MissingParameter', 'The request must contain the parameter resourceIdSet');
  if (tags.length === 0) throw AwsError.ec2('MissingParameter', 'The request must contain the parameter tagSet');
  const targets = ids.map((id) => {
    const r = ctx.state.taggable(id) as ({ tags: Tag[]; ownerId?: string; region?: string } | undefined);
    if (!r || r.ownerId !== ctx.identity.accountId || r.region !== ctx.region) {
      throw AwsError.ec2(notFoundCode(id), `The ID '${id}' does not exist`);
    }
    return r;
  });
  for (const r of targets) {
    for (const t of tags) {
      const existing = r.tags.find((x) => x.key === t.key);
      if (existing) existing.value = t.value;
      else r.tags.push({ ...t });
    }
  }
  return el('return', true);
}

function notFoundCode(id: string): string {
  if (id.startsWith('i-')) return 'InvalidInstanceID.NotFound';
  if (id.startsWith('vol-')) return 'InvalidVolume.NotFound';
  if (id.startsWith('snap-')) return 'InvalidSnapshot.NotFound';
  if (id.startsWith('sg-')) return 'InvalidGroup.NotFound';
  return 'InvalidID';
}

/** ModifyInstanceAttribute: one attribute per call, as EC2 requires. */
export function modifyInstanceAttribute(ctx: RequestContext): string {
  const p = ctx.params;
  const inst = getInstance(ctx, required(p, 'InstanceId'));
  const groups = listParam(p, 'GroupId');
  const mappings = structIndexes(p, 'BlockDeviceMapping');
  const termination = boolParam(p, 'DisableApiTermination.Value');
  const shutdown = p['InstanceInitiatedShutdownBehavior.Value'];
  const changes = [groups.length > 0, mappings.length > 0, termination !== undefined, shutdown !== undefined, p.Attribute !== undefined];
  if (changes.filter(Boolean).length !== 1) {
    throw AwsError.ec2('InvalidParameterCombination', 'Exactly one attribute must be specified per ModifyInstanceAttribute request.');
  }
  if (termination !== undefined) inst.disableApiTermination = termination;
  if (shutdown !== undefined) setShutdown(inst, shutdown);
  if (groups.length > 0) setGroups(ctx, inst, groups);
  for (const i of mappings) setDeleteOnTermination(inst, p, i);
  if (p.Attribute !== undefined) legacyAttribute(inst, p.Attribute, required(p, 'Value'));
  return el('return', true);
}

function setShutdown(inst: Instance, value: string): void {
  if (value !== 'stop' && value !== 'terminate') {
    throw AwsError.ec2('InvalidParameterValue', `Value (${value}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
  }
  inst.instanceInitiatedShutdownBehavior = value;
}

function setGroups(ctx: RequestContext, inst: Instance, groupIds: string[]): void {
  const enis = attachedInterfaces(ctx, inst);
  if (enis.length > 1) {
    // AWS's own answer (code and text) when GroupId.N targets an instance with several interfaces.
    throw AwsError.ec2('InvalidInstanceID', `There are multiple interfaces attached to instance '${inst.instanceId}'. Please specify an interface ID for the operation instead.`);
  }
  checkGroupsInVpc(ctx, groupIds, inst);
  inst.securityGroupIds = [...groupIds];
  // The only (primary) network interface carries the instance's groups.
  if (enis[0]) enis[0].groupIds = [...groupIds];
}

function setDeleteOnTermination(inst: Instance, p: Record<string, string>, i: number): void {
  const device = required(p, `BlockDeviceMapping.${i}.DeviceName`);
  const mapping = inst.blockDevices.find((b) => b.deviceName === device);
  if (!mapping) throw AwsError.ec2('InvalidInstanceAttributeValue', `No device is currently mapped at ${device}`);
  const value = boolParam(p, `BlockDeviceMapping.${i}.Ebs.DeleteOnTermination`);
  if (value !== undefined) mapping.deleteOnTermination = value;
}

/** The old `Attribute=…&Value=…` form some clients still send. */
function legacyAttribute(inst: Instance, attribute: string, value: string): void {
  if (attribute === 'disableApiTermination') inst.disableApiTermination = /^true$/i.test(value);
  else if (attribute === 'instanceInitiatedShutdownBehavior') setShutdown(inst, value);
  else throw AwsError.ec2('InvalidParameterValue', `Value (${attribute}) for parameter attribute is not supported by this fake.`);
}

