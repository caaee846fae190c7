/** EC2 read actions: Describe*, instance attributes, console output and screenshot. */
import type { RequestContext } from './context.js';
import { AwsError } from './errors.js';
import {
  applyFilters,
  getInstance,
  getSnapshot,
  paginate,
  visibleGroups,
  visibleInstances,
  visibleSnapshots,
  visibleVolumes,
  type FilterTable,
} from './ec2-lookup.js';
import { renderInstance, renderNetworkInterface, renderSecurityGroup, renderSnapshot, renderVolume } from './ec2-render.js';
import { consoleScreenshotJpeg } from './jpeg.js';
import { INSTANCE_STATE_CODES, type Instance, type NetworkInterface, type SecurityGroup, type Snapshot, type Volume } from './model.js';
import { listParam, required } from './query-params.js';
import { el, fields, itemList, wrap } from './xml.js';

/** EC2 keeps only the most recent 64 KiB of console output. */
const CONSOLE_LIMIT = 64 * 1024;

function byIds<T>(items: T[], ids: string[], idOf: (t: T) => string, notFound: (missing: string[]) => AwsError): T[] {
  if (ids.length === 0) return items;
  const missing = ids.filter((id) => !items.some((i) => idOf(i) === id));
  if (missing.length > 0) throw notFound(missing);
  return items.filter((i) => ids.includes(idOf(i)));
}

const INSTANCE_FILTERS: FilterTable<Instance> = {
  'instance-id': (i) => [i.instanceId],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(INSTANCE_STATE_CODES[i.state])],
  'instance-type': (i) => [i.instanceType],
  'image-id': (i) => [i.imageId],
  'availability-zone': (i) => [i.availabilityZone],
  'vpc-id': (i) => [i.vpcId],
  'subnet-id': (i) => [i.subnetId],
  'private-ip-address': (i) => [i.privateIpAddress],
  'ip-address': (i) => [i.publicIpAddress],
  'private-dns-name': (i) => [i.privateDnsName],
  'dns-name': (i) => [i.publicDnsName],
  'key-name': (i) => [i.keyName],
  'iam-instance-profile.arn': (i) => [i.iamInstanceProfile?.arn],
  'instance.group-id': (i) => i.securityGroupIds,
  'block-device-mapping.volume-id': (i) => i.blockDevices.map((b) => b.volumeId),
  'network-interface.network-interface-id': (i) => i.networkInterfaceIds,
};

