/**
 * EC2 resources as the 2016-11-15 API renders them in XML. Element names follow the EC2 service
 * model's locationName for each member (e.g. `dnsName` → PublicDnsName, `instanceState` → State,
 * `status` of a snapshot in DescribeSnapshots but `state` in CreateSnapshots' SnapshotInfo).
 */
import { INSTANCE_STATE_CODES, type Instance, type NetworkInterface, type SecurityGroup, type SgRule, type Snapshot, type Volume } from './model.js';
import type { FakeState } from './state.js';
import { el, fields, itemList, tagSet, wrap } from './xml.js';

function tagsIfAny(tags: { key: string; value: string }[]): string {
  return tags.length > 0 ? tagSet(tags) : '';
}

function groupSet(state: FakeState, groupIds: string[]): string {
  return itemList('groupSet', groupIds, (id) => el('groupId', id) + el('groupName', state.securityGroups.get(id)?.groupName ?? ''));
}

function association(eni: NetworkInterface): string {
  if (!eni.publicIp) return '';
  return wrap('association', fields({ publicIp: eni.publicIp, publicDnsName: eni.publicDnsName ?? '', ipOwnerId: 'amazon' }));
}

function privateIps(eni: NetworkInterface): string {
  return itemList('privateIpAddressesSet', [eni], (e) =>
    fields({ privateIpAddress: e.privateIpAddress, privateDnsName: e.privateDnsName, primary: true }) + association(e),
  );
}