/** DescribeInstances: reservations with their instances. */
export function describeInstances(ctx: RequestContext): string {
  const ids = listParam(ctx.params, 'InstanceId');
  if (ids.length > 0 && ctx.params.MaxResults) {
    throw AwsError.ec2('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  for (const id of ids) if (!/^i-[0-9a-f]{8,17}$/.test(id)) throw AwsError.ec2('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
  const selected = byIds(visibleInstances(ctx), ids, (i) => i.instanceId, (m) =>
    AwsError.ec2('InvalidInstanceID.NotFound', m.length === 1 ? `The instance ID '${m[0]}' does not exist` : `The instance IDs '${m.join(', ')}' do not exist`),
  );
  const matching = applyFilters(ctx.params, selected, INSTANCE_FILTERS);
  const reservations = new Map<string, Instance[]>();
  for (const i of matching) reservations.set(i.reservationId, [...(reservations.get(i.reservationId) ?? []), i]);
  const { page, nextToken } = paginate(ctx.params, [...reservations.entries()], { min: 5, max: 1000 });
  return (
    itemList('reservationSet', page, ([rid, insts]) =>
      fields({ reservationId: rid, ownerId: insts[0]!.ownerId }) + '<groupSet/>' + itemList('instancesSet', insts, (i) => renderInstance(ctx.state, i)),
    ) + el('nextToken', nextToken)
  );
}

const VOLUME_FILTERS: FilterTable<Volume> = {
  'volume-id': (v) => [v.volumeId],
  'volume-type': (v) => [v.volumeType],
  size: (v) => [String(v.sizeGiB)],
  'snapshot-id': (v) => [v.snapshotId],
  'availability-zone': (v) => [v.availabilityZone],
  encrypted: (v) => [String(v.encrypted)],
};

/** DescribeVolumes. */
export function describeVolumes(ctx: RequestContext): string {
  const attachmentsOf = (v: Volume) =>
    [...ctx.state.instances.values()].flatMap((i) => i.blockDevices.filter((b) => b.volumeId === v.volumeId).map((b) => ({ i, b })));
  const table: FilterTable<Volume> = {
    ...VOLUME_FILTERS,
    status: (v) => [attachmentsOf(v).length > 0 ? 'in-use' : 'available'],
    'attachment.instance-id': (v) => attachmentsOf(v).map((a) => a.i.instanceId),
    'attachment.device': (v) => attachmentsOf(v).map((a) => a.b.deviceName),
    'attachment.delete-on-termination': (v) => attachmentsOf(v).map((a) => String(a.b.deleteOnTermination)),
  };
  const ids = listParam(ctx.params, 'VolumeId');
  const selected = byIds(visibleVolumes(ctx), ids, (v) => v.volumeId, (m) => AwsError.ec2('InvalidVolume.NotFound', `The volume '${m[0]}' does not exist.`));
  const { page, nextToken } = paginate(ctx.params, applyFilters(ctx.params, selected, table), { min: 5, max: 500 });
  return itemList('volumeSet', page, (v) => renderVolume(ctx.state, v)) + el('nextToken', nextToken);
}

const SNAPSHOT_FILTERS: FilterTable<Snapshot> = {
  'snapshot-id': (s) => [s.snapshotId],
  'volume-id': (s) => [s.volumeId],
  status: (s) => [s.state],
  'owner-id': (s) => [s.ownerId],
  description: (s) => [s.description],
  encrypted: (s) => [String(s.encrypted)],
  progress: (s) => [`${s.progress}%`],
  'volume-size': (s) => [String(s.volumeSizeGiB)],
  'kms-key-id': (s) => [s.kmsKeyId],
};

/** DescribeSnapshots: own, shared and public snapshots; Owner.N and RestorableBy.N narrow them. */
export function describeSnapshots(ctx: RequestContext): string {
  const me = ctx.identity.accountId;
  let snaps = visibleSnapshots(ctx);
  const owners = listParam(ctx.params, 'Owner').map((o) => (o === 'self' ? me : o));
  if (owners.length > 0) snaps = snaps.filter((s) => owners.includes(s.ownerId));
  const restorable = listParam(ctx.params, 'RestorableBy').map((o) => (o === 'self' ? me : o));
  if (restorable.length > 0) {
    snaps = snaps.filter((s) => restorable.some((a) => s.ownerId === a || s.createVolumePermission.has(a) || s.createVolumePermission.has('all')));
  }
  const ids = listParam(ctx.params, 'SnapshotId');
  for (const id of ids) getSnapshot(ctx, id);
  snaps = byIds(snaps, ids, (s) => s.snapshotId, (m) => AwsError.ec2('InvalidSnapshot.NotFound', `The snapshot '${m[0]}' does not exist.`));
  const { page, nextToken } = paginate(ctx.params, applyFilters(ctx.params, snaps, SNAPSHOT_FILTERS), { min: 5, max: 1000 });
  return itemList('snapshotSet', page, renderSnapshot) + el('nextToken', nextToken);
}

const GROUP_FILTERS: FilterTable<SecurityGroup> = {
  'group-id': (g) => [g.groupId],
  'group-name': (g) => [g.groupName],
  'vpc-id': (g) => [g.vpcId],
  description: (g) => [g.description],
  'owner-id': (g) => [g.ownerId],
  'ip-permission.cidr': (g) => g.rules.filter((r) => !r.egress).map((r) => r.cidrIpv4),
  'egress.ip-permission.cidr': (g) => g.rules.filter((r) => r.egress).map((r) => r.cidrIpv4),
};

/** DescribeSecurityGroups. */
export function describeSecurityGroups(ctx: RequestContext): string {
  let groups = visibleGroups(ctx);
  groups = byIds(groups, listParam(ctx.params, 'GroupId'), (g) => g.groupId, (m) => AwsError.ec2('InvalidGroup.NotFound', `The security group '${m[0]}' does not exist`));
  groups = byIds(groups, listParam(ctx.params, 'GroupName'), (g) => g.groupName, (m) =>
    AwsError.ec2('InvalidGroup.NotFound', `The security group '${m[0]}' does not exist in default VPC`),
  );
  return itemList('securityGroupInfo', applyFilters(ctx.params, groups, GROUP_FILTERS), renderSecurityGroup);
}

const ENI_FILTERS: FilterTable<NetworkInterface> = {
  'network-interface-id': (e) => [e.networkInterfaceId],
  'attachment.instance-id': (e) => [e.attachment?.instanceId],
  'vpc-id': (e) => [e.vpcId],
  'subnet-id': (e) => [e.subnetId],
  'group-id': (e) => e.groupIds,
  'private-ip-address': (e) => [e.privateIpAddress],
  'availability-zone': (e) => [e.availabilityZone],
  status: (e) => [e.attachment ? 'in-use' : 'available'],
};

/** DescribeNetworkInterfaces. */
export function describeNetworkInterfaces(ctx: RequestContext): string {
  const mine = [...ctx.state.networkInterfaces.values()].filter((e) => e.ownerId === ctx.identity.accountId && e.region === ctx.region);
  const selected = byIds(mine, listParam(ctx.params, 'NetworkInterfaceId'), (e) => e.networkInterfaceId, (m) =>
    AwsError.ec2('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${m[0]}' does not exist`),
  );
  return itemList('networkInterfaceSet', applyFilters(ctx.params, selected, ENI_FILTERS), (e) => renderNetworkInterface(ctx.state, e));
}

/** DescribeInstanceAttribute: one attribute per call, values wrapped in `<value>`. */
export function describeInstanceAttribute(ctx: RequestContext): string {
  const inst = getInstance(ctx, required(ctx.params, 'InstanceId'));
  const attribute = required(ctx.params, 'Attribute');
  const value = (name: string, v: string | boolean | undefined) => (v === undefined ? `<${name}/>` : wrap(name, el('value', v)));
  const body: Record<string, () => string> = {
    userData: () => value('userData', inst.userData === undefined ? undefined : Buffer.from(inst.userData, 'utf8').toString('base64')),
    disableApiTermination: () => value('disableApiTermination', inst.disableApiTermination),
    instanceInitiatedShutdownBehavior: () => value('instanceInitiatedShutdownBehavior', inst.instanceInitiatedShutdownBehavior),
    instanceType: () => value('instanceType', inst.instanceType),
    rootDeviceName: () => value('rootDeviceName', inst.rootDeviceName),
    sourceDestCheck: () => value('sourceDestCheck', true),
    ebsOptimized: () => value('ebsOptimized', false),
    enaSupport: () => value('enaSupport', true),
    disableApiStop: () => value('disableApiStop', false),
    groupSet: () => itemList('groupSet', inst.securityGroupIds, (id) => el('groupId', id)),
    blockDeviceMapping: () =>
      itemList('blockDeviceMapping', inst.blockDevices, (b) =>
        el('deviceName', b.deviceName) +
        wrap('ebs', fields({ volumeId: b.volumeId, status: 'attached', attachTime: b.attachTime, deleteOnTermination: b.deleteOnTermination })),
      ),
  };
  const render = body[attribute];
  if (!render) throw AwsError.ec2('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  return el('instanceId', inst.instanceId) + render();
}

/** GetConsoleOutput: the last 64 KiB of the console, base64, with the time it was captured. */
export function getConsoleOutput(ctx: RequestContext): string {
  const inst = getInstance(ctx, required(ctx.params, 'InstanceId'));
  const text = Buffer.from(inst.consoleOutput ?? '', 'utf8');
  const output = text.length === 0 ? undefined : text.subarray(Math.max(0, text.length - CONSOLE_LIMIT)).toString('base64');
  return fields({ instanceId: inst.instanceId, timestamp: new Date(ctx.state.now()), output });
}

/** GetConsoleScreenshot: a small real JPEG, base64. */
export function getConsoleScreenshot(ctx: RequestContext): string {
  const inst = getInstance(ctx, required(ctx.params, 'InstanceId'));
  return fields({ imageData: consoleScreenshotJpeg(inst.instanceId).toString('base64'), instanceId: inst.instanceId });
}

/** DescribeSnapshotAttribute (createVolumePermission or productCodes). */
export function describeSnapshotAttribute(ctx: RequestContext): string {
  const snap = getSnapshot(ctx, required(ctx.params, 'SnapshotId'), true);
  const attribute = required(ctx.params, 'Attribute');
  if (attribute === 'productCodes') return el('snapshotId', snap.snapshotId) + '<productCodes/>';
  if (attribute !== 'createVolumePermission') {
    throw AwsError.ec2('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid.`);
  }
  return (
    el('snapshotId', snap.snapshotId) +
    itemList('createVolumePermission', [...snap.createVolumePermission], (who) => (who === 'all' ? el('group', 'all') : el('userId', who)))
  );
}