/** One instance as an `instancesSet` item. */
export function renderInstance(state: FakeState, i: Instance): string {
  const enis = i.networkInterfaceIds.map((id) => state.networkInterfaces.get(id)).filter((e): e is NetworkInterface => Boolean(e));
  return [
    fields({ instanceId: i.instanceId, imageId: i.imageId }),
    wrap('instanceState', fields({ code: INSTANCE_STATE_CODES[i.state], name: i.state })),
    fields({ privateDnsName: i.privateDnsName, dnsName: i.publicDnsName ?? '', reason: i.stateTransitionReason, keyName: i.keyName, amiLaunchIndex: 0 }),
    '<productCodes/>',
    fields({ instanceType: i.instanceType, launchTime: i.launchTime }),
    wrap('placement', fields({ availabilityZone: i.availabilityZone, groupName: '', tenancy: 'default' })),
    wrap('monitoring', el('state', 'disabled')),
    fields({ subnetId: i.subnetId, vpcId: i.vpcId, privateIpAddress: i.privateIpAddress, ipAddress: i.publicIpAddress, sourceDestCheck: true }),
    groupSet(state, i.securityGroupIds),
    i.stateReason ? wrap('stateReason', fields(i.stateReason)) : '',
    fields({ architecture: i.architecture, rootDeviceType: 'ebs', rootDeviceName: i.rootDeviceName }),
    itemList('blockDeviceMapping', i.blockDevices, (b) =>
      el('deviceName', b.deviceName) +
      wrap('ebs', fields({ volumeId: b.volumeId, status: 'attached', attachTime: b.attachTime, deleteOnTermination: b.deleteOnTermination })),
    ),
    fields({ virtualizationType: 'hvm', clientToken: '' }),
    tagsIfAny(i.tags),
    el('hypervisor', 'xen'),
    itemList('networkInterfaceSet', enis, (e) => renderInstanceEni(state, e)),
    i.iamInstanceProfile ? wrap('iamInstanceProfile', fields(i.iamInstanceProfile)) : '',
    fields({ ebsOptimized: false, enaSupport: true }),
    wrap('metadataOptions', fields({ state: 'applied', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' })),
    fields({ platformDetails: i.platformDetails, usageOperation: 'RunInstances' }),
  ].join('');
}

function renderInstanceEni(state: FakeState, e: NetworkInterface): string {
  return [
    fields({ networkInterfaceId: e.networkInterfaceId, subnetId: e.subnetId, vpcId: e.vpcId, description: e.description, ownerId: e.ownerId }),
    fields({ status: 'in-use', macAddress: e.macAddress, privateIpAddress: e.privateIpAddress, privateDnsName: e.privateDnsName, sourceDestCheck: true }),
    groupSet(state, e.groupIds),
    e.attachment
      ? wrap(
          'attachment',
          fields({
            attachmentId: e.attachment.attachmentId,
            deviceIndex: e.attachment.deviceIndex,
            status: 'attached',
            attachTime: e.attachment.attachTime,
            deleteOnTermination: e.attachment.deleteOnTermination,
            networkCardIndex: 0,
          }),
        )
      : '',
    association(e),
    privateIps(e),
    el('interfaceType', 'interface'),
  ].join('');
}

/** One volume as a `volumeSet` item; attachments come from the instances that map it. */
export function renderVolume(state: FakeState, v: Volume): string {
  const attachments = [...state.instances.values()].flatMap((i) =>
    i.blockDevices.filter((b) => b.volumeId === v.volumeId).map((b) => ({ i, b })),
  );
  return [
    fields({ volumeId: v.volumeId, size: v.sizeGiB, snapshotId: v.snapshotId ?? '', availabilityZone: v.availabilityZone }),
    fields({ status: attachments.length > 0 ? 'in-use' : 'available', createTime: v.createTime }),
    itemList('attachmentSet', attachments, ({ i, b }) =>
      fields({ volumeId: v.volumeId, instanceId: i.instanceId, device: b.deviceName, status: 'attached', attachTime: b.attachTime, deleteOnTermination: b.deleteOnTermination }),
    ),
    fields({ volumeType: v.volumeType, iops: v.iops, throughput: v.throughput, encrypted: v.encrypted, kmsKeyId: v.encrypted ? v.kmsKeyId : undefined }),
    tagsIfAny(v.tags),
    el('multiAttachEnabled', false),
  ].join('');
}

/** A snapshot in the `Snapshot` shape (DescribeSnapshots items, CreateSnapshot response). */
export function renderSnapshot(s: Snapshot): string {
  return [
    fields({ snapshotId: s.snapshotId, volumeId: s.volumeId, status: s.state, startTime: s.startTime, progress: `${s.progress}%` }),
    fields({ ownerId: s.ownerId, volumeSize: s.volumeSizeGiB, description: s.description, encrypted: s.encrypted }),
    fields({ kmsKeyId: s.encrypted ? s.kmsKeyId : undefined }),
    tagsIfAny(s.tags),
    fields({ storageTier: 'standard', completionTime: s.state === 'completed' ? s.completionTime : undefined }),
  ].join('');
}

/** A snapshot in the `SnapshotInfo` shape of CreateSnapshots (note `state`, not `status`). */
export function renderSnapshotInfo(s: Snapshot): string {
  return [
    el('description', s.description),
    tagsIfAny(s.tags),
    fields({ encrypted: s.encrypted, volumeId: s.volumeId, state: s.state, volumeSize: s.volumeSizeGiB, startTime: s.startTime }),
    fields({ progress: `${s.progress}%`, ownerId: s.ownerId, snapshotId: s.snapshotId }),
  ].join('');
}

/** Rules grouped into IpPermissions items: one per protocol/port range, as EC2 groups them. */
export function renderPermissions(name: string, rules: SgRule[], ownerId: string): string {
  const groups = new Map<string, SgRule[]>();
  for (const r of rules) {
    const key = `${r.ipProtocol}|${r.fromPort ?? ''}|${r.toPort ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return itemList(name, [...groups.values()], (rs) => {
    const first = rs[0]!;
    const ports = first.ipProtocol === '-1' ? {} : { fromPort: first.fromPort, toPort: first.toPort };
    return [
      fields({ ipProtocol: first.ipProtocol, ...ports }),
      itemList('groups', rs.filter((r) => r.groupId), (r) => fields({ userId: ownerId, groupId: r.groupId, description: r.description })),
      itemList('ipRanges', rs.filter((r) => r.cidrIpv4), (r) => fields({ cidrIp: r.cidrIpv4, description: r.description })),
      itemList('ipv6Ranges', rs.filter((r) => r.cidrIpv6), (r) => fields({ cidrIpv6: r.cidrIpv6, description: r.description })),
      '<prefixListIds/>',
    ].join('');
  });
}

/** One security group as a `securityGroupInfo` item. */
export function renderSecurityGroup(g: SecurityGroup): string {
  return [
    fields({ ownerId: g.ownerId, groupId: g.groupId, groupName: g.groupName, groupDescription: g.description, vpcId: g.vpcId }),
    el('securityGroupArn', `arn:aws:ec2:${g.region}:${g.ownerId}:security-group/${g.groupId}`),
    renderPermissions('ipPermissions', g.rules.filter((r) => !r.egress), g.ownerId),
    renderPermissions('ipPermissionsEgress', g.rules.filter((r) => r.egress), g.ownerId),
    tagsIfAny(g.tags),
  ].join('');
}

/** One ENI as a DescribeNetworkInterfaces item. */
export function renderNetworkInterface(state: FakeState, e: NetworkInterface): string {
  const a = e.attachment;
  return [
    fields({ networkInterfaceId: e.networkInterfaceId, subnetId: e.subnetId, vpcId: e.vpcId, availabilityZone: e.availabilityZone }),
    fields({ description: e.description, ownerId: e.ownerId, requesterManaged: false, status: a ? 'in-use' : 'available' }),
    fields({ macAddress: e.macAddress, privateIpAddress: e.privateIpAddress, privateDnsName: e.privateDnsName, sourceDestCheck: true }),
    groupSet(state, e.groupIds),
    a
      ? wrap(
          'attachment',
          fields({
            attachmentId: a.attachmentId,
            instanceId: a.instanceId,
            instanceOwnerId: e.ownerId,
            deviceIndex: a.deviceIndex,
            networkCardIndex: 0,
            status: 'attached',
            attachTime: a.attachTime,
            deleteOnTermination: a.deleteOnTermination,
          }),
        )
      : '',
    association(e),
    tagSet(e.tags),
    privateIps(e),
    '<ipv6AddressesSet/>',
    el('interfaceType', 'interface'),
  ].join('');
}
